using Qlib.Tracked.Artifacts;
using Qlib.Tracked.Frames;

namespace Qlib.Tracked.Tests.Artifacts;

public class ArtifactSerializersTests
{
    [Fact]
    public void BuiltIns_ResolveByType()
    {
        Assert.IsType<TextArtifactSerializer>(ArtifactSerializers.For<string>());
        Assert.IsType<BytesArtifactSerializer>(ArtifactSerializers.For<byte[]>());
        Assert.IsType<BytesArtifactSerializer>(ArtifactSerializers.For<ReadOnlyMemory<byte>>());
        Assert.IsType<ParquetTableSerializer<PredictionFrame>>(ArtifactSerializers.For<PredictionFrame>());
        Assert.IsType<MemoryPackArtifactSerializer<ModelState>>(ArtifactSerializers.For<ModelState>());
        Assert.IsType<MemoryPackArtifactSerializer<List<double>>>(ArtifactSerializers.For<List<double>>());
        Assert.Equal("parquet", ArtifactSerializers.For<PredictionFrame>().Format);
    }

    [Fact]
    public void MemoryPackable_ResolvesBeforeAnyInstanceExists()
    {
        // A fresh process loading a model has not run the type's static constructor yet.
        Assert.IsType<MemoryPackArtifactSerializer<NeverConstructedState>>(ArtifactSerializers.For<NeverConstructedState>());
    }

    [Fact]
    public void NoSerializer_ErrorNamesTypeAndTheFixes()
    {
        var e = Assert.Throws<TrackingException>(() => ArtifactSerializers.For<PlainClass>());
        Assert.Equal(ErrorCode.InvalidParameterValue, e.Code);
        Assert.Contains(typeof(PlainClass).FullName!, e.Message);
        Assert.Contains("[MemoryPackable]", e.Message);
        Assert.Contains("Register", e.Message);
        Assert.False(ArtifactSerializers.TryFor<PlainClass>(out _));
        Assert.Throws<TrackingException>(() => ArtifactSerializers.For<object>());
    }

    [Fact]
    public void ExplicitRegistration_WinsOverBuiltIns()
    {
        // Report is registered only by this test; RegisterJson makes it resolvable at all.
        Assert.False(ArtifactSerializers.TryFor<Report>(out _));
        ArtifactSerializers.RegisterJson(TestJsonContext.Default.Report);
        Assert.IsType<JsonArtifactSerializer<Report>>(ArtifactSerializers.For<Report>());

        // OtherState would be MemoryPack; an explicit serializer takes precedence.
        var custom = new CountingSerializer();
        ArtifactSerializers.Register<OtherState>(custom);
        Assert.Same(custom, ArtifactSerializers.For<OtherState>());
        ArtifactSerializers.Register<OtherState>(new MemoryPackArtifactSerializer<OtherState>());
    }

    [Fact]
    public void RegisteredJson_IsUsedByArtifactObjects()
    {
        using var dir = new TempDir();
        var repo = new LocalArtifactRepository("file://" + dir.Root, dir.Root);
        ArtifactSerializers.RegisterJson(TestJsonContext.Default.TaskConfig);
        ArtifactObjects.Save(repo, "task", new TaskConfig("m", 1, []));
        Assert.Equal("m", ArtifactObjects.Load<TaskConfig>(repo, "task").Model);
    }

    private sealed class CountingSerializer : IArtifactSerializer<OtherState>
    {
        public string Format => "custom";
        public void Serialize(Stream destination, OtherState value) => destination.WriteByte((byte)value.Epochs);
        public OtherState Deserialize(Stream source, string artifactName) => new() { Epochs = source.ReadByte() };
    }
}
