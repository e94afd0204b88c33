using static Qlib.Tracked.Analyzers.Tests.AnalyzerTestHelper;

namespace Qlib.Tracked.Analyzers.Tests;

public class QTRK001_TypeNotPartialTests
{
    [Fact]
    public void QTRK001_NotPartial_Reported() => Verify("""
        [Tracked] public sealed class {|QTRK001:Model|} { [Param] public int Seed { get; init; } }
        """, "QTRK001");

    [Fact]
    public void QTRK001_Partial_Clean() => Verify("""
        [Tracked] public sealed partial class Model { [Param] public int Seed { get; init; } }
        """, "QTRK001");

    [Fact]
    public async Task QTRK001_Fix_AddsPartialAfterModifiers()
    {
        var fixedText = await ApplyFix("[Tracked] public sealed class Model { [Param] public int Seed { get; init; } }", "QTRK001");
        Assert.Equal("[Tracked] public sealed partial class Model { [Param] public int Seed { get; init; } }", fixedText);
    }

    [Fact]
    public async Task QTRK001_Fix_NoModifiers_KeepsAttributeLayout()
    {
        var fixedText = await ApplyFix("[Tracked]\nstruct Model { [Metric] public double Loss; }", "QTRK001");
        Assert.Equal("[Tracked]\npartial struct Model { [Metric] public double Loss; }", fixedText);
    }
}

public class QTRK002_ContainingTypeNotPartialTests
{
    [Fact]
    public void QTRK002_OuterNotPartial_Reported() => Verify("""
        public static class {|QTRK002:Outer|} { [Tracked] public partial class Model { [Param] public int Seed { get; init; } } }
        """, "QTRK002");

    [Fact]
    public void QTRK002_OuterPartial_Clean() => Verify("""
        public static partial class Outer { [Tracked] public partial class Model { [Param] public int Seed { get; init; } } }
        """, "QTRK002");

    [Fact]
    public async Task QTRK002_Fix_MakesOuterPartial()
    {
        var fixedText = await ApplyFix("public static class Outer { [Tracked] public partial class Model { } }", "QTRK002");
        Assert.Equal("public static partial class Outer { [Tracked] public partial class Model { } }", fixedText);
    }
}

public class QTRK003_UnsupportedTypeShapeTests
{
    [Fact]
    public void QTRK003_Generic_Reported() => Verify("""
        [Tracked] public partial class {|QTRK003:Model|}<T> { [Param] public int Seed { get; init; } }
        """, "QTRK003");

    [Fact]
    public void QTRK003_NestedInGeneric_Reported() => Verify("""
        public partial class Outer<T> { [Tracked] public partial class {|QTRK003:Model|} { } }
        """, "QTRK003");

    [Fact]
    public void QTRK003_NonGeneric_Clean() => Verify("""
        public partial class Outer { [Tracked] public partial class Model { } }
        """, "QTRK003");
}

public class QTRK004_AbstractOrStaticTypeTests
{
    [Fact]
    public void QTRK004_Abstract_Reported() => Verify("""
        [Tracked] public abstract partial class {|QTRK004:Model|} { }
        """, "QTRK004");

    [Fact]
    public void QTRK004_Static_Reported() => Verify("""
        [Tracked] public static partial class {|QTRK004:Model|} { }
        """, "QTRK004");

    [Fact]
    public void QTRK004_Sealed_Clean() => Verify("""
        [Tracked] public sealed partial class Model { }
        """, "QTRK004");
}

public class QTRK005_NoParameterlessConstructorTests
{
    [Fact]
    public void QTRK005_OnlyParameterizedCtor_Reported() => Verify("""
        [Tracked] public partial class {|QTRK005:Model|} { public Model(int seed) { } }
        """, "QTRK005");

    [Fact]
    public void QTRK005_PositionalRecord_Reported() => Verify("""
        [Tracked] public partial record {|QTRK005:Model|}(int Seed);
        """, "QTRK005");

    [Fact]
    public void QTRK005_PrivateParameterlessCtor_Clean() => Verify("""
        [Tracked] public partial class Model { private Model() { } public Model(int seed) { } }
        [Tracked] public partial struct Point { public Point(int x) { } }
        """, "QTRK005");
}

public class QTRK006_RequiredMembersTests
{
    [Fact]
    public void QTRK006_Required_Reported() => Verify("""
        [Tracked] public partial class {|QTRK006:Model|} { [Param] public required int Seed { get; init; } }
        """, "QTRK006");

    [Fact]
    public void QTRK006_RequiredInBase_Reported() => Verify("""
        public class Base { public required string Name { get; init; } }
        [Tracked] public partial class {|QTRK006:Model|} : Base { }
        """, "QTRK006");

    [Fact]
    public void QTRK006_Init_Clean() => Verify("""
        [Tracked] public partial class Model { [Param] public int Seed { get; init; } }
        """, "QTRK006");
}

public class QTRK101_ParamTypeUnsupportedTests
{
    [Fact]
    public void QTRK101_UnsupportedTypes_Reported() => Verify("""
        public sealed class Empty { public int X { get; set; } }
        [Tracked] public partial class Model
        {
            [Param] public object {|QTRK101:Anything|} { get; init; } = new();
            [Param] public Dictionary<string, int> {|QTRK101:Map|} { get; init; } = new();
            [Param] public int?[] {|QTRK101:Holes|} { get; init; } = [];
            [Param] public char {|QTRK101:Letter|} { get; init; }
            [Param] public Empty {|QTRK101:NoParams|} { get; init; } = new();
            [Param] public TimeSpan? {|QTRK101:Window|} { get; init; }
        }
        """, "QTRK101");

    [Fact]
    public void QTRK101_GroupChildUnsupported_ReportedAtTopMember() => Verify("""
        public sealed record Data { [Param] public int Seed { get; init; } [Param] public object Other { get; init; } = new(); }
        [Tracked] public partial class Model { [Param] public Data {|QTRK101:Data|} { get; init; } = new(); }
        """, "QTRK101");

    [Fact]
    public void QTRK101_SupportedTypes_Clean() => Verify("""
        public enum Kind { A, B }
        public sealed record Data { [Param] public int Seed { get; init; } [Param] public string[] Names { get; init; } = []; }
        [Tracked] public partial class Model
        {
            [Param] public double Lr { get; init; }
            [Param] public float F { get; init; }
            [Param] public long L { get; init; }
            [Param] public bool B { get; init; }
            [Param] public string S { get; init; } = "";
            [Param] public decimal D { get; init; }
            [Param] public DateTime T { get; init; }
            [Param] public Kind K { get; init; }
            [Param] public int? N { get; init; }
            [Param] public List<double> Alphas { get; init; } = [];
            [Param] public IReadOnlyList<Kind> Kinds { get; init; } = [];
            [Param] public Data Data { get; init; } = new();
        }
        """);
}

public class QTRK102_ParamNotReadableTests
{
    [Fact]
    public void QTRK102_Unreadable_Reported() => Verify("""
        public sealed record Data { [Param] private int Hidden { get; init; } [Param] public int Seed { get; init; } }
        [Tracked] public partial class Model
        {
            private int _x;
            [Param] public int {|QTRK102:WriteOnly|} { set => _x = value; }
            [Param] public static int {|QTRK102:Shared|} { get; set; }
            [Param] public const int {|QTRK102:Fixed|} = 3;
            [Param] public Data {|QTRK102:Data|} { get; init; } = new();
        }
        """, "QTRK102");

    [Fact]
    public void QTRK102_PrivateOwnMember_Clean() => Verify("""
        [Tracked] public partial class Model { [Param] private int Seed { get; init; } [Param] internal double Lr; }
        """, "QTRK102");
}

public class QTRK103_DuplicateParamKeyTests
{
    [Fact]
    public void QTRK103_PolicyAndExplicit_Reported() => Verify("""
        [Tracked] public partial class Model
        {
            [Param] public double LearningRate { get; init; }
            [Param({|QTRK103:"learning_rate"|})] public double Lr { get; init; }
        }
        """, "QTRK103");

    [Fact]
    public void QTRK103_FlattenedGroupCollision_Reported() => Verify("""
        public sealed record Data { [Param] public int Seed { get; init; } }
        [Tracked] public partial class Model
        {
            [Param] public Data Data { get; init; } = new();
            [Param({|QTRK103:"data.seed"|})] public int Seed { get; init; }
        }
        """, "QTRK103");

    [Fact]
    public void QTRK103_DistinctKeys_Clean() => Verify("""
        public sealed record Data { [Param] public int Seed { get; init; } }
        [Tracked] public partial class Model
        {
            [Param] public Data Train { get; init; } = new();
            [Param] public Data Valid { get; init; } = new();
            [Param] public int Seed { get; init; }
            [Metric("seed")] public double SeedMetric { get; set; }
        }
        """, "QTRK103");
}

public class QTRK104_InvalidParamKeyTests
{
    [Fact]
    public void QTRK104_BadExplicitNames_Reported() => Verify("""
        [Tracked] public partial class Model
        {
            [Param({|QTRK104:"lr!"|})] public double A { get; init; }
            [Param({|QTRK104:"../escape"|})] public double B { get; init; }
            [Param({|QTRK104:"a//b"|})] public double C { get; init; }
            [Param({|QTRK104:"/root"|})] public double D { get; init; }
        }
        """, "QTRK104");

    [Fact]
    public void QTRK104_PolicyProducedKeyTooLong_Reported()
    {
        var name = new string('A', 1) + new string('b', 250);
        Verify($$"""
            [Tracked] public partial class Model { [Param] public int {|QTRK104:{{name}}|} { get; init; } }
            """, "QTRK104");
    }

    [Fact]
    public void QTRK104_ValidKeys_Clean() => Verify("""
        [Tracked] public partial class Model
        {
            [Param("model.kwargs/lr")] public double A { get; init; }
            [Param("Rank IC:window")] public double B { get; init; }
            [Param("größe")] public double C { get; init; }
            [Param] public double Größe2 { get; init; }
        }
        """, "QTRK104");
}

public class QTRK007_DuplicateModelNameTests
{
    [Fact]
    public void QTRK007_SameName_ReportedOnTheOneLeftOut() => Verify("""
        [Tracked(Name = "lgb")] public partial class A { [Param] public int X { get; set; } }
        [Tracked(Name = {|QTRK007:"lgb"|})] public partial class B { [Param] public int Y { get; set; } }
        """, "QTRK007");

    [Fact]
    public void QTRK007_NameEqualToAnotherTypesFullName_Reported() => Verify("""
        namespace Models
        {
            [Tracked] public partial class Ridge { }
            [Tracked(Name = {|QTRK007:"Models.Ridge"|})] public partial class RidgeV2 { }
        }
        """, "QTRK007");

    [Fact]
    public void QTRK007_DistinctNamesOrSkippedTypes_Clean() => Verify("""
        [Tracked(Name = "lgb")] public partial class A { }
        [Tracked(Name = "xgb")] public partial class B { }
        [Tracked(Name = "lgb")] public class NotPartial { }
        public partial class Outer { [Tracked(Name = "lgb")] private partial class Hidden { } }
        """, "QTRK007");
}
