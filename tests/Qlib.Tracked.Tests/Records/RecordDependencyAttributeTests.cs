using System.Reflection;
using Qlib.Tracked.Backtest;
using Qlib.Tracked.Records;

namespace Qlib.Tracked.Tests.Records;

/// <summary>
/// The compile-time dependency ([DependsOnRecord], which the analyzers read) says what the run-time one
/// (<c>Layout.DependsOn</c>, which Load/Check follow) does, for every record template the runtime ships.
/// </summary>
public sealed class RecordDependencyAttributeTests
{
    private static readonly MarketData Market = MarketData.FromRows(
        [new MarketRow(new DateTime(2020, 1, 2), "A", 10, 10, 10, 10, 1e6, 1, 0)]);

    // One factory per shipped template; the test below fails when a template is added without one.
    private static readonly Dictionary<Type, Func<RecordTemplate>> Factories = new()
    {
        [typeof(SignalRecord)] = () => new SignalRecord(null),
        [typeof(SigAnaRecord)] = () => new SigAnaRecord(null),
        [typeof(PortAnaRecord)] = () => new PortAnaRecord(null, Market),
        [typeof(MultiPassPortAnaRecord)] = () => new MultiPassPortAnaRecord(null, Market),
    };

    [Fact]
    public void EveryShippedTemplate_IsCovered()
    {
        var concrete = typeof(RecordTemplate).Assembly.GetTypes()
            .Where(t => t is { IsClass: true, IsAbstract: false } && typeof(RecordTemplate).IsAssignableFrom(t))
            .OrderBy(t => t.FullName, StringComparer.Ordinal);
        Assert.Equal(concrete, Factories.Keys.OrderBy(t => t.FullName, StringComparer.Ordinal));
    }

    [Fact]
    public void DependsOnRecord_NamesTheTemplateWhoseLayoutTheTemplateFallsBackTo()
    {
        foreach (var (type, create) in Factories)
        {
            var declared = type.GetCustomAttributes<DependsOnRecordAttribute>(inherit: true).Select(a => a.Template).ToList();
            var layout = create().Layout;
            if (layout.DependsOn is null)
            {
                Assert.True(declared.Count == 0, $"{type.Name} declares [DependsOnRecord] but its layout has no dependency");
                continue;
            }
            var dependency = Assert.Single(declared);
            Assert.Same(Factories[dependency]().Layout, layout.DependsOn);
        }
    }

    [Fact]
    public void AnalysisTemplates_DependOnSignalRecord()
    {
        Assert.Equal(typeof(SignalRecord), typeof(SigAnaRecord).GetCustomAttribute<DependsOnRecordAttribute>()!.Template);
        Assert.Equal(typeof(SignalRecord), typeof(PortAnaRecord).GetCustomAttribute<DependsOnRecordAttribute>()!.Template);
        Assert.Equal(typeof(SignalRecord), typeof(MultiPassPortAnaRecord).GetCustomAttribute<DependsOnRecordAttribute>()!.Template);
        Assert.Empty(typeof(SignalRecord).GetCustomAttributes<DependsOnRecordAttribute>());
    }
}
