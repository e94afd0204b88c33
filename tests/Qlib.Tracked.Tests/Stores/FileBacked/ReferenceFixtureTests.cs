using System.Text.Json;
using Qlib.Tracked.Artifacts;
using Qlib.Tracked.Entities;
using Qlib.Tracked.Stores;

namespace Qlib.Tracked.Tests;

/// <summary>
/// Opens the mlruns tree written by real MLflow 2.12 (tests/Fixtures/mlflow-filestore-reference)
/// and checks that this store reads back exactly what MLflow read back (expected_read_store.json;
/// ids and the original root are mapped back through expected_read_store.raw.json).
/// </summary>
public sealed class ReferenceFixtureTests : IDisposable
{
    private const string RecordedRoot = "file:///home/researcher/qlib/mlruns";
    private static readonly string FixtureDir = Path.Combine(AppContext.BaseDirectory, "Fixtures", "mlflow-filestore-reference");

    private readonly TempDirectory _temp = new();
    private readonly FileStore _store;
    private readonly JsonDocument _expected;
    private readonly Dictionary<string, string> _placeholders = new(StringComparer.Ordinal);
    private readonly List<StoreWarning> _warnings = [];

    public ReferenceFixtureTests()
    {
        TempDirectory.CopyTree(Path.Combine(FixtureDir, "mlruns"), _temp.Combine("mlruns"));
        _store = new FileStore(_temp.Combine("mlruns"));
        _store.Warning += _warnings.Add;
        _expected = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(FixtureDir, "expected_read_store.json")));
        using var raw = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(FixtureDir, "expected_read_store.raw.json")));
        CollectPlaceholders(_expected.RootElement, raw.RootElement);
    }

    public void Dispose()
    {
        _expected.Dispose();
        _temp.Dispose();
    }

    /// <summary>Walks both documents in parallel: every string that differs maps placeholder → original.</summary>
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

    /// <summary>A normalized expected string with ids and the recorded root put back.</summary>
    private string Real(string normalized)
    {
        if (_placeholders.TryGetValue(normalized, out var id)) return id;
        if (!normalized.StartsWith("$ROOT", StringComparison.Ordinal)) return normalized;
        var path = normalized["$ROOT".Length..];
        foreach (var (placeholder, original) in _placeholders.OrderByDescending(p => p.Key.Length))
            path = path.Replace(placeholder, original, StringComparison.Ordinal);
        return RecordedRoot + path;
    }

    [Fact]
    public void OpenStore_DoesNotRecreateDefaultOrWarn()
    {
        Assert.Equal("Default", _store.GetExperiment("0").Name);
        _store.SearchExperiments(ViewType.All);
        Assert.Empty(_warnings);
        Assert.Equal(0, _expected.RootElement.GetProperty("errors").GetArrayLength());
    }

    [Fact]
    public void Experiments_MatchWhatMlflowReadBack()
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
        Assert.Empty(_warnings);
    }

    [Fact]
    public void Runs_MatchWhatMlflowReadBack_IncludingHistoriesInputsAndArtifacts()
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
                Assert.Equal(runId, info.RunId);
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
                var expectedTags = expected.GetProperty("tags").EnumerateObject().ToDictionary(p => p.Name, p => Real(p.Value.GetString()!));
                Assert.Equal(expectedTags.OrderBy(p => p.Key, StringComparer.Ordinal), run.Data.Tags.OrderBy(p => p.Key, StringComparer.Ordinal));

                var expectedMetrics = expected.GetProperty("metrics").EnumerateObject().ToArray();
                Assert.Equal(expectedMetrics.Select(m => m.Name).Order(StringComparer.Ordinal), run.Data.Metrics.Keys.Order(StringComparer.Ordinal));
                foreach (var metric in expectedMetrics) Assert.Equal(Number(metric.Value), run.Data.Metrics[metric.Name].Value);

                foreach (var history in expected.GetProperty("metric_history").EnumerateObject())
                {
                    // The recorded histories are ordered by (step, timestamp) (alpha-lgb's "ic" has a late
                    // step-2 point that is the LAST line of its file); this store returns file order as
                    // MLflow's file store does, so both sides are put in (step, timestamp) order here.
                    var points = _store.GetMetricHistory(runId, history.Name).OrderBy(p => p.Step).ThenBy(p => p.Timestamp).ToList();
                    var expectedPoints = history.Value.EnumerateArray().Select(p => p.EnumerateArray().ToArray())
                        .OrderBy(p => p[0].GetInt64()).ThenBy(p => p[1].GetInt64()).ToArray();
                    Assert.Equal(expectedPoints.Length, points.Count);
                    for (var i = 0; i < points.Count; i++)
                    {
                        Assert.Equal(history.Name, points[i].Key);
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

                AssertArtifacts(expected.GetProperty("artifacts"), _store.GetArtifactRepository(runId));

                Assert.True(expected.GetProperty("search_matches_get").GetBoolean());
                var fromSearch = searched.Single(r => r.Info.RunId == runId);
                Assert.Equal(run.Info, fromSearch.Info);
                Assert.Equal(run.Data.Metrics.OrderBy(p => p.Key, StringComparer.Ordinal), fromSearch.Data.Metrics.OrderBy(p => p.Key, StringComparer.Ordinal));
                runsChecked++;
            }
        }
        Assert.Equal(10, runsChecked);
        Assert.Empty(_warnings);
    }

    [Fact]
    public void Searches_MatchWhatMlflowFound()
    {
        var active = _store.SearchExperiments().Select(e => e.ExperimentId).ToArray();
        var names = _store.SearchExperiments(ViewType.All).ToDictionary(e => e.ExperimentId, e => e.Name);
        foreach (var search in _expected.RootElement.GetProperty("searches").EnumerateArray())
        {
            var filter = search.GetProperty("filter").GetString();
            var orderBy = search.GetProperty("order_by").EnumerateArray().Select(o => o.GetString()!).ToArray();
            if (search.TryGetProperty("error", out var error))
            {
                var e = Assert.Throws<TrackingException>(() => _store.SearchRuns(active, filter, ViewType.ActiveOnly, 1000, orderBy, null));
                // Our message starts with MLflow's and adds where in the filter the problem is.
                Assert.Contains(error.GetString()!.Replace("MlflowException: ", "", StringComparison.Ordinal), e.Message, StringComparison.Ordinal);
                continue;
            }
            var found = _store.SearchRuns(active, filter, ViewType.ActiveOnly, 1000, orderBy, null).Items
                .Select(r => $"{names[r.Info.ExperimentId]}/{r.Info.RunName}");
            var expected = search.GetProperty("result").EnumerateArray().Select(p => $"{p[0].GetString()}/{p[1].GetString()}");
            Assert.True(expected.SequenceEqual(found), $"filter '{filter}' order {string.Join(", ", orderBy)}: expected [{string.Join(", ", expected)}], got [{string.Join(", ", found)}]");
        }
    }

    [Fact]
    public void ArtifactRepository_OfACopiedStore_PointsAtThisStoresRunFolder()
    {
        var lgb = _placeholders["run:qlib_ref_alpha/alpha-lgb"];
        var repository = Assert.IsType<LocalArtifactRepository>(_store.GetArtifactRepository(lgb));
        Assert.StartsWith(RecordedRoot, repository.ArtifactUri);
        Assert.Equal(_temp.Combine("mlruns", _placeholders["exp:qlib_ref_alpha"], lgb, "artifacts"), repository.LocalRoot);
    }

    private static void AssertArtifacts(JsonElement expected, IArtifactRepository repository)
    {
        var root = Assert.IsType<LocalArtifactRepository>(repository).LocalRoot;
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
