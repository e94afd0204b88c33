using System.CommandLine;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Qlib.Tracked.Web;

namespace Qlib.Tracked.Tool.Commands;

/// <summary>
/// <c>qtrack ui [--host ADDR] [--port N] [--allow-writes]</c>: serves the web UI (Qlib.Tracked.Web) over the
/// store until Ctrl+C. Loopback and read-only unless told otherwise, because the UI shows everything in the store
/// to whoever can reach the port.
/// </summary>
internal static class UiCommand
{
    public static Command Create(CliContext context)
    {
        var host = new Option<string>("--host")
        {
            Description = "The address to listen on (default 127.0.0.1; anything else exposes the store to the network).",
            DefaultValueFactory = _ => "127.0.0.1",
            HelpName = "ADDR",
        };
        host.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<string>() is { } value && !IsListenAddress(value))
                result.AddError($"Invalid --host '{value}': use an IP address (127.0.0.1, ::1, 0.0.0.0, ::) or localhost. " +
                    "The web server would listen on every network address for any other name.");
        });
        var port = new Option<int>("--port", "-p")
        {
            Description = "The port (default 5000; 0 picks a free one).",
            DefaultValueFactory = _ => 5000,
            HelpName = "N",
        };
        port.Validators.Add(result =>
        {
            // Read from the token: a value that is not a number at all is the parser's error, reported already.
            foreach (var token in result.Tokens)
            {
                if (int.TryParse(token.Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) && value is < 0 or > 65535)
                    result.AddError(string.Create(CultureInfo.InvariantCulture, $"Invalid --port {value}: it must be 0-65535 (0 picks a free port)."));
            }
        });
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
            if (Stores.TrackingUri.GetScheme(storePath) != "file")
                throw new TrackingException(ErrorCode.NotImplemented,
                    $"qtrack ui serves local file stores only, and '{storePath}' uses the scheme '{Stores.TrackingUri.GetScheme(storePath)}'.");
            var options = new WebOptions
            {
                StorePath = storePath,
                Host = parsed.GetValue(host)!,
                Port = portValue,
                AllowWrites = parsed.GetValue(allowWrites),
            };
            // The host's own "Now listening on…" lines would repeat ours; keep stdout to the one line a user needs.
            // A start failure (the port taken, an address this machine does not have) is reported below, once, without the host's stack trace.
            await using var app = QtrackWeb.CreateApp(options,
                ["--Logging:LogLevel:Microsoft.Hosting.Lifetime=Warning", "--Logging:LogLevel:Microsoft.Extensions.Hosting.Internal.Host=None"]);
            try
            {
                await app.StartAsync(cancellation);
            }
            catch (Exception e) when (e is IOException or SocketException)
            {
                throw new IOException(string.Create(CultureInfo.InvariantCulture,
                    $"Cannot listen on --host {options.Host} --port {options.Port}: {e.Message}"), e);
            }
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

    /// <summary>
    /// What Kestrel binds as given: an IP address or localhost. It takes any other text (a host name, a typo) as
    /// "every address", so a mistyped loopback name would expose the store to the network.
    /// </summary>
    private static bool IsListenAddress(string value) =>
        value.Equals("localhost", StringComparison.OrdinalIgnoreCase) || IPAddress.TryParse(value, out _);
}
