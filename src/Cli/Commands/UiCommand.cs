using System.CommandLine;
using System.Globalization;
using Qlib.Tracked.Web;

namespace Qlib.Tracked.Tool.Commands;

/// <summary>
/// <c>qtrack ui [--host ADDR] [--port N] [--allow-writes]</c>: serves the web UI (Qlib.Tracked.Web) over the
/// store until Ctrl+C. Loopback and read-only unless told otherwise, because the UI shows everything in the store
/// to whoever can reach the port: a host beyond loopback is warned about on stderr, and refused with --allow-writes.
/// </summary>
internal static class UiCommand
{
    public static Command Create(CliContext context)
    {
        var host = new Option<string>("--host")
        {
            Description = "The address to listen on: an IP address of this machine or a name resolving to one (default 127.0.0.1; "
                + "anything but loopback exposes the store to the network, with a warning, and refuses --allow-writes).",
            DefaultValueFactory = _ => "127.0.0.1",
            HelpName = "ADDR",
        };
        var port = CommonOptions.ListenPort();
        var allowWrites = new Option<bool>("--allow-writes")
        {
            Description = "Enable the endpoints that delete/restore runs and rename experiments (off: read-only).",
        };
        var command = new Command("ui", "Serve the web UI for the store (runs table, run pages, charts, compare) until Ctrl+C.")
        {
            host, port, allowWrites,
        };
        command.SetAction((parsed, cancellation) => context.ExecuteAsync(async () =>
        {
            var portValue = parsed.GetValue(port);
            var storePath = context.CheckedStoreLocation(parsed);
            var options = new WebOptions
            {
                StorePath = storePath,
                ArtifactRoots = context.StoreOptions(parsed).ArtifactRoots,
                Host = parsed.GetValue(host)!,
                Port = portValue,
                AllowWrites = parsed.GetValue(allowWrites),
            };
            // The host's own "Now listening on…" lines would repeat ours; keep stdout to the one line a user needs.
            await using var app = QtrackWeb.CreateApp(options, ["--Logging:LogLevel:Microsoft.Hosting.Lifetime=Warning"]);
            if (QtrackWeb.GetListenPlan(app).Warning is { } exposure) context.Error.WriteLine("warning: " + exposure);
            await QtrackWeb.StartAsync(app, cancellation);
            foreach (var url in QtrackWeb.GetListeningUrls(app))
                context.Out.WriteLine($"qtrack ui: serving {options.StorePath} at {url} ({(options.AllowWrites ? "writes enabled" : "read-only")}); Ctrl+C stops.");
            await context.Out.FlushAsync(CancellationToken.None);
            try
            {
                await Task.Delay(Timeout.Infinite, cancellation);
            }
            catch (OperationCanceledException)
            {
                // Ctrl+C: the normal way to stop serving.
            }
            await app.StopAsync(CancellationToken.None);
            return ExitCodes.Success;
        }));
        return command;
    }
}
