using System.Globalization;
using static Qlib.Tracked.Analyzers.Tests.AnalyzerTestHelper;

namespace Qlib.Tracked.Analyzers.Tests;

/// <summary>User-written record templates the rules must treat exactly like the runtime's own.</summary>
internal static class UserTemplates
{
    public const string Source = """
        public sealed class FeatureRecord : RecordTemplate
        {
            public FeatureRecord(Recorder? recorder) : base(recorder) { }
            public override RecordLayout Layout { get; } = new("features", ["f.parquet"]);
        }

        [DependsOnRecord(typeof(FeatureRecord))]
        public sealed class DriftRecord : RecordTemplate
        {
            public DriftRecord(Recorder? recorder) : base(recorder) { }
            public override RecordLayout Layout { get; } = new("drift", ["d.parquet"]);
        }

        // The dependency is declared on an abstract base: every template deriving from it inherits it.
        [DependsOnRecord(typeof(SignalRecord))]
        public abstract class SignalReport : RecordTemplate
        {
            protected SignalReport(Recorder? recorder) : base(recorder) { }
        }

        public sealed class TurnoverRecord : SignalReport
        {
            public TurnoverRecord(Recorder? recorder) : base(recorder) { }
            public override RecordLayout Layout { get; } = new("turnover", ["t.parquet"]);
        }

        // Depends on "any feature source": a template deriving from the abstract one satisfies it.
        public abstract class FeatureSource : RecordTemplate
        {
            protected FeatureSource(Recorder? recorder) : base(recorder) { }
        }

        public sealed class Alpha158Features : FeatureSource
        {
            public Alpha158Features(Recorder? recorder) : base(recorder) { }
            public override RecordLayout Layout { get; } = new("alpha158", ["x.parquet"]);
        }

        [DependsOnRecord(typeof(FeatureSource))]
        public sealed class FeatureIcRecord : RecordTemplate
        {
            public FeatureIcRecord(Recorder? recorder) : base(recorder) { }
            public override RecordLayout Layout { get; } = new("feature_ic", ["ic.parquet"]);
        }
        """;

    /// <summary><paramref name="model"/> after a Records using, followed by the user templates (so markup offsets stay in Source0).</summary>
    public static string With(string model) => "using Qlib.Tracked.Records;\n" + model + "\n" + Source;
}

public class QTRK403_MissingRecordDependencyTests
{
    [Fact]
    public void QTRK403_BuiltInTemplatesWithoutSignalRecord_ReportedAtEachDeclaration()
    {
        var diagnostics = Verify(UserTemplates.With("""
            [Tracked]
            [Record({|QTRK403:typeof(SigAnaRecord)|})]
            [Record({|QTRK403:typeof(PortAnaRecord)|}), Record({|QTRK403:typeof(MultiPassPortAnaRecord)|})]
            public partial class Model { [Param] public int Seed { get; init; } }
            """), "QTRK403");
        Assert.Contains(diagnostics, d => d.GetMessage(CultureInfo.InvariantCulture)
            == "'Model' declares record template 'SigAnaRecord', which depends on 'SignalRecord': declare [Record(typeof(SignalRecord))] too");
        Assert.All(diagnostics.Where(d => d.Id == "QTRK403"), d => Assert.Equal(Microsoft.CodeAnalysis.DiagnosticSeverity.Warning, d.Severity));
    }

    [Fact]
    public void QTRK403_UserTemplates_DependenciesReadFromTheTemplateTypes()
    {
        var diagnostics = Verify(UserTemplates.With("""
            [Tracked]
            [Record(typeof(SignalRecord))]
            [Record({|QTRK403:typeof(DriftRecord)|})]
            [Record({|QTRK403:typeof(FeatureIcRecord)|})]
            public partial class Model { }

            [Tracked, Record({|QTRK403:typeof(TurnoverRecord)|})]
            public partial class Other { }
            """), "QTRK403");
        var messages = diagnostics.Where(d => d.Id == "QTRK403").Select(d => d.GetMessage(CultureInfo.InvariantCulture)).ToList();
        Assert.Contains("'Model' declares record template 'DriftRecord', which depends on 'FeatureRecord': declare [Record(typeof(FeatureRecord))] too", messages);
        Assert.Contains("'Model' declares record template 'FeatureIcRecord', which depends on 'FeatureSource': declare [Record(typeof(FeatureSource))] too", messages);
        // Inherited from the abstract SignalReport.
        Assert.Contains("'Other' declares record template 'TurnoverRecord', which depends on 'SignalRecord': declare [Record(typeof(SignalRecord))] too", messages);
    }

    [Fact]
    public void QTRK403_DependenciesDeclared_AnyOrder_Clean() => Verify(UserTemplates.With("""
        [Tracked]
        [Record(typeof(PortAnaRecord))]
        [Record(typeof(SigAnaRecord))]
        [Record(typeof(MultiPassPortAnaRecord))]
        [Record(typeof(SignalRecord))]
        [Record(typeof(DriftRecord)), Record(typeof(FeatureRecord))]
        [Record(typeof(TurnoverRecord))]
        [Record(typeof(Alpha158Features)), Record(typeof(FeatureIcRecord))]
        public partial class Model { }

        [Tracked] public partial class NoRecords { }
        [Tracked, Record(typeof(SignalRecord))] public partial class SignalOnly { }
        """), "QTRK403", "QTRK404", "QTRK405");

    [Fact]
    public void QTRK403_TransitiveChain_ReportsEachMissingLink()
    {
        // C depends on B depends on A: declaring C and A leaves B missing (at C); declaring C and B leaves A missing (at B).
        const string chain = """
            public sealed class A : RecordTemplate { public A() : base(null) { } public override RecordLayout Layout { get; } = new(null, []); }
            [DependsOnRecord(typeof(A))] public sealed class B : RecordTemplate { public B() : base(null) { } public override RecordLayout Layout { get; } = new(null, []); }
            [DependsOnRecord(typeof(B))] public sealed class C : RecordTemplate { public C() : base(null) { } public override RecordLayout Layout { get; } = new(null, []); }
            """;
        Verify(UserTemplates.With("""
            [Tracked, Record({|QTRK403:typeof(C)|}), Record(typeof(A))] public partial class M1 { }
            [Tracked, Record(typeof(C)), Record({|QTRK403:typeof(B)|})] public partial class M2 { }
            [Tracked, Record(typeof(C)), Record(typeof(B)), Record(typeof(A))] public partial class M3 { }
            """ + chain), "QTRK403");
    }
}

public class QTRK404_DuplicateRecordTemplateTests
{
    [Fact]
    public void QTRK404_SameTemplateTwice_ReportedAtTheRepeat()
    {
        var diagnostics = Verify(UserTemplates.With("""
            [Tracked]
            [Record(typeof(SignalRecord))]
            [Record(typeof(SigAnaRecord)), Record({|QTRK404:typeof(Qlib.Tracked.Records.SignalRecord)|})]
            [Record({|QTRK404:typeof(SigAnaRecord)|})]
            public partial class Model { }
            """), "QTRK404");
        Assert.Contains(diagnostics, d => d.GetMessage(CultureInfo.InvariantCulture) == "Record template 'SignalRecord' is declared more than once on 'Model'");
    }

    [Fact]
    public void QTRK404_DistinctTemplates_AndSameTemplateOnTwoModels_Clean() => Verify(UserTemplates.With("""
        [Tracked, Record(typeof(SignalRecord)), Record(typeof(SigAnaRecord))] public partial class A { }
        [Tracked, Record(typeof(SignalRecord)), Record(typeof(SigAnaRecord))] public partial class B { }
        """), "QTRK404");
}

public class QTRK405_NotARecordTemplateTests
{
    [Fact]
    public void QTRK405_NotTemplates_Reported()
    {
        var diagnostics = Verify(UserTemplates.With("""
            [Tracked]
            [Record({|QTRK405:typeof(string)|})]
            [Record({|QTRK405:typeof(RecordTemplate)|})]
            [Record({|QTRK405:typeof(AutoCheckRecordTemplate<>)|})]
            [Record({|QTRK405:typeof(IDisposable)|})]
            [Record({|QTRK405:typeof(int[])|})]
            [Record({|QTRK405:typeof(SignalReport)|})]
            public partial class Model { }

            [DependsOnRecord({|QTRK405:typeof(Model)|})]
            public sealed class Odd : RecordTemplate { public Odd() : base(null) { } public override RecordLayout Layout { get; } = new(null, []); }
            """), "QTRK405");
        var messages = diagnostics.Where(d => d.Id == "QTRK405").Select(d => d.GetMessage(CultureInfo.InvariantCulture)).ToList();
        Assert.Contains("'string' in [Record] on 'Model' is not a record template: it does not derive from Qlib.Tracked.Records.RecordTemplate", messages);
        Assert.Contains("'RecordTemplate' in [Record] on 'Model' is not a record template: it is abstract, so it cannot run", messages);
        Assert.Contains("'AutoCheckRecordTemplate<>' in [Record] on 'Model' is not a record template: it is an open generic type", messages);
        Assert.Contains("'Model' in [DependsOnRecord] on 'Odd' is not a record template: it does not derive from Qlib.Tracked.Records.RecordTemplate", messages);
        Assert.All(diagnostics.Where(d => d.Id == "QTRK405"), d => Assert.Equal(Microsoft.CodeAnalysis.DiagnosticSeverity.Error, d.Severity));
    }

    [Fact]
    public void QTRK405_Templates_AbstractDependency_AndCompilerErrors_Clean() => Verify(UserTemplates.With("""
        [Tracked, Record(typeof(FeatureRecord)), Record(typeof(SignalRecord)), Record(typeof(TurnoverRecord))] public partial class Model { }
        [Tracked, Record(typeof(NoSuchRecord))] public partial class Typo { }
        """), "QTRK405");
}

public class RecordDependencyCodeFixTests
{
    [Fact]
    public async Task QTRK403_Fix_DeclaresTheDependencyBeforeTheAttribute_KeepingDocComment()
    {
        const string source = """
            using Qlib.Tracked.Records;

            namespace App
            {
                /// <summary>The model.</summary>
                [Record(typeof(SigAnaRecord))]
                [Tracked]
                public partial class Model { }
            }
            """;
        var fixedSource = await ApplyFix(source, "QTRK403", "Declare [Record(typeof(SignalRecord))]");
        Assert.Equal("""
            using Qlib.Tracked.Records;

            namespace App
            {
                /// <summary>The model.</summary>
                [Record(typeof(SignalRecord))]
                [Record(typeof(SigAnaRecord))]
                [Tracked]
                public partial class Model { }
            }
            """, fixedSource);
        Assert.Empty(Errors(fixedSource));
        Assert.DoesNotContain(AnalyzerDiagnostics(Generate(Compile(fixedSource))), d => d.Id.StartsWith("QTRK", StringComparison.Ordinal));
    }

    [Fact]
    public async Task QTRK403_Fix_InlineAttribute_OwnLineFullyQualifiedWithoutUsing()
    {
        const string source = """
            [Tracked, Qlib.Tracked.Record(typeof(Qlib.Tracked.Records.PortAnaRecord))] public partial class Model { }
            """;
        var fixedSource = await ApplyFix(source, "QTRK403");
        Assert.Equal("""
            [Qlib.Tracked.Record(typeof(Qlib.Tracked.Records.SignalRecord))]
            [Tracked, Qlib.Tracked.Record(typeof(Qlib.Tracked.Records.PortAnaRecord))] public partial class Model { }
            """, fixedSource);
        Assert.Empty(Errors(fixedSource));
    }

    [Fact]
    public async Task QTRK403_Fix_UserTemplateChain_FixedTwiceIsClean()
    {
        var source = UserTemplates.With("[Tracked, Record(typeof(DriftRecord))] public partial class Model { }");
        var once = await ApplyFix(source, "QTRK403");
        Assert.StartsWith("using Qlib.Tracked.Records;\n[Record(typeof(FeatureRecord))]\n[Tracked, Record(typeof(DriftRecord))] public partial class Model { }\n", once);
        Assert.Empty(Errors(once));
        Assert.DoesNotContain(AnalyzerDiagnostics(Generate(Compile(once))), d => d.Id.StartsWith("QTRK", StringComparison.Ordinal));
    }
}
