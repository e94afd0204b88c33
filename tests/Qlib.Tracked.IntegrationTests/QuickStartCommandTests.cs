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

    private static (int Code, string Out, string Error) Run(string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = QuickStartCommand.Run(args, output, error);
        return (code, output.ToString(), error.ToString());
    }
}
