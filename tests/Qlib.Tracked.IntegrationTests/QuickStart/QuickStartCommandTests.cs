using QuickStart;

namespace Qlib.Tracked.IntegrationTests;

/// <summary>QuickStart's command line: a wrong option is exit 2 naming it, a store that cannot be opened exit 1; never a stack trace.</summary>
[Collection("ambient R")]
public sealed class QuickStartCommandTests
{
    public static TheoryData<string, string[]> WrongCommandLines => new()
    {
        { "--uri", ["--uri", "file:"] },
        { "--uri", ["--uri", "s3://bucket/mlruns"] },
        { "--uri", ["--uri", ""] },
        { "--uri", ["--uri", "file:/tmp/a%00b"] },
        { "--uri", ["--uri"] },
        { "--days", ["--days", "abc"] },
        { "--days", ["--days", "5"] },
        { "--days", ["--days", "99999999999"] },
        { "--instruments", ["--instruments", "-3"] },
        { "--instruments", ["--instruments", "10000", "--days", "10000"] },
        { "--seed", ["--seed", "1.5"] },
        { "--experiment", ["--experiment", " "] },
        { "--frobnicate", ["--frobnicate"] },
    };

    [Theory]
    [MemberData(nameof(WrongCommandLines))]
    public void AWrongOption_IsExit2_NamingIt_BeforeAnythingIsRecorded(string named, string[] args)
    {
        var (code, output, error) = Run(args);

        Assert.Equal(QuickStartCommand.ExitBadInput, code);
        Assert.Equal("", output);
        Assert.Contains(named, error);
        Assert.DoesNotContain("   at ", error);
    }

    [Fact]
    public void AStoreThatIsAFile_IsExit1_NamingIt()
    {
        using var store = new TempStore();
        var file = Path.Combine(store.Root, "not-a-folder");
        Directory.CreateDirectory(store.Root);
        File.WriteAllText(file, "x");

        var (code, _, error) = Run(["--uri", file, "--instruments", "10", "--days", "20"]);

        Assert.Equal(QuickStartCommand.ExitFailed, code);
        Assert.Contains($"'{file}': it is a file", error);
        Assert.DoesNotContain("   at ", error);
        Assert.Equal("x", File.ReadAllText(file));
    }

    /// <summary>
    /// The default run prints a weak, noisy signal, as real markets give: an IC of a few hundredths (not the 0.45 a
    /// noise-free panel gave), and an information ratio far below the 50 such a panel gave.
    /// </summary>
    [Fact]
    public void DefaultRun_PrintsARealisticIc()
    {
        using var store = new TempStore();
        var (code, output, error) = Run(["--uri", store.Uri]);

        Assert.True(code == QuickStartCommand.ExitOk, error);
        var ic = PrintedMetric(output, "IC");
        Assert.InRange(ic, 0.01, 0.15);
        Assert.InRange(PrintedMetric(output, "1day.excess_return_with_cost.information_ratio"), -10, 10);
    }

    /// <summary>The value of a metric in the printed record-template table (<c>name   value</c>).</summary>
    private static double PrintedMetric(string output, string name)
    {
        var line = output.Split('\n').Select(l => l.Trim()).LastOrDefault(l => l.StartsWith(name + " ", StringComparison.Ordinal));
        Assert.True(line is not null, $"'{name}' is not printed:\n{output}");
        return double.Parse(line![name.Length..].Trim(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static (int Code, string Out, string Error) Run(string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = QuickStartCommand.Run(args, output, error);
        return (code, output.ToString(), error.ToString());
    }
}
