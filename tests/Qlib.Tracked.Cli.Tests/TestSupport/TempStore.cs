using System.Runtime.CompilerServices;

namespace Qlib.Tracked.Cli.Tests;

/// <summary>A temp folder (deleted on dispose), optionally holding a copy of the MLflow-written fixture store.</summary>
public sealed class TempStore : IDisposable
{
    public static readonly string FixtureDir = Path.Combine(AppContext.BaseDirectory, "Fixtures", "mlflow-filestore-reference");

    private readonly TempDirectory _temp;

    public TempStore(bool copyFixture, [CallerFilePath] string callerFile = "", [CallerMemberName] string caller = "")
    {
        _temp = new TempDirectory(null, callerFile, caller);
        Root = _temp.Path;
        Store = Path.Combine(Root, "mlruns");
        if (copyFixture) TempDirectory.CopyTree(Path.Combine(FixtureDir, "mlruns"), Store);
    }

    public string Root { get; }

    /// <summary>The mlruns folder.</summary>
    public string Store { get; }

    public string Combine(params string[] parts) => Path.Combine([Root, .. parts]);

    public void Dispose() => _temp.Dispose();
}
