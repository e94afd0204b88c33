using System.Text.Json;
using Qlib.Tracked.Artifacts;
using Qlib.Tracked.Entities;
using Qlib.Tracked.Stores;
using Qlib.Tracked.Stores.Sql;

namespace Qlib.Tracked.Tests;

/// <summary>
/// Opens a copy of the SQLite database real MLflow 2.12 wrote (tests/Fixtures/mlflow-sqlite-reference/mlflow.db) and
/// checks that this store reads back exactly what MLflow read back through <c>sqlite:///</c>
/// (expected_read_store.json; ids mapped back through expected_read_store.raw.json) and finds what MLflow's searches found.
/// </summary>
public sealed class SqliteReferenceFixtureTests : IDisposable
{
    private const string RecordedArtifactRoot = "/home/researcher/qlib-sqlite/mlruns";
    private static readonly string FixtureDir = Path.Combine(AppContext.BaseDirectory, "Fixtures", "mlflow-sqlite-reference");

    private readonly TempDirectory _temp = new();
    private readonly SqlStore _store;
    private readonly JsonDocument _expected;
    private readonly Dictionary<string, string> _placeholders = new(StringComparer.Ordinal);

    public SqliteReferenceFixtureTests()
    {
        var database = _temp.Combine("mlflow.db");
        File.Copy(Path.Combine(FixtureDir, "mlflow.db"), database);
        // Opened as MLflow was: its default artifact root is where the recorded artifact locations point.
        _store = new SqlStore("sqlite:///" + database, new TrackingStoreOptions { DefaultArtifactRoot = RecordedArtifactRoot });
        _expected = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(FixtureDir, "expected_read_store.json")));
        using var raw = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(FixtureDir, "expected_read_store.raw.json")));
        CollectPlaceholders(_expected.RootElement, raw.RootElement);
    }

    public void Dispose()
    {
        _store.Dispose();
        _expected.Dispose();
        _temp.Dispose();
    }

    private void CollectPlaceholders(JsonElement normalized, JsonElement raw)
    {
        switch (normalized.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in normalized.EnumerateObject()) CollectPlaceholders(property.Value, raw.GetProperty(property.Name));
                break;
            case JsonValueKind.Array:
                var rawItems = raw.EnumerateArray().ToArray();
                var i = 0;
                foreach (var item in normalized.EnumerateArray()) CollectPlaceholders(item, rawItems[i++]);
                break;
            case JsonValueKind.String:
                var n = normalized.GetString()!;
                var r = raw.GetString()!;
                if (n.StartsWith("exp:", StringComparison.Ordinal) || n.StartsWith("run:", StringComparison.Ordinal))
                {
                    Assert.True(!_placeholders.TryGetValue(n, out var known) || known == r, $"placeholder {n} maps to two ids");
                    _placeholders[n] = r;
                }
                break;
        }
    }

    /// <summary>A normalized expected string with every id placeholder in it put back.</summary>
    private string Real(string normalized)
    {
        if (_placeholders.TryGetValue(normalized, out var id)) return id;
        foreach (var (placeholder, original) in _placeholders.OrderByDescending(p => p.Key.Length))
            normalized = normalized.Replace(placeholder, original, StringComparison.Ordinal);
        return normalized;
    }

    [Fact]
    public void Database_IsMlflowsRevision_AndOpeningItChangesNothing()
    {
        Assert.Equal(0, _expected.RootElement.GetProperty("errors").GetArrayLength());
        Assert.Equal("acf3f17fdcc7", SchemaRevisionException.RequiredRevision);
        Assert.Equal("Default", _store.GetExperiment("0").Name);
        _store.Dispose();
        Assert.Equal(File.ReadAllBytes(Path.Combine(FixtureDir, "mlflow.db")), File.ReadAllBytes(_temp.Combine("mlflow.db")));
    }

    [Fact]
    public void Experiments_MatchWhatMlflowReadBack_DeletedOnesFoundByNameToo()
    {
        var expectedExperiments = _expected.RootElement.GetProperty("experiments").EnumerateArray().ToArray();
        var all = _store.SearchExperiments(ViewType.All);
        Assert.Equal(expectedExperiments.Select(e => Real(e.GetProperty("experiment_id").GetString()!)).Order(), all.Select(e => e.ExperimentId).Order());
        foreach (var expected in expectedExperiments)
        {
            var id = Real(expected.GetProperty("experiment_id").GetString()!);
            var actual = _store.GetExperiment(id);
            Assert.Equal(expected.GetProperty("name").GetString(), actual.Name);
            Assert.Equal(Real(expected.GetProperty("artifact_location").GetString()!), actual.ArtifactLocation);
            Assert.Equal(expected.GetProperty("lifecycle_stage").GetString(), actual.LifecycleStage.ToMlflowString());
            Assert.Equal(expected.GetProperty("creation_time").GetInt64(), actual.CreationTime);
            Assert.Equal(expected.GetProperty("last_update_time").GetInt64(), actual.LastUpdateTime);
            AssertStringMap(expected.GetProperty("tags"), actual.Tags);
            Assert.Equal(expected.GetProperty("get_by_name_ok").GetBoolean(), _store.GetExperimentByName(actual.Name) is not null);
        }
    }

    [Fact]
    public void Runs_MatchWhatMlflowReadBack_IncludingHistoriesInputsAndArtifactLocations()
    {
        var runsChecked = 0;
        foreach (var experiment in _expected.RootElement.GetProperty("experiments").EnumerateArray())
        {
            var experimentId = Real(experiment.GetProperty("experiment_id").GetString()!);
            var expectedRuns = experiment.GetProperty("runs").EnumerateArray().ToArray();
            var searched = _store.SearchRuns([experimentId], null, ViewType.All, 1000, null, null).Items;
            Assert.Equal(expectedRuns.Select(r => Real(r.GetProperty("run_id").GetString()!)).Order(), searched.Select(r => r.Info.RunId).Order());

            foreach (var expected in expectedRuns)
            {
                var runId = Real(expected.GetProperty("run_id").GetString()!);
                var run = _store.GetRun(runId);
                var info = run.Info;
                Assert.Equal(experimentId, info.ExperimentId);
                Assert.Equal(Real(expected.GetProperty("artifact_uri").GetString()!), info.ArtifactUri);
                Assert.Equal(expected.GetProperty("run_name").GetString(), info.RunName);
                Assert.Equal(expected.GetProperty("user_id").GetString(), info.UserId);
                Assert.Equal(expected.GetProperty("status").GetString(), info.Status.ToMlflowString());
                Assert.Equal(expected.GetProperty("lifecycle_stage").GetString(), info.LifecycleStage.ToMlflowString());
                Assert.Equal(expected.GetProperty("start_time").GetInt64(), info.StartTime);
                var endTime = expected.GetProperty("end_time");
                Assert.Equal(endTime.ValueKind == JsonValueKind.Null ? null : endTime.GetInt64(), info.EndTime);

                AssertStringMap(expected.GetProperty("params"), run.Data.Params);
                AssertStringMap(expected.GetProperty("tags"), run.Data.Tags);
                var expectedMetrics = expected.GetProperty("metrics").EnumerateObject().ToArray();
                Assert.Equal(expectedMetrics.Select(m => m.Name).Order(StringComparer.Ordinal), run.Data.Metrics.Keys.Order(StringComparer.Ordinal));
                foreach (var metric in expectedMetrics) Assert.Equal(Number(metric.Value), run.Data.Metrics[metric.Name].Value);

                foreach (var history in expected.GetProperty("metric_history").EnumerateObject())
                {
                    // Recorded in (step, timestamp) order; the store returns insertion order (alpha-lgb's late step-2 "ic" point is last).
                    var points = _store.GetMetricHistory(runId, history.Name).OrderBy(p => p.Step).ThenBy(p => p.Timestamp).ToList();
                    var expectedPoints = history.Value.EnumerateArray().Select(p => p.EnumerateArray().ToArray())
                        .OrderBy(p => p[0].GetInt64()).ThenBy(p => p[1].GetInt64()).ToArray();
                    Assert.Equal(expectedPoints.Length, points.Count);
                    for (var i = 0; i < points.Count; i++)
                    {
                        Assert.Equal(expectedPoints[i][0].GetInt64(), points[i].Step);
                        Assert.Equal(expectedPoints[i][1].GetInt64(), points[i].Timestamp);
                        Assert.Equal(Number(expectedPoints[i][2]), points[i].Value);
                    }
                }

                var expectedInputs = expected.GetProperty("inputs").EnumerateArray().ToArray();
                Assert.Equal(expectedInputs.Length, run.Inputs.Count);
                for (var i = 0; i < expectedInputs.Length; i++)
                {
                    Assert.Equal(expectedInputs[i].GetProperty("name").GetString(), run.Inputs[i].Dataset.Name);
                    Assert.Equal(expectedInputs[i].GetProperty("digest").GetString(), run.Inputs[i].Dataset.Digest);
                    Assert.Equal(expectedInputs[i].GetProperty("source_type").GetString(), run.Inputs[i].Dataset.SourceType);
                    AssertStringMap(expectedInputs[i].GetProperty("tags"), run.Inputs[i].Tags);
                }

                // The artifacts live at the recorded absolute location (not on this machine): the repository points there,
                // and what MLflow listed is what the fixture's copy of that folder holds.
                var repository = Assert.IsType<LocalArtifactRepository>(_store.GetArtifactRepository(runId));
                Assert.Equal(info.ArtifactUri, repository.LocalRoot);
                AssertArtifacts(expected.GetProperty("artifacts"), Path.Combine(FixtureDir, "mlruns", Path.GetRelativePath(RecordedArtifactRoot, info.ArtifactUri)));

                Assert.True(expected.GetProperty("search_matches_get").GetBoolean());
                var fromSearch = searched.Single(r => r.Info.RunId == runId);
                Assert.Equal(run.Info, fromSearch.Info);
                Assert.Equal(run.Data.Metrics.OrderBy(p => p.Key, StringComparer.Ordinal), fromSearch.Data.Metrics.OrderBy(p => p.Key, StringComparer.Ordinal));
                runsChecked++;
            }
        }
        Assert.Equal(10, runsChecked);
    }

    [Fact]
    public void Searches_MatchWhatMlflowFound()
    {
        var active = _store.SearchExperiments().Select(e => e.ExperimentId).ToArray();
        var names = _store.SearchExperiments(ViewType.All).ToDictionary(e => e.ExperimentId, e => e.Name);
        var searches = 0;
        foreach (var search in _expected.RootElement.GetProperty("searches").EnumerateArray())
        {
            var filter = search.GetProperty("filter").GetString();
            var orderBy = search.GetProperty("order_by").EnumerateArray().Select(o => o.GetString()!).ToArray();
            searches++;
            if (search.TryGetProperty("error", out var error))
            {
                var e = Assert.Throws<TrackingException>(() => _store.SearchRuns(active, filter, ViewType.ActiveOnly, 1000, orderBy, null));
                Assert.Contains(error.GetString()!.Replace("MlflowException: ", "", StringComparison.Ordinal), e.Message, StringComparison.Ordinal);
                continue;
            }
            var found = _store.SearchRuns(active, filter, ViewType.ActiveOnly, 1000, orderBy, null).Items
                .Select(r => $"{names[r.Info.ExperimentId]}/{r.Info.RunName}");
            var expected = search.GetProperty("result").EnumerateArray().Select(p => $"{p[0].GetString()}/{p[1].GetString()}");
            Assert.True(expected.SequenceEqual(found), $"filter '{filter}' order {string.Join(", ", orderBy)}: expected [{string.Join(", ", expected)}], got [{string.Join(", ", found)}]");
        }
        Assert.True(searches >= 10);
    }

    [Fact]
    public void NaNAndInfinity_ReadAsMlflowStoredThem()
    {
        var edge = _placeholders["run:qlib_ref_beta/beta-edge"];
        var metrics = _store.GetRun(edge).Data.Metrics;
        Assert.True(double.IsNaN(metrics["nan_metric"].Value));
        Assert.Equal(double.MaxValue, metrics["inf_metric"].Value);
        var beta = _placeholders["exp:qlib_ref_beta"];
        // The SQL store compares the NaN through its stored 0 (MLflow observed on this database).
        Assert.Contains(_store.SearchRuns([beta], "metrics.nan_metric > -1", ViewType.ActiveOnly, 10, null, null).Items, r => r.Info.RunId == edge);
        Assert.DoesNotContain(_store.SearchRuns([beta], "metrics.nan_metric != 0", ViewType.ActiveOnly, 10, null, null).Items, r => r.Info.RunId == edge);
    }

    private static void AssertArtifacts(JsonElement expected, string root)
    {
        var actual = !Directory.Exists(root)
            ? []
            : Directory.EnumerateFileSystemEntries(root, "*", SearchOption.AllDirectories)
                .Select(p => (Path: Path.GetRelativePath(root, p).Replace('\\', '/'), IsDir: Directory.Exists(p), Size: Directory.Exists(p) ? (long?)null : new FileInfo(p).Length))
                .OrderBy(a => a.Path, StringComparer.Ordinal)
                .ToList();
        var wanted = expected.EnumerateArray()
            .Select(a => (Path: a.GetProperty("path").GetString()!, IsDir: a.GetProperty("is_dir").GetBoolean(),
                Size: a.GetProperty("file_size").ValueKind == JsonValueKind.Null ? (long?)null : a.GetProperty("file_size").GetInt64()))
            .OrderBy(a => a.Path, StringComparer.Ordinal)
            .ToList();
        Assert.Equal(wanted, actual);
    }

    private static double Number(JsonElement value) => value.ValueKind == JsonValueKind.String
        ? value.GetString() switch
        {
            "NaN" => double.NaN,
            "Infinity" => double.PositiveInfinity,
            "-Infinity" => double.NegativeInfinity,
            var other => throw new InvalidOperationException(other),
        }
        : value.GetDouble();

    private void AssertStringMap(JsonElement expected, IReadOnlyDictionary<string, string> actual)
    {
        var wanted = expected.EnumerateObject().ToDictionary(p => p.Name, p => Real(p.Value.GetString()!));
        Assert.Equal(wanted.OrderBy(p => p.Key, StringComparer.Ordinal), actual.OrderBy(p => p.Key, StringComparer.Ordinal));
    }
}
