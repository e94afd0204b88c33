using System.Text.Json;
using Qlib.Tracked.Entities;
using Qlib.Tracked.Stores;

namespace Qlib.Tracked.Tests.Search;

/// <summary>
/// A copy of the store real MLflow 2.12 wrote (tests/Fixtures/mlflow-filestore-reference), opened once per
/// test class, with the run ids and experiment ids of expected_read_store.raw.json.
/// </summary>
public sealed class MlflowFixture : IDisposable
{
    public static readonly string FixtureDir = Path.Combine(AppContext.BaseDirectory, "Fixtures", "mlflow-filestore-reference");

    private readonly TempDirectory _temp = new();

    public MlflowFixture()
    {
        TempDirectory.CopyTree(Path.Combine(FixtureDir, "mlruns"), _temp.Combine("mlruns"));
        Store = new FileStore(_temp.Combine("mlruns"));
        using var raw = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(FixtureDir, "expected_read_store.raw.json")));
        foreach (var experiment in raw.RootElement.GetProperty("experiments").EnumerateArray())
        {
            ExperimentIds[experiment.GetProperty("name").GetString()!] = experiment.GetProperty("experiment_id").GetString()!;
            foreach (var run in experiment.GetProperty("runs").EnumerateArray())
                RunIds[run.GetProperty("run_name").GetString()!] = run.GetProperty("run_id").GetString()!;
        }
        ActiveExperimentIds = Store.SearchExperiments(ViewType.ActiveOnly).Select(e => e.ExperimentId).ToArray();
    }

    public FileStore Store { get; }

    public Dictionary<string, string> RunIds { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, string> ExperimentIds { get; } = new(StringComparer.Ordinal);

    /// <summary>Default, qlib_ref_alpha and qlib_ref_beta: what the reference searches ran over.</summary>
    public string[] ActiveExperimentIds { get; }

    public IReadOnlyList<Run> Search(string? filter, IReadOnlyList<string>? orderBy = null, ViewType viewType = ViewType.ActiveOnly) =>
        Store.SearchRuns(ActiveExperimentIds, filter, viewType, 1000, orderBy, null).Items;

    public string[] Names(string? filter, params string[] orderBy) => Search(filter, orderBy).Select(r => r.Info.RunName).ToArray();

    public void Dispose() => _temp.Dispose();
}
