using System.CommandLine;
using System.CommandLine.Parsing;
using Qlib.Tracked.Tool.Commands;

namespace Qlib.Tracked.Tool;

/// <summary>
/// The <c>qtrack</c> command line. Everything is built per call and writes only to the writers given,
/// so tests run the real commands in-process.
/// </summary>
public static class Cli
{
    /// <summary>Runs <c>qtrack</c> with <paramref name="args"/>; returns the exit code (see <see cref="ExitCodes"/>).</summary>
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr) =>
        Run(args, stdout, stderr, Environment.GetEnvironmentVariable);

    /// <summary>As <see cref="Run(string[], TextWriter, TextWriter)"/>, reading environment variables through <paramref name="environment"/>.</summary>
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr, Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);
        ArgumentNullException.ThrowIfNull(environment);

        var context = new CliContext(stdout, stderr, environment);
        var root = BuildRoot(context);
        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (var error in parsed.Errors) stderr.WriteLine($"error: {Describe(error)}");
            stderr.WriteLine("Run 'qtrack --help' for usage.");
            return ExitCodes.UsageError;
        }
        try
        {
            var invocation = new InvocationConfiguration
            {
                Output = stdout,
                Error = stderr,
                // CliContext.Execute maps expected failures to messages and exit codes.
                EnableDefaultExceptionHandler = false,
            };
            // qtrack server handles SIGINT and SIGTERM itself: System.CommandLine would end the process a couple of
            // seconds after the signal, cutting off requests still in flight (ServerCommand waits for them).
            if (ServerCommand.HandlesSignals(parsed)) invocation.ProcessTerminationTimeout = null;
            return parsed.Invoke(invocation);
        }
        catch (Exception e)
        {
            // A bug, not bad input: keep the whole exception for the report, but still exit like a tool.
            stderr.WriteLine($"error: unexpected failure: {e}");
            return ExitCodes.Failure;
        }
    }

    /// <summary>
    /// The parser's message, led by the option or argument it is about when the message does not name it
    /// ("Argument 'xml' not recognized" alone does not say which of several options got it).
    /// </summary>
    private static string Describe(ParseError error)
    {
        var symbol = error.SymbolResult switch
        {
            OptionResult option => option.Option.Name,
            ArgumentResult { Parent: OptionResult option } => option.Option.Name,
            ArgumentResult argument => argument.Argument.Name,
            _ => null,
        };
        return symbol is null || error.Message.Contains(symbol, StringComparison.Ordinal) ? error.Message : $"{symbol}: {error.Message}";
    }

    internal static RootCommand BuildRoot(CliContext context)
    {
        var root = new RootCommand("qtrack: browse, search, compare and export runs of an MLflow file store (mlruns).");
        root.Add(context.StoreOption);
        root.Add(context.ArtifactRootOption);
        root.Add(ExperimentsCommand.Create(context));
        root.Add(RunsCommand.Create(context));
        root.Add(ShowCommand.Create(context));
        root.Add(MetricsCommand.Create(context));
        root.Add(CompareCommand.Create(context));
        root.Add(ExportCommand.Create(context));
        root.Add(ArtifactsCommand.Create(context));
        root.Add(GetCommand.Create(context));
        root.Add(MigrateCommand.Create(context));
        root.Add(GcCommand.Create(context));
        root.Add(UiCommand.Create(context));
        root.Add(ServerCommand.Create(context));
        return root;
    }
}
