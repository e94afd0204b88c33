namespace Qlib.Tracked.IntegrationTests;

/// <summary>A fresh store folder under the temp directory, removed when the test ends.</summary>
public sealed class TempStore : IDisposable
{
    public TempStore()
    {
        Root = Path.Combine(Path.GetTempPath(), "qtrk-it-" + Guid.NewGuid().ToString("N"), "mlruns");
        Uri = "file:" + Root;
    }

    public string Root { get; }
    public string Uri { get; }

    public void Dispose()
    {
        var parent = Path.GetDirectoryName(Root)!;
        if (Directory.Exists(parent)) Directory.Delete(parent, recursive: true);
    }
}
