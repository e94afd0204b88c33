using Qlib.Tracked.Artifacts;
using Qlib.Tracked.Frames;

namespace Qlib.Tracked.Tests.Artifacts;

public class CorruptArtifactTests
{
    private static LocalArtifactRepository Repo(TempDir dir) => new("file://" + dir.Root, dir.Root);

    private static void Truncate(string file, int keep)
    {
        var bytes = File.ReadAllBytes(file);
        File.WriteAllBytes(file, bytes[..keep]);
    }

    [Theory]
    [InlineData(3)]   // inside the magic: no longer recognisable as ours
    [InlineData(6)]   // inside the fixed header
    [InlineData(20)]  // inside the type name
    [InlineData(-1)]  // one byte short of the payload
    public void MemoryPack_Truncated_IsClearTypedError(int keep)
    {
        using var dir = new TempDir();
        var repo = Repo(dir);
        ArtifactObjects.Save(repo, "model", new ModelState { Name = "x", Weights = [1, 2, 3] });
        var file = Path.Combine(dir.Root, "model");
        Truncate(file, keep >= 0 ? keep : (int)new FileInfo(file).Length + keep);
        var e = Assert.ThrowsAny<TrackingException>(() => ArtifactObjects.Load<ModelState>(repo, "model"));
        Assert.True(e is ArtifactCorruptException or ArtifactTypeMismatchException, e.GetType().Name);
        Assert.Contains("'model'", e.Message);
    }

    [Fact]
    public void MemoryPack_GarbledPayload_IsCorruptError()
    {
        using var dir = new TempDir();
        var repo = Repo(dir);
        ArtifactObjects.Save(repo, "model", new ModelState { Name = "x", Weights = [1, 2, 3] });
        var file = Path.Combine(dir.Root, "model");
        var bytes = File.ReadAllBytes(file);
        var payloadStart = bytes.Length - 40;
        for (var i = payloadStart; i < bytes.Length; i++) bytes[i] = 0xFF; // lengths become -1 / huge
        File.WriteAllBytes(file, bytes);
        var e = Assert.Throws<ArtifactCorruptException>(() => ArtifactObjects.Load<ModelState>(repo, "model"));
        Assert.Equal(ErrorCode.InvalidState, e.Code);
    }

    [Fact]
    public void MemoryPack_UnknownEnvelopeVersion_IsCorruptError()
    {
        using var dir = new TempDir();
        var repo = Repo(dir);
        ArtifactObjects.Save(repo, "model", new OtherState { Epochs = 3 });
        var file = Path.Combine(dir.Root, "model");
        var bytes = File.ReadAllBytes(file);
        bytes[4] = 99;
        File.WriteAllBytes(file, bytes);
        Assert.Contains("version 99", Assert.Throws<ArtifactCorruptException>(() => ArtifactObjects.Load<OtherState>(repo, "model")).Message);
    }

    [Theory]
    [InlineData(0.5)]
    [InlineData(0.9)]
    public void Parquet_Truncated_IsClearTypedError(double fraction)
    {
        using var dir = new TempDir();
        var repo = Repo(dir);
        ArtifactObjects.Save(repo, "pred.pkl", new PredictionFrame([DateTime.Today, DateTime.Today], ["a", "b"], [1, 2]));
        var file = Path.Combine(dir.Root, "pred.pkl");
        Truncate(file, (int)(new FileInfo(file).Length * fraction));
        var e = Assert.ThrowsAny<TrackingException>(() => ArtifactObjects.Load<PredictionFrame>(repo, "pred.pkl"));
        Assert.True(e is ArtifactCorruptException or ArtifactTypeMismatchException, e.GetType().Name);
        Assert.Contains("pred.pkl", e.Message);
    }

    [Fact]
    public void Parquet_DamagedFooter_IsCorruptError()
    {
        using var dir = new TempDir();
        var repo = Repo(dir);
        ArtifactObjects.Save(repo, "pred.pkl", new PredictionFrame([DateTime.Today], ["a"], [1]));
        var file = Path.Combine(dir.Root, "pred.pkl");
        var bytes = File.ReadAllBytes(file);
        for (var i = bytes.Length - 60; i < bytes.Length - 8; i++) bytes[i] = 0xEE;
        File.WriteAllBytes(file, bytes);
        var e = Assert.Throws<ArtifactCorruptException>(() => ArtifactObjects.Load<PredictionFrame>(repo, "pred.pkl"));
        Assert.Contains("Parquet", e.Message);
    }

    [Fact]
    public void EmptyFile_IsTypedErrorForEveryTypedLoader()
    {
        using var dir = new TempDir();
        var repo = Repo(dir);
        repo.Write("empty", ReadOnlySpan<byte>.Empty);
        Assert.Throws<ArtifactTypeMismatchException>(() => ArtifactObjects.Load<ModelState>(repo, "empty"));
        Assert.Throws<ArtifactTypeMismatchException>(() => ArtifactObjects.Load<PredictionFrame>(repo, "empty"));
        Assert.Throws<ArtifactTypeMismatchException>(() =>
            ArtifactObjects.Load(repo, "empty", new JsonArtifactSerializer<Report>(TestJsonContext.Default.Report)));
        Assert.Equal("", ArtifactObjects.Load<string>(repo, "empty"));
    }
}
