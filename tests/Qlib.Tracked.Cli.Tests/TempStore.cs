namespace Qlib.Tracked.Cli.Tests;

/// <summary>A temp folder (deleted on dispose), optionally holding a copy of the MLflow-written fixture store.</summary>
public sealed class TempStore : IDisposable
{
    public static readonly string FixtureDir = Path.Combine(AppContext.BaseDirectory, "Fixtures", "mlflow-filestore-reference");

    public TempStore(bool copyFixture)
    {
        Root = Path.Combine(Path.GetTempPath(), "qtrk-cli-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Root);
        Store = Path.Combine(Root, "mlruns");
        if (copyFixture) CopyTree(Path.Combine(FixtureDir, "mlruns"), Store);
    }

    public string Root { get; }

    /// <summary>The mlruns folder.</summary>
    public string Store { get; }

    public string Combine(params string[] parts) => Path.Combine([Root, .. parts]);

    public void Dispose()
    {
        try { Directory.Delete(Root, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    private static void CopyTree(string source, string destination)
    {
        Directory.CreateDirectory(destination);
        foreach (var dir in Directory.EnumerateDirectories(source, "*", SearchOption.AllDirectories))
            Directory.CreateDirectory(Path.Combine(destination, Path.GetRelativePath(source, dir)));
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
            File.Copy(file, Path.Combine(destination, Path.GetRelativePath(source, file)));
    }
}
