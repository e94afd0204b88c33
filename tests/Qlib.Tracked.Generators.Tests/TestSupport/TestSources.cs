namespace Qlib.Tracked.Generators.Tests;

/// <summary>The representative shapes the snapshot, compile and incremental tests run the generator on.</summary>
internal static class TestSources
{
    public const string Shared = """
        using MemoryPack;
        namespace Models
        {
            public enum Booster { Gbdt, Dart, Goss }

            [MemoryPackable]
            public partial class Weights
            {
                public double[] Values { get; set; } = [];
            }
        }
        """;

    public const string Class = """
        using System;
        using Qlib.Tracked;
        using Qlib.Tracked.Frames;
        namespace Models
        {
            [Tracked(Experiment = "lgb_alpha158")]
            public partial class LgbModel
            {
                [Param] public double LearningRate { get; init; } = 0.2;
                [Param("num_leaves")] public int Leaves { get; init; } = 210;
                [Param] public long Seed { get; set; } = 42;
                [Param] public bool EarlyStop { get; init; } = true;
                [Param] public string Objective { get; init; } = "mse";
                [Param] public string? Comment { get; init; }
                [Param] public decimal Fee { get; init; } = 0.0015m;
                [Param] public DateTime Start { get; init; } = new DateTime(2020, 1, 2);
                [Param] public Booster Booster { get; init; } = Booster.Gbdt;
                [Param] public float Subsample { get; init; } = 0.8f;
                [Param] public double ICValue { get; init; }
                [Param] public int ReadOnlyParam => 3;

                [Metric] public double Ic { get; private set; }
                [Metric("train_loss")] public float TrainLoss { get; set; }
                [Metric] public long Iterations { get; set; }

                [Artifact("model")] public Weights Weights { get; private set; } = new();
                [Artifact("pred.parquet")] public PredictionFrame? Pred { get; set; }
                [Artifact("notes.txt")] public string? Notes { get; set; }
                [Artifact("blob.bin")] public byte[]? Blob { get; set; }

                public int NotTracked { get; set; }
            }
        }
        """;

    public const string Record = """
        using System;
        using System.Collections.Generic;
        using Qlib.Tracked;
        namespace Models
        {
            public sealed class Segments
            {
                [Param] public string Train { get; set; } = "('2008-01-01', '2014-12-31')";
                [Param] public string Test { get; set; } = "('2017-01-01', '2020-08-01')";
            }

            public sealed record DatasetConfig
            {
                [Param("class")] public string Class { get; init; } = "DatasetH";
                [Param] public Segments Segments { get; init; } = new();
                [Param] public int? Horizon { get; init; }
            }

            public struct Window
            {
                [Param] public int Size { get; set; }
            }

            [Tracked]
            public partial record TaskConfig
            {
                [Param] public DatasetConfig Dataset { get; init; } = new();
                [Param] public Window Window { get; init; }
                [Param] public double[] Alphas { get; init; } = [0.1, 1.0];
                [Param] public List<string> Features { get; init; } = ["f0"];
                [Param] public IReadOnlyList<Booster>? Boosters { get; init; }
                [Param] public double? Clip { get; init; }
                [Param] public DateTime? Until { get; init; }
                [Metric] public double? Best { get; set; }
            }
        }
        """;

    public const string Struct = """
        using Qlib.Tracked;
        namespace Models
        {
            [Tracked(Name = "ridge")]
            public partial struct RidgeParams
            {
                public RidgeParams() { }
                [Param] public double Alpha { get; set; } = 1.0;
                [Param] public int MaxIter { get; set; } = 100;
                [Metric("mse")] public double Mse { get; set; }
            }
        }
        """;

    public const string Nested = """
        using Qlib.Tracked;
        namespace Models.Deep
        {
            public partial class Outer
            {
                internal partial class Middle
                {
                    [Tracked]
                    public partial record struct Inner
                    {
                        [Param] public int Depth { get; set; }
                        [Metric] public double Score { get; set; }
                    }
                }
            }
        }
        """;

    public const string Global = """
        using Qlib.Tracked;
        using Qlib.Tracked.Frames;

        public sealed class Panel
        {
            public int Rows { get; set; }
        }

        [Tracked(Name = "global_model", Experiment = "demo")]
        public partial class GlobalModel
        {
            [Param] public double Scale { get; set; } = 1.5;

            [Predict]
            public PredictionFrame Score(Panel panel) =>
                new PredictionFrame(new System.DateTime[panel.Rows], new string[panel.Rows], new double[panel.Rows]);
        }
        """;

    public const string Json = """
        using System;
        using System.Text.Json;
        using System.Text.Json.Serialization;
        using System.Text.Json.Serialization.Metadata;
        using Qlib.Tracked;
        namespace Models
        {
            public sealed class RunConfig
            {
                public string Name { get; set; } = "";
            }

            /// A stand-in for a System.Text.Json source-generated context (the STJ generator does not run in these tests).
            public sealed class ConfigContext : JsonSerializerContext
            {
                public ConfigContext() : base(null) { }
                public static ConfigContext Default { get; } = new();
                protected override JsonSerializerOptions? GeneratedSerializerOptions => null;
                public override JsonTypeInfo? GetTypeInfo(Type type) => null;
            }

            [Tracked]
            public partial class JsonModel
            {
                [Artifact("config.json", JsonContext = typeof(ConfigContext))] public RunConfig Config { get; set; } = new();
            }
        }
        """;

    public const string Skipped = """
        using Qlib.Tracked;
        namespace Models
        {
            [Tracked] public class NotPartial { [Param] public int A { get; set; } }
            [Tracked] public partial class Generic<T> { [Param] public int A { get; set; } }
            public class NonPartialOuter { [Tracked] public partial class Inner { [Param] public int A { get; set; } } }
            [Tracked] public partial class NoDefaultCtor(int a) { [Param] public int A { get; set; } = a; }
            [Tracked] public abstract partial class Abstract { [Param] public int A { get; set; } }
        }
        """;

    public static readonly (string Name, string Source)[] Shapes =
    [
        ("Class", Class), ("Record", Record), ("Struct", Struct), ("Nested", Nested), ("Global", Global), ("Json", Json),
    ];
}
