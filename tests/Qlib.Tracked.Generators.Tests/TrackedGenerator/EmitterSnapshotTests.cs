using Qlib.Tracked.Generators.Helpers;
using Qlib.Tracked.Generators.Model;

namespace Qlib.Tracked.Generators.Tests;

/// <summary>The emitter on its own, from a hand-built spec: no compilation involved.</summary>
public class EmitterSnapshotTests
{
    private static readonly EquatableArray<ParamSpec> NoChildren = EquatableArray<ParamSpec>.Empty;

    [Fact]
    public void Emitter_HandBuiltSpec_MatchesSnapshot()
    {
        var spec = new TrackedTypeSpec(
            new HierarchyInfo("Demo", new EquatableArray<TypeDeclarationSpec>([new("class", "Host", "Host", false), new("record", "Model", "Model", false)])),
            RegistryName: "demo_model",
            Experiment: "demo",
            IsAccessibleFromAssembly: true,
            Params: new EquatableArray<ParamSpec>(
            [
                new("lr", "Lr", "Lr", ParamKind.Scalar, "double", "double", "global::Qlib.Tracked.ParamCodecs.Double", ListShape.None, false, true, true, NoChildren),
                new("sizes", "Sizes", "Sizes", ParamKind.List, "int[]", "int", "global::Qlib.Tracked.ParamCodecs.Int32", ListShape.Array, false, true, false, NoChildren),
                new("data", "Data", "Data", ParamKind.Group, "global::Demo.Data", "global::Demo.Data", "", ListShape.None, false, true, false,
                    new EquatableArray<ParamSpec>(
                    [
                        new("data.path", "Data_Path", "Path", ParamKind.String, "string", "string", "global::Qlib.Tracked.ParamCodecs.String", ListShape.None, true, true, false, NoChildren),
                    ])),
            ]),
            Metrics: new EquatableArray<MetricSpec>([new("loss", "Loss", "Loss", "double", false, true), new("acc", "Acc", "Acc", "float", true, true)]),
            Artifacts: new EquatableArray<ArtifactSpec>(
            [
                new("cfg.json", "Cfg", "Cfg", "global::Demo.Cfg", "Demo.Cfg", ArtifactKind.Json, "global::Demo.Ctx", false, true),
            ]),
            Predict: new PredictSpec("Run", "global::Demo.Data"));

        GeneratorTestHelper.VerifySnapshot("Emitter.HandBuilt", TrackedGenerator.Emitter.Emit(spec));
        Assert.Equal("Demo.Host+Model.Tracked.g.cs", spec.Hierarchy.HintName);
    }

    [Fact]
    public void Specs_EqualWhenBuiltTwice()
    {
        static ParamSpec Make() => new("lr", "Lr", "Lr", ParamKind.Scalar, "double", "double", "c", ListShape.None, false, true, true,
            new EquatableArray<ParamSpec>([new("x", "X", "X", ParamKind.Scalar, "int", "int", "c", ListShape.None, false, true, true, NoChildren)]));
        Assert.Equal(Make(), Make());
        Assert.Equal(Make().GetHashCode(), Make().GetHashCode());
        Assert.NotEqual(Make(), Make() with { Key = "other" });
    }

    [Theory]
    [InlineData("LearningRate", "learning_rate")]
    [InlineData("ICValue", "ic_value")]
    [InlineData("IC", "ic")]
    [InlineData("Ic", "ic")]
    [InlineData("TrainLoss", "train_loss")]
    [InlineData("Top10Count", "top10_count")]
    [InlineData("_numLeaves", "num_leaves")]
    [InlineData("already_snake", "already_snake")]
    [InlineData("HTTPServer2Port", "http_server2_port")]
    public void Naming_ToSnakeCase(string name, string expected) => Assert.Equal(expected, Naming.ToSnakeCase(name));
}
