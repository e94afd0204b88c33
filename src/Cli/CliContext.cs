using System.CommandLine;
using Qlib.Tracked.Entities;
using Qlib.Tracked.Stores;
using Spectre.Console;

namespace Qlib.Tracked.Tool;

/// <summary>What every command shares: the output writers, the <c>--store</c> option and the error policy.</summary>
public sealed class CliContext
{
    /// <summary>Where the store is when neither <c>--store</c> nor the environment names one.</summary>
    public const string DefaultStore = "./mlruns";

    /// <summary>The environment variable Qlib reads for its tracking URI.</summary>
    public const string StoreEnvironmentVariable = "QLIB_MLFLOW_URI";

    private readonly Func<string, string?> _environment;

    public CliContext(TextWriter output, TextWriter error, Func<string, string?> environment)
    {
        Out = output;
        Error = error;
        _environment = environment;
        StoreOption = new Option<string?>("--store", "-s")
        {
            Description = $"The mlruns folder, file: URI, sqlite:///FILE.db, postgresql:// URI or a tracking server's http(s):// URI (default: ${StoreEnvironmentVariable}, else ${ExperimentManager.MlflowUriEnvironmentVariable}, else {DefaultStore}).",
            HelpName = "DIR",
            Recursive = true,
        };
        ArtifactRootOption = new Option<string[]>("--artifact-root")
        {
            Description = "A folder outside the store where runs may keep artifacts (repeatable). Artifact locations a store file " +
                          "names outside the store and these folders are refused.",
            HelpName = "DIR",
            Recursive = true,
            AllowMultipleArgumentsPerToken = false,
        };
    }

    public TextWriter Out { get; }

    public TextWriter Error { get; }

    /// <summary>An environment variable as this invocation sees it (tests pass their own environment).</summary>
    internal string? Variable(string name) => _environment(name);

    public Option<string?> StoreOption { get; }

    /// <summary><c>--artifact-root</c>: artifact folders the user allows besides the store's own.</summary>
    public Option<string[]> ArtifactRootOption { get; }

    /// <summary>The options a store is opened with, from the command line.</summary>
    public TrackingStoreOptions StoreOptions(ParseResult parsed) =>
        new() { ArtifactRoots = parsed.GetValue(ArtifactRootOption) ?? [] };

    /// <summary>
    /// Opens the store named by <c>--store</c>, <c>QLIB_MLFLOW_URI</c>, <c>MLFLOW_TRACKING_URI</c> or <c>./mlruns</c>. A local folder or
    /// SQLite file that does not exist is an error rather than a new empty store: a read command must not create one
    /// from a typo. The caller disposes of the store. Corrupt entries the store skips are reported on stderr.
    /// </summary>
    public ITrackingStore OpenStore(ParseResult parsed)
    {
        var (location, source) = CheckStoreLocation(parsed);
        var options = StoreOptions(parsed);
        // A tracking server's credentials, TLS and retries come from MLflow's variables in this command's environment.
        if (TrackingUri.GetScheme(location) is "http" or "https")
            options = options with { Http = Stores.Rest.RestClientSettings.FromEnvironment(name => _environment(name)) };
        var store = NamingTheSource(source, () => TrackingStoreRegistry.Open(location, options));
        store.Warning += warning => Error.WriteLine($"warning: skipped {warning}");
        // A slow or restarting server shows why a command waits (the reports name no credentials).
        if (store is RestStore rest) rest.RequestRetried += message => Error.WriteLine($"warning: {message}");
        return store;
    }

    /// <summary>
    /// The store location (see <see cref="OpenStore"/>), checked as <see cref="OpenStore"/> checks it but not opened:
    /// for <c>qtrack ui</c>, whose web host opens the store itself.
    /// </summary>
    public string CheckedStoreLocation(ParseResult parsed) => CheckStoreLocation(parsed).Location;

    private (string Location, string Source) CheckStoreLocation(ParseResult parsed)
    {
        var (location, source) = ResolveStoreLocationAndSource(parsed);
        // A missing folder (file:) or database file (sqlite:) would be created, empty, by opening it.
        if (NamingTheSource(source, () => ExistingStore.Problem(location)) is { } problem)
            throw TrackingException.DoesNotExist($"No store at '{location}' ({source}): {problem}. Pass --store DIR|URI or set {StoreEnvironmentVariable}.");
        return (location, source);
    }

    /// <summary>The store's refusal of a URI names the URI and the rule; the user also needs to know where the URI came from.</summary>
    private static T NamingTheSource<T>(string source, Func<T> open)
    {
        try
        {
            return open();
        }
        catch (TrackingException e) when (e.Code is ErrorCode.InvalidParameterValue or ErrorCode.NotImplemented)
        {
            throw new TrackingException(e.Code, $"Invalid {source}: {e.Message}", e);
        }
    }

    /// <summary>The store location <c>--store</c>, <c>QLIB_MLFLOW_URI</c>, <c>MLFLOW_TRACKING_URI</c> or <c>./mlruns</c> names (in that order), and which of them named it.</summary>
    private (string Location, string Source) ResolveStoreLocationAndSource(ParseResult parsed)
    {
        var location = parsed.GetValue(StoreOption);
        if (location is not null)
        {
            // An empty --store (an unset shell variable, say) must not quietly fall back to ./mlruns.
            if (string.IsNullOrWhiteSpace(location))
                throw TrackingException.InvalidParameter("Invalid --store '': it is empty; give the mlruns folder or a store URI.");
            return (location, "--store");
        }
        location = _environment(StoreEnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(location)) return (location, "$" + StoreEnvironmentVariable);
        // MLflow's own variable, as ExperimentManager.ResolveDefaultUri reads it: Qlib's wins when both are set.
        location = _environment(ExperimentManager.MlflowUriEnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(location)) return (location, "$" + ExperimentManager.MlflowUriEnvironmentVariable);
        return (DefaultStore, "default store " + DefaultStore);
    }

    /// <summary>As <see cref="Execute"/>, for commands that run until cancelled (<c>qtrack ui</c>).</summary>
    public async Task<int> ExecuteAsync(Func<Task<int>> body)
    {
        try
        {
            return await body();
        }
        catch (TrackingException e)
        {
            Error.WriteLine($"error: {e.MlflowErrorCode}: {e.Message}");
            return e.Code == ErrorCode.InvalidParameterValue ? ExitCodes.UsageError : ExitCodes.Failure;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Error.WriteLine($"error: {e.Message}");
            return ExitCodes.Failure;
        }
    }

    /// <summary>
    /// Runs a command body and turns failures into a message on stderr and an exit code: invalid input
    /// (INVALID_PARAMETER_VALUE, e.g. a filter the grammar rejects) is a usage error (2), anything else
    /// the store or the file system refused is a failure (1).
    /// </summary>
    public int Execute(Func<int> body)
    {
        try
        {
            return body();
        }
        catch (TrackingException e)
        {
            Error.WriteLine($"error: {e.MlflowErrorCode}: {e.Message}");
            return e.Code == ErrorCode.InvalidParameterValue ? ExitCodes.UsageError : ExitCodes.Failure;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Error.WriteLine($"error: {e.Message}");
            return ExitCodes.Failure;
        }
    }

    /// <summary>
    /// True when stderr is the process's own, attached to a terminal: only then is a live progress display
    /// drawn (captured or redirected output gets plain lines, never ANSI escapes).
    /// </summary>
    public bool ErrorIsTerminal => ReferenceEquals(Error, Console.Error) && !Console.IsErrorRedirected;

    /// <summary>
    /// Runs <paramref name="work"/> under a spinner with <paramref name="message"/> on a terminal's stderr
    /// (cleared when done); elsewhere it just runs it, so captured output never holds escape codes.
    /// </summary>
    public T WithStatus<T>(string message, Func<T> work)
    {
        if (!ErrorIsTerminal) return work();
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Error) });
        return console.Status().Start(message, _ => work());
    }

    /// <summary>
    /// Copies <paramref name="content"/> to stdout byte for byte when stdout is the process's own; a captured
    /// writer (tests, an embedding host) gets the bytes decoded as UTF-8 text.
    /// </summary>
    public void CopyToOut(Stream content)
    {
        if (ReferenceEquals(Out, Console.Out))
        {
            Out.Flush();
            using var stdout = Console.OpenStandardOutput();
            content.CopyTo(stdout);
            stdout.Flush();
            return;
        }
        using var reader = new StreamReader(content, System.Text.Encoding.UTF8, detectEncodingFromByteOrderMarks: false, leaveOpen: true);
        var buffer = new char[8192];
        int read;
        while ((read = reader.Read(buffer, 0, buffer.Length)) > 0) Out.Write(buffer, 0, read);
    }

    /// <summary>The view type named by a <c>--view</c> value (already restricted to these three by the parser).</summary>
    public static ViewType ParseView(string? value) => value switch
    {
        "deleted" => ViewType.DeletedOnly,
        "all" => ViewType.All,
        _ => ViewType.ActiveOnly,
    };
}
