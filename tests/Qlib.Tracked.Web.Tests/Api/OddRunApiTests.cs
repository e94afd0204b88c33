namespace Qlib.Tracked.Web.Tests;

/// <summary>
/// Runs holding files MLflow would not have written (a metric file whose name MLflow refuses, a folder where a
/// metric could be, an unreadable meta.yaml): comparisons leave out what cannot be read and say so; a request
/// about one run and key answers a 400 that names them, never a 500.
/// </summary>
public sealed class OddRunApiTests : IDisposable
{
    private const string Experiment = "550198978950707776";
    private const string Plain = "0e852551e13f4da78524f547a2490b8f"; // metrics: loss
    private const string Edge = "3bab12b3a14e438eaaf1f50dcdf1905f";  // metrics: train/loss (two steps) and others
    private const string Broken = "ffffffffffffffffffffffffffffffff";
    private const string BadName = "bad*name";

    private readonly TempDirectory _temp = new();
    private readonly string _root;

    public OddRunApiTests()
    {
        _root = _temp.CopyMlflowFixture();
        var plainMetrics = Path.Combine(_root, Experiment, Plain, "metrics");
        // '*' is outside MLflow's metric name rule, but any tool (or a shell) can write such a file.
        File.WriteAllText(Path.Combine(plainMetrics, BadName), "1700000000000 1.5 0\n1700000000001 2.5 1\n");
        Directory.CreateDirectory(Path.Combine(plainMetrics, "empty_folder"));
        var broken = Directory.CreateDirectory(Path.Combine(_root, Experiment, Broken));
        File.WriteAllText(Path.Combine(broken.FullName, "meta.yaml"), "not: [yaml");
    }

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Compare_WithAnOddMetricFile_AnswersEverythingElse_AndWarnsAboutThatHistory()
    {
        using var factory = new QtrackFactory(_root);
        var client = factory.CreateClient();

        var compare = await client.GetApiAsync($"/api/compare?run_ids={Edge},{Plain}");

        Assert.Equal(200, compare.Status);
        Assert.Equal([Edge, Plain], compare.Json.GetProperty("runs").EnumerateArray().Select(r => r.GetProperty("run_id").GetString()));
        // The odd file's latest value is still shown, as the run page and listings show it.
        var badRow = compare.Json.GetProperty("metrics").EnumerateArray().Single(m => m.GetProperty("key").GetString() == BadName);
        Assert.Equal(2.5, badRow.GetProperty("values")[1].GetDouble());
        // The other histories are all there: train/loss of the edge run with its two steps.
        var trainLoss = compare.Json.GetProperty("histories").EnumerateArray().Single(h => h.GetProperty("key").GetString() == "train/loss");
        Assert.Equal([0L, 1L], trainLoss.GetProperty("series")[0].EnumerateArray().Select(p => p.GetProperty("step").GetInt64()));
        Assert.DoesNotContain(compare.Json.GetProperty("histories").EnumerateArray(), h => h.GetProperty("key").GetString() == BadName);
        var warning = Assert.Single(compare.Json.GetProperty("warnings").Strings());
        Assert.Contains($"{Experiment}/{Plain}/metrics/{BadName}", warning);
        Assert.Contains("Invalid metric name", warning);

        // Asked for by name, the series is there and empty, with the same warning; /api/info keeps it with the store's.
        var asked = await client.GetApiAsync($"/api/compare?run_ids={Edge},{Plain}&metrics={Uri.EscapeDataString(BadName)},loss");
        Assert.Equal(200, asked.Status);
        var badHistory = asked.Json.GetProperty("histories").EnumerateArray().Single(h => h.GetProperty("key").GetString() == BadName);
        Assert.All(badHistory.GetProperty("series").EnumerateArray(), s => Assert.Equal(0, s.GetArrayLength()));
        var loss = asked.Json.GetProperty("histories").EnumerateArray().Single(h => h.GetProperty("key").GetString() == "loss");
        Assert.Equal(1, loss.GetProperty("series")[1].GetArrayLength());
        Assert.Contains(BadName, Assert.Single(asked.Json.GetProperty("warnings").Strings()));
        var info = await client.GetApiAsync("/api/info");
        Assert.Contains(info.Json.GetProperty("warnings").Strings(), w => w.Contains(BadName, StringComparison.Ordinal) && w.Contains("comparison", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Compare_WithARunWhoseMetaCannotBeRead_ComparesTheOthers_AndNamesTheSkippedRun()
    {
        using var factory = new QtrackFactory(_root);
        var client = factory.CreateClient();

        var compare = await client.GetApiAsync($"/api/compare?run_ids={Edge},{Broken},{Plain}");

        Assert.Equal(200, compare.Status);
        Assert.Equal([Edge, Plain], compare.Json.GetProperty("runs").EnumerateArray().Select(r => r.GetProperty("run_id").GetString()));
        var skipped = compare.Json.GetProperty("warnings").Strings().Single(w => w.StartsWith(Broken, StringComparison.Ordinal));
        Assert.Contains($"{Experiment}/{Broken}/meta.yaml", skipped);
        Assert.DoesNotContain(_root, compare.Body);
        // An id that names no run at all is still the request's mistake.
        var unknown = await client.GetApiAsync($"/api/compare?run_ids={Edge},0123456789abcdef0123456789abcdef");
        Assert.Equal(404, unknown.Status);
    }

    [Fact]
    public async Task MetricHistory_OfAnOddMetricFileOrAFolder_Is400NamingRunAndKey_WhileTheRunPageAnswers()
    {
        using var factory = new QtrackFactory(_root);
        var client = factory.CreateClient();

        var run = await client.GetApiAsync($"/api/runs/{Plain}");
        Assert.Equal(200, run.Status);
        Assert.Contains(run.Json.GetProperty("metrics").EnumerateArray(), m => m.GetProperty("key").GetString() == BadName);

        var badName = await client.GetApiAsync($"/api/runs/{Plain}/metric-history?key={Uri.EscapeDataString(BadName)}");
        Assert.Equal(400, badName.Status);
        Assert.Equal("INVALID_PARAMETER_VALUE", badName.Error);
        Assert.Contains($"Run '{Plain}' has a metric file '{BadName}'", badName.Message);
        Assert.Contains("Names may only contain", badName.Message);

        // "train" is the folder of the metric train/loss: the error says what to ask for instead.
        var folder = await client.GetApiAsync($"/api/runs/{Edge}/metric-history?key=train");
        Assert.Equal(400, folder.Status);
        Assert.Contains($"Metric 'train' of run '{Edge}' is a folder", folder.Message);
        Assert.Contains("train/loss", folder.Message);
        Assert.DoesNotContain(_root, folder.Body);
        var empty = await client.GetApiAsync($"/api/runs/{Plain}/metric-history?key=empty_folder");
        Assert.Equal(400, empty.Status);
        Assert.Contains($"Metric 'empty_folder' of run '{Plain}' is a folder", empty.Message);

        // The good history of the same run still reads, and the listing shows both runs.
        var trainLoss = await client.GetApiAsync($"/api/runs/{Edge}/metric-history?key=train/loss");
        Assert.Equal(2, trainLoss.Json.GetProperty("history").GetArrayLength());
        var listing = await client.GetApiAsync($"/api/runs?experiment_ids={Experiment}");
        Assert.Equal(200, listing.Status);
        Assert.Contains(Plain, listing.Body);
        Assert.Contains(Edge, listing.Body);
    }
}
