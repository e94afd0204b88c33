using Qlib.Tracked.Artifacts;
using Qlib.Tracked.Frames;

namespace Qlib.Tracked.Tests.Artifacts;

public class TypeMismatchTests
{
    private static LocalArtifactRepository Repo(TempDir dir) => new("file://" + dir.Root, dir.Root);

    private static PredictionFrame Frame() => new([new DateTime(2020, 1, 2)], ["SH600000"], [0.1]);

    [Fact]
    public void MemoryPack_LoadedAsAnotherPackableType_NamesBothTypes()
    {
        using var dir = new TempDir();
        var repo = Repo(dir);
        ArtifactObjects.Save(repo, "model", new ModelState { Name = "m" });
        var e = Assert.Throws<ArtifactTypeMismatchException>(() => ArtifactObjects.Load<OtherState>(repo, "model"));
        Assert.Equal(ErrorCode.InvalidParameterValue, e.Code);
        Assert.Equal("model", e.ArtifactName);
        Assert.Contains(typeof(ModelState).FullName!, e.StoredType);
        Assert.Contains(typeof(OtherState).FullName!, e.RequestedType);
        Assert.Contains("'model'", e.Message);
    }

    [Fact]
    public void MemoryPack_LoadedAsText_OrBytes_Refuses()
    {
        using var dir = new TempDir();
        var repo = Repo(dir);
        ArtifactObjects.Save(repo, "model", new ModelState());
        var asText = Assert.Throws<ArtifactTypeMismatchException>(() => ArtifactObjects.Load<string>(repo, "model"));
        Assert.Contains("MemoryPack object of type", asText.Message);
        Assert.Contains(typeof(ModelState).FullName!, asText.Message);
        Assert.Contains("text", asText.RequestedType);
        Assert.Throws<ArtifactTypeMismatchException>(() => ArtifactObjects.Load<byte[]>(repo, "model"));
        Assert.Throws<ArtifactTypeMismatchException>(() => ArtifactObjects.Load<PredictionFrame>(repo, "model"));
        Assert.Throws<ArtifactTypeMismatchException>(() =>
            ArtifactObjects.Load(repo, "model", new JsonArtifactSerializer<TaskConfig>(TestJsonContext.Default.TaskConfig)));
    }

    [Fact]
    public void Text_LoadedAsMemoryPack_Refuses()
    {
        using var dir = new TempDir();
        var repo = Repo(dir);
        ArtifactObjects.Save(repo, "note", "hello");
        var e = Assert.Throws<ArtifactTypeMismatchException>(() => ArtifactObjects.Load<ModelState>(repo, "note"));
        Assert.Contains(typeof(ModelState).FullName!, e.RequestedType);
        Assert.Throws<ArtifactTypeMismatchException>(() => ArtifactObjects.Load<PredictionFrame>(repo, "note"));
    }

    [Fact]
    public void Bytes_LoadedAsText_WhenNotUtf8_Refuses()
    {
        using var dir = new TempDir();
        var repo = Repo(dir);
        ArtifactObjects.Save(repo, "pickle.pkl", new byte[] { 0x80, 0x04, 0x95, 0xFF, 0xFE });
        var e = Assert.Throws<ArtifactTypeMismatchException>(() => ArtifactObjects.Load<string>(repo, "pickle.pkl"));
        Assert.Contains("not UTF-8", e.StoredType);
    }

    [Fact]
    public void Parquet_LoadedAsTextBytesOrMemoryPack_Refuses()
    {
        using var dir = new TempDir();
        var repo = Repo(dir);
        ArtifactObjects.Save(repo, "pred.pkl", Frame());
        var text = Assert.Throws<ArtifactTypeMismatchException>(() => ArtifactObjects.Load<string>(repo, "pred.pkl"));
        Assert.Contains($"Parquet table of type '{typeof(PredictionFrame).FullName}'", text.Message);
        Assert.Throws<ArtifactTypeMismatchException>(() => ArtifactObjects.Load<byte[]>(repo, "pred.pkl"));
        var mp = Assert.Throws<ArtifactTypeMismatchException>(() => ArtifactObjects.Load<ModelState>(repo, "pred.pkl"));
        Assert.Contains("Parquet", mp.StoredType);
    }

    [Fact]
    public void Parquet_OtherTableIdentity_Refuses()
    {
        using var dir = new TempDir();
        var repo = Repo(dir);
        ArtifactObjects.Save(repo, "label.pkl", Frame(), new ParquetTableSerializer<PredictionFrame>("Qlib.Tracked.Frames.LabelFrame"));
        var e = Assert.Throws<ArtifactTypeMismatchException>(() => ArtifactObjects.Load<PredictionFrame>(repo, "label.pkl"));
        Assert.Contains("LabelFrame", e.StoredType);
        Assert.Contains(nameof(PredictionFrame), e.RequestedType);
    }

    [Fact]
    public void Json_OfAnotherShape_Refuses()
    {
        using var dir = new TempDir();
        var repo = Repo(dir);
        ArtifactObjects.Save(repo, "report.json", new Report(5, 1.2), new JsonArtifactSerializer<Report>(TestJsonContext.Default.Report));
        var e = Assert.Throws<ArtifactTypeMismatchException>(() =>
            ArtifactObjects.Load(repo, "report.json", new JsonArtifactSerializer<TaskConfig>(TestJsonContext.Default.TaskConfig)));
        Assert.Equal("report.json", e.ArtifactName);
        Assert.Contains(nameof(TaskConfig), e.RequestedType);

        ArtifactObjects.Save(repo, "plain.txt", "not json at all");
        Assert.Throws<ArtifactTypeMismatchException>(() =>
            ArtifactObjects.Load(repo, "plain.txt", new JsonArtifactSerializer<Report>(TestJsonContext.Default.Report)));
        ArtifactObjects.Save(repo, "null.json", "null");
        Assert.Throws<ArtifactTypeMismatchException>(() =>
            ArtifactObjects.Load(repo, "null.json", new JsonArtifactSerializer<Report>(TestJsonContext.Default.Report)));
    }
}
