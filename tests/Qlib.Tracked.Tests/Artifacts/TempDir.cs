namespace Qlib.Tracked.Tests.Artifacts;

/// <summary>A real temp folder holding an artifact root and a sibling "outside" folder.</summary>
public sealed class TempDir : IDisposable
{
    private readonly TempDirectory _temp;

    public TempDir([System.Runtime.CompilerServices.CallerFilePath] string callerFile = "", [System.Runtime.CompilerServices.CallerMemberName] string caller = "")
    {
        _temp = new TempDirectory(null, callerFile, caller);
        Path = _temp.Path;
        Root = System.IO.Path.Combine(Path, "run", "artifacts");
        Outside = System.IO.Path.Combine(Path, "outside");
        Directory.CreateDirectory(Outside);
        File.WriteAllText(System.IO.Path.Combine(Outside, "secret.txt"), "secret");
    }

    public string Path { get; }
    public string Root { get; }
    public string Outside { get; }

    /// <summary>Every file below the temp folder, relative, sorted: for "nothing else was written" checks.</summary>
    public string[] AllFiles() =>
        [.. Directory.EnumerateFiles(Path, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 })
            .Select(f => System.IO.Path.GetRelativePath(Path, f)).Order(StringComparer.Ordinal)];

    public void Dispose() => _temp.Dispose();
}
