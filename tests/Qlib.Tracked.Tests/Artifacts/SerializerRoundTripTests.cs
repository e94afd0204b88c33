using Qlib.Tracked.Artifacts;

namespace Qlib.Tracked.Tests.Artifacts;

public class SerializerRoundTripTests
{
    private static LocalArtifactRepository Repo(TempDir dir) => new("file://" + dir.Root, dir.Root);

    [Theory]
    [InlineData("")]
    [InlineData("plain ascii")]
    [InlineData("株価予測 – ünïcödé 🚀 \u0000 nul and\r\nnewlines")]
    public void Text_RoundTripsAsPlainUtf8(string text)
    {
        using var dir = new TempDir();
        var repo = Repo(dir);
        ArtifactObjects.Save(repo, "note.txt", text);
        Assert.Equal(text, ArtifactObjects.Load<string>(repo, "note.txt"));
        Assert.Equal(System.Text.Encoding.UTF8.GetBytes(text), File.ReadAllBytes(Path.Combine(dir.Root, "note.txt"))); // no BOM, no header
    }

    [Fact]
    public void Bytes_RoundTripRaw()
    {
        using var dir = new TempDir();
        var repo = Repo(dir);
        var data = new byte[70_000];
        new Random(7).NextBytes(data);
        ArtifactObjects.Save(repo, "blob.bin", data);
        Assert.Equal(data, ArtifactObjects.Load<byte[]>(repo, "blob.bin"));
        Assert.Equal(data, File.ReadAllBytes(Path.Combine(dir.Root, "blob.bin")));
        ArtifactObjects.Save(repo, "mem.bin", new ReadOnlyMemory<byte>(data, 5, 10));
        Assert.Equal(data[5..15], ArtifactObjects.Load<ReadOnlyMemory<byte>>(repo, "mem.bin").ToArray());
    }

    [Fact]
    public void Json_RoundTripsThroughSourceGeneratedContext()
    {
        using var dir = new TempDir();
        var repo = Repo(dir);
        var config = new TaskConfig("LGBModel", 0.05, ["2008-01-01", "2014-12-31"]);
        var serializer = new JsonArtifactSerializer<TaskConfig>(TestJsonContext.Default.TaskConfig);
        ArtifactObjects.Save(repo, "task", config, serializer);
        var loaded = ArtifactObjects.Load(repo, "task", serializer);
        Assert.Equal(config.Model, loaded.Model);
        Assert.Equal(config.LearningRate, loaded.LearningRate);
        Assert.Equal(config.Segments, loaded.Segments);
        Assert.StartsWith("{", File.ReadAllText(Path.Combine(dir.Root, "task"))); // plain JSON on disk
        Assert.Contains("\"LGBModel\"", ArtifactObjects.Load<string>(repo, "task")); // JSON is text too
    }

    [Fact]
    public void MemoryPack_RoundTripsPackableClass()
    {
        using var dir = new TempDir();
        var repo = Repo(dir);
        var state = new ModelState
        {
            Name = "lgb",
            Weights = [0.5, -1.25, double.NaN],
            Params = new() { ["lr"] = "0.05", ["depth"] = "8" },
        };
        ArtifactObjects.Save(repo, "params.pkl", state);
        var loaded = ArtifactObjects.Load<ModelState>(repo, "params.pkl");
        Assert.Equal("lgb", loaded.Name);
        Assert.Equal(state.Weights, loaded.Weights);
        Assert.Equal(state.Params, loaded.Params);
    }

    [Fact]
    public void MemoryPack_RoundTripsBuiltInCollections()
    {
        using var dir = new TempDir();
        var repo = Repo(dir);
        ArtifactObjects.Save(repo, "curve", new List<double> { 1, 2, 3 });
        ArtifactObjects.Save(repo, "ints", new[] { 4, 5 });
        Assert.Equal([1.0, 2, 3], ArtifactObjects.Load<List<double>>(repo, "curve"));
        Assert.Equal([4, 5], ArtifactObjects.Load<int[]>(repo, "ints"));
    }

    [Fact]
    public void Save_NullValue_IsRejected()
    {
        using var dir = new TempDir();
        var e = Assert.Throws<TrackingException>(() => ArtifactObjects.Save<ModelState>(Repo(dir), "m", null!));
        Assert.Equal(ErrorCode.InvalidParameterValue, e.Code);
        Assert.Contains("'m'", e.Message);
    }

    [Fact]
    public void Load_Missing_ListsTheNearestLevelAndSuggests()
    {
        using var dir = new TempDir();
        var repo = Repo(dir);
        ArtifactObjects.Save(repo, "pred.pkl", "x");
        ArtifactObjects.Save(repo, "portfolio_analysis/report_normal_1day.pkl", "r");

        var e = Assert.Throws<TrackingException>(() => ArtifactObjects.Load<string>(repo, "pred"));
        Assert.Equal(ErrorCode.ResourceDoesNotExist, e.Code);
        Assert.Contains("'pred'", e.Message);
        Assert.Contains("portfolio_analysis/, pred.pkl", e.Message);
        Assert.Contains("Did you mean 'pred.pkl'?", e.Message);

        var deep = Assert.Throws<TrackingException>(() => ArtifactObjects.Load<string>(repo, "portfolio_analysis/nope/report.pkl"));
        Assert.Contains("'portfolio_analysis' holds: portfolio_analysis/report_normal_1day.pkl", deep.Message);

        using var empty = new TempDir();
        Assert.Contains("no artifacts", Assert.Throws<TrackingException>(() => ArtifactObjects.Load<string>(Repo(empty), "pred.pkl")).Message);
    }
}
