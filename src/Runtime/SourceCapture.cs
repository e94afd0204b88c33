using System.ComponentModel;
using System.Diagnostics;
using System.Text;

namespace Qlib.Tracked;

/// <summary>
/// What a new run records about its source, as MLflow's context providers and Qlib's
/// <c>_log_uncommitted_code</c> do. Git runs as a child process with a timeout; outside a work tree,
/// without git, or on any git error the git parts are simply absent (nothing fails).
/// </summary>
internal static class SourceCapture
{
    public const string UserTag = "mlflow.user";
    public const string SourceNameTag = "mlflow.source.name";
    public const string SourceTypeTag = "mlflow.source.type";
    public const string GitCommitTag = "mlflow.source.git.commit";
    public const string RunNameTag = "mlflow.runName";

    /// <summary>The three files Qlib writes at the artifact root, and the git arguments that produce them.</summary>
    public static readonly (string File, string[] Args)[] CodeArtifacts =
    [
        ("code_diff.txt", ["diff"]),
        ("code_status.txt", ["status"]),
        ("code_cached.txt", ["diff", "--cached"]),
    ];

    /// <summary>The OS user, looked up once (on Unix each lookup reads the user database).</summary>
    public static string UserName => CachedUserName ??= Environment.UserName;

    private static string? CachedUserName;

    /// <summary>The tags MLflow's fluent <c>start_run</c> sets without git: user, entry program, LOCAL.</summary>
    public static Dictionary<string, string> BasicTags()
    {
        var args = Environment.GetCommandLineArgs();
        return new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [UserTag] = UserName,
            [SourceNameTag] = args.Length > 0 ? args[0] : (Environment.ProcessPath ?? ""),
            [SourceTypeTag] = "LOCAL",
        };
    }

    /// <summary>Qlib's <c>cmd-sys.argv</c>: the command line joined by spaces.</summary>
    public static string CommandLine() => string.Join(' ', Environment.GetCommandLineArgs());

    /// <summary>Qlib logs one param per environment variable whose name starts with <c>_QLIB_</c>.</summary>
    public static IEnumerable<KeyValuePair<string, string>> QlibEnvironmentParams()
    {
        foreach (System.Collections.DictionaryEntry e in Environment.GetEnvironmentVariables())
        {
            if (e.Key is string k && k.StartsWith("_QLIB_", StringComparison.Ordinal))
                yield return new(k, e.Value as string ?? "");
        }
    }

    /// <summary>The HEAD commit when <paramref name="directory"/> is inside a git work tree, else null.</summary>
    public static string? GitCommit(string directory, TimeSpan timeout)
    {
        if (RunGit(directory, timeout, "rev-parse", "--is-inside-work-tree")?.Trim() != "true") return null;
        var head = RunGit(directory, timeout, "rev-parse", "HEAD")?.Trim();
        return string.IsNullOrEmpty(head) ? null : head;
    }

    /// <summary>The output of each of Qlib's three git commands (absent when a command failed).</summary>
    public static IEnumerable<(string File, string Content)> CodeSnapshots(string directory, TimeSpan timeout)
    {
        foreach (var (file, args) in CodeArtifacts)
        {
            var output = RunGit(directory, timeout, args);
            if (output is not null) yield return (file, output);
        }
    }

    /// <summary>Runs git and returns stdout, or null when git is missing, fails or times out.</summary>
    internal static string? RunGit(string directory, TimeSpan timeout, params string[] args)
    {
        var psi = new ProcessStartInfo("git")
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            CreateNoWindow = true,
            StandardOutputEncoding = Encoding.UTF8,
        };
        foreach (var a in args) psi.ArgumentList.Add(a);
        // Plain, untranslated output regardless of the user's git config or locale.
        psi.Environment["GIT_TERMINAL_PROMPT"] = "0";
        psi.Environment["LC_ALL"] = "C";
        try
        {
            using var process = Process.Start(psi);
            if (process is null) return null;
            process.StandardInput.Close();
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(timeout))
            {
                try { process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
                return null;
            }
            process.WaitForExit();
            _ = stderr.Result;
            return process.ExitCode == 0 ? stdout.Result : null;
        }
        catch (Win32Exception) { return null; }           // git is not installed
        catch (DirectoryNotFoundException) { return null; }
        catch (InvalidOperationException) { return null; }
    }
}
