using Qlib.Tracked.Artifacts;

namespace Qlib.Tracked.Tests.Artifacts;

public class LargeArraysTests
{
    [Fact]
    public void Allocate_GivesAZeroedArrayOfTheLength_AdvisedOrNot()
    {
        foreach (var length in new[] { 0, 1, 1_000, 1_250_000 })
        {
            var strings = LargeArrays.Allocate<string?>(length);
            Assert.Equal(length, strings.Length);
            Assert.All(strings, Assert.Null);
            var doubles = LargeArrays.Allocate<double>(length);
            Assert.Equal(length, doubles.Length);
            Assert.True(doubles.AsSpan().IndexOfAnyExcept(0.0) < 0);
        }
    }

    [Fact]
    public void Advice_LeavesTheContentAsItWas()
    {
        var values = new double[1_250_000];
        for (var i = 0; i < values.Length; i++) values[i] = i * 0.5;
        var advised = LargeArrays.AdviseHugePages(values);
        if (OperatingSystem.IsLinux() && File.Exists("/sys/kernel/mm/transparent_hugepage/enabled"))
            Assert.True(advised, "a 10 MB array on Linux with transparent huge pages should be advised");
        for (var i = 0; i < values.Length; i++) Assert.Equal(i * 0.5, values[i]);
        Assert.False(LargeArrays.AdviseHugePages(new double[1_000])); // too small to hold a whole huge page
    }
}
