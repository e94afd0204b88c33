namespace Qlib.Tracked.Web;

/// <summary>
/// <c>dotnet run --project src/Web -- [--store DIR] [--artifact-root DIR]… [--host ADDR] [--port N] [--urls URL;URL] [--allow-writes]</c>.
/// The store defaults to <c>QLIB_MLFLOW_URI</c>, else <c>MLFLOW_TRACKING_URI</c>, else <c>./mlruns</c>. Options also take the <c>--name=value</c>
/// form, which is how WebApplicationFactory hands over its settings; ASP.NET's own host switches
/// (<c>--environment</c>, <c>--contentRoot</c>, <c>--applicationName</c>) are passed through.
/// </summary>
public sealed class Program
{
    private static readonly string[] HostSwitches = ["environment", "contentRoot", "applicationName"];

    public static int Main(string[] args)
    {
        WebOptions options;
        var hostArgs = new List<string>();
        try
        {
            options = Parse(args, hostArgs);
        }
        catch (ArgumentException e)
        {
            Console.Error.WriteLine("qtrack ui: " + e.Message);
            return 2;
        }

        WebApplication app;
        try
        {
            app = QtrackWeb.CreateApp(options, [.. hostArgs]);
        }
        catch (TrackingException e)
        {
            Console.Error.WriteLine("qtrack ui: " + e.Message);
            return 2;
        }
        if (QtrackWeb.GetListenPlan(app).Warning is { } exposure) Console.Error.WriteLine("qtrack ui: warning: " + exposure);
        try
        {
            QtrackWeb.StartAsync(app, CancellationToken.None).GetAwaiter().GetResult();
        }
        catch (IOException e)
        {
            Console.Error.WriteLine("qtrack ui: " + e.Message);
            return 1;
        }
        foreach (var url in QtrackWeb.GetListeningUrls(app))
            Console.WriteLine($"qtrack ui: serving {options.StorePath} at {url} ({(options.AllowWrites ? "writes enabled" : "read-only")})");
        app.WaitForShutdown();
        return 0;
    }

    internal static WebOptions Parse(string[] args, List<string> hostArgs)
    {
        var store = Environment.GetEnvironmentVariable("QLIB_MLFLOW_URI") is { Length: > 0 } fromEnv ? fromEnv
            : Environment.GetEnvironmentVariable(ExperimentManager.MlflowUriEnvironmentVariable) is { Length: > 0 } fromMlflow ? fromMlflow
            : "./mlruns";
        var options = new WebOptions { StorePath = store };
        for (var i = 0; i < args.Length; i++)
        {
            var arg = args[i];
            if (!arg.StartsWith("--", StringComparison.Ordinal)) throw new ArgumentException($"Unexpected argument '{arg}'.");
            var eq = arg.IndexOf('=');
            var name = eq < 0 ? arg[2..] : arg[2..eq];
            var inline = eq < 0 ? null : arg[(eq + 1)..];
            string Value() => inline ?? (i + 1 < args.Length ? args[++i] : throw new ArgumentException($"'--{name}' needs a value."));
            switch (name)
            {
                case "store": options = options with { StorePath = Value() }; break;
                case "artifact-root": options = options with { ArtifactRoots = [.. options.ArtifactRoots, Value()] }; break;
                case "host": options = options with { Host = Value() }; break;
                case "port":
                    var port = Value();
                    options = options with
                    {
                        Port = int.TryParse(port, System.Globalization.CultureInfo.InvariantCulture, out var p) && p is >= 0 and <= 65535
                            ? p : throw new ArgumentException($"'--port' must be 0-65535, got '{port}'."),
                    };
                    break;
                case "urls": options = options with { Urls = Value().Split(';', StringSplitOptions.RemoveEmptyEntries) }; break;
                case "allow-writes":
                    options = options with
                    {
                        AllowWrites = inline is null || (bool.TryParse(inline, out var allow)
                            ? allow : throw new ArgumentException($"'--allow-writes' takes true or false, got '{inline}'.")),
                    };
                    break;
                default:
                    if (!HostSwitches.Contains(name, StringComparer.OrdinalIgnoreCase))
                        throw new ArgumentException($"Unknown option '--{name}'. Known: --store, --artifact-root, --host, --port, --urls, --allow-writes.");
                    hostArgs.Add($"--{name}={Value()}");
                    break;
            }
        }
        return options;
    }
}
