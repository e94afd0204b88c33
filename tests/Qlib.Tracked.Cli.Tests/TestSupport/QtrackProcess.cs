using System.Diagnostics;

namespace Qlib.Tracked.Cli.Tests;

/// <summary>The built qtrack as a child process (<c>dotnet qtrack.dll …</c>, the same dotnet host as the tests) with stdout and stderr captured.</summary>
public static class QtrackProcess
{
    public static Process Start(params string[] args)
    {
        var start = new ProcessStartInfo(Environment.ProcessPath ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "qtrack.dll"));
        foreach (var arg in args) start.ArgumentList.Add(arg);
        return Process.Start(start)!;
    }
}
