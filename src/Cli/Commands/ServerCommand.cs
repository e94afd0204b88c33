using System.CommandLine;
using System.Globalization;
using System.Runtime.InteropServices;
using Qlib.Tracked.Web;
using Qlib.Tracked.Web.Server;

namespace Qlib.Tracked.Tool.Commands;

/// <summary>
/// <c>qtrack server [--backend-store-uri URI] [--artifacts-destination URI] [--no-serve-artifacts] [--host ADDR]
/// [--port N] …</c>: an MLflow-compatible tracking server (MLflow's option names), with <c>qtrack ui</c>'s pages
/// (read-only) on the same port, until Ctrl+C or SIGTERM; then requests in flight finish and the store is closed.
/// Loopback by default; beyond loopback it refuses to start without authentication or <c>--insecure-no-auth</c>.
/// </summary>
internal static class ServerCommand
{
    /// <summary>True when <paramref name="parsed"/> runs this command, which stops on SIGINT/SIGTERM by itself.</summary>
    public static bool HandlesSignals(ParseResult parsed) => parsed.CommandResult.Command.Name == "server";

    public static Command Create(CliContext context)
    {
        var backend = new Option<string>("--backend-store-uri")
        {
            Description = "The store: a folder or file: URI (MLflow's file store), sqlite:///PATH or postgresql://… (created when missing). Default ./mlruns.",
            DefaultValueFactory = _ => "./mlruns",
            HelpName = "URI",
        };
        var destination = new Option<string?>("--artifacts-destination")
        {
            Description = $"The local folder the artifact proxy serves and new experiments keep artifacts under (default {TrackingServerOptions.DefaultArtifactsDestination}).",
            HelpName = "URI",
        };
        var noServe = new Option<bool>("--no-serve-artifacts")
        {
            Description = "Do not serve artifacts: clients get the store's own artifact locations and write there themselves.",
        };
        var host = new Option<string>("--host")
        {
            Description = "The address to listen on (default 127.0.0.1). Beyond loopback, authentication (or --insecure-no-auth) is required.",
            DefaultValueFactory = _ => "127.0.0.1",
            HelpName = "ADDR",
        };
        var port = CommonOptions.ListenPort();
        var credentialsFile = new Option<string?>("--credentials-file")
        {
            Description = $"Users and tokens clients must present: lines USER:PASSWORD (HTTP basic) or bearer:TOKEN. Also ${ServerCredentials.UsernameVariable}/${ServerCredentials.PasswordVariable} and ${ServerCredentials.TokenVariable}.",
            HelpName = "FILE",
        };
        var insecure = new Option<bool>("--insecure-no-auth")
        {
            Description = "Serve beyond loopback without authentication (anyone who reaches the port can read and write every run).",
        };
        var tlsCert = new Option<string?>("--tls-cert") { Description = "PEM certificate for HTTPS (with --tls-key).", HelpName = "FILE" };
        var tlsKey = new Option<string?>("--tls-key") { Description = "PEM private key for HTTPS (with --tls-cert).", HelpName = "FILE" };
        var maxArtifact = new Option<long>("--max-artifact-bytes")
        {
            Description = "The largest artifact one upload may carry, in bytes (default 5 GiB).",
            DefaultValueFactory = _ => 5L << 30,
            HelpName = "N",
        };
        maxArtifact.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<long>() < 1) result.AddError("Invalid --max-artifact-bytes: it must be at least 1.");
        });
        var command = new Command("server", "Serve MLflow's tracking REST API and artifact proxy over the store (MLflow's Python client, Qlib and qtrack log to it), with the web UI on the same port, until Ctrl+C.")
        {
            backend, destination, noServe, host, port, credentialsFile, insecure, tlsCert, tlsKey, maxArtifact,
        };
        command.SetAction((parsed, cancellation) => context.ExecuteAsync(async () =>
        {
            var options = new TrackingServerOptions
            {
                BackendStoreUri = parsed.GetValue(backend)!,
                ArtifactsDestination = parsed.GetValue(destination),
                ServeArtifacts = !parsed.GetValue(noServe),
                Host = parsed.GetValue(host)!,
                Port = parsed.GetValue(port),
                Credentials = ServerCredentials.Load(parsed.GetValue(credentialsFile), context.Variable),
                InsecureNoAuth = parsed.GetValue(insecure),
                TlsCertificatePath = parsed.GetValue(tlsCert),
                TlsKeyPath = parsed.GetValue(tlsKey),
                MaxArtifactUploadBytes = parsed.GetValue(maxArtifact),
                RequestLog = context.Error,
            };
            await using var app = TrackingServer.CreateApp(options);
            if (QtrackWeb.GetListenPlan(app).Warning is not null)
            {
                context.Error.WriteLine(options.Credentials is { Any: true }
                    ? $"warning: serving beyond loopback on {options.Host}; clients must authenticate" + (options.TlsCertificatePath is null ? ", over plain HTTP (use --tls-cert/--tls-key or a TLS reverse proxy)." : ".")
                    : $"warning: serving beyond loopback on {options.Host} WITHOUT authentication (--insecure-no-auth): anyone who reaches the port can read and change every run.");
            }
            // Ctrl+C or SIGTERM: stop taking requests, let those in flight finish (up to the shutdown timeout), then
            // exit. Handled here (not by System.CommandLine, which would end the process after a fixed delay).
            using var stopping = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
            using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
            using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
            void Stop(PosixSignalContext signal)
            {
                signal.Cancel = true;
                stopping.Cancel();
            }
            await QtrackWeb.StartAsync(app, stopping.Token);
            // A database URI may carry its password: the line shows it as ***.
            foreach (var url in QtrackWeb.GetListeningUrls(app))
                context.Out.WriteLine($"qtrack server: serving {Qlib.Tracked.Stores.Rest.RestEndpoint.Redact(options.BackendStoreUri)} at {url} (artifacts {(options.ServeArtifacts ? "served" : "not served")}; UI read-only); Ctrl+C stops.");
            await context.Out.FlushAsync(CancellationToken.None);
            try
            {
                await Task.Delay(Timeout.Infinite, stopping.Token);
            }
            catch (OperationCanceledException)
            {
                // Ctrl+C or SIGTERM: the normal way to stop serving.
            }
            // Requests in flight finish (up to the shutdown timeout); disposing of the app then closes the store.
            await app.StopAsync(CancellationToken.None);
            context.Out.WriteLine("qtrack server: stopped.");
            return ExitCodes.Success;
        }));
        return command;
    }
}
