using System.Text;
using Qlib.Tracked.Formats;
using Qlib.Tracked.Formats.Python;

namespace Qlib.Tracked.Tests;

/// <summary>
/// The flat meta.yaml reader must read exactly what YamlDotNet reads, or decline: every text below is parsed
/// both ways and every key compared.
/// </summary>
public sealed class FlatYamlMappingTests
{
    private static readonly string[] Values =
    [
        "my_exp", "-dash", "quote's", "1e5", "émoji \U0001f389", "589343488860478676", "0.10", "1.5", "0x1F",
        "2021-01-04", "yes", "no", "True", "null", "~", "", "#hash", "@at", "*star", "[list]", "{x}", " lead",
        "trailing ", "a: b", "tab\there", "a\ab", "line\nbreak", "a #b", "a#b", "a:b", "ends:", "it's 'quoted'",
        "%pct", "`tick", "!bang", "&amp", "|pipe", ">gt", "?q", ",comma", "\"dq\"", "back\\slash", "nel\u0085x",
        "ls\u2028x", "\uFEFFbom", "x  y", "file:///tmp/mlruns/0/abc/artifacts", "Null", "NULL", "1_000", "+1", "-1",
        "0o17", ".inf", "-.nan", "on", "off", "y", "n", "12:30:00", "2021-01-04T10:00:00Z", "a - b", "- a",
        new string('w', 200), string.Join(' ', Enumerable.Repeat("word", 40)), "\u00A0nbsp", "x\u00A0",
    ];

    [Fact]
    public void EveryValueSpelledByOurPyYamlWriter_ReadsTheSameBothWays()
    {
        var fastTaken = 0;
        foreach (var value in Values)
        {
            var text = PyYamlWriter.Write(new YamlMapping()
                .Add("artifact_uri", "file:///tmp/mlruns/1/abc/artifacts")
                .Add("end_time", (long?)null)
                .Add("name", value)
                .Add("start_time", 1_795_722_050_600L));
            AssertSameAsYamlDotNet(text);
            if (FlatYamlMapping.TryRead(text) is not null) fastTaken++;
        }
        // Most spellings are one-line plain or single-quoted scalars: the fast path must actually be used.
        Assert.True(fastTaken > Values.Length / 2, $"the flat reader took only {fastTaken} of {Values.Length} texts");
    }

    [Fact]
    public void MetaFilesWrittenByRealMlflow_TakeTheFastPath_AndReadTheSame()
    {
        var root = Path.Combine(AppContext.BaseDirectory, "Fixtures", "mlflow-filestore-reference", "mlruns");
        var metas = Directory.GetFiles(root, "meta.yaml", SearchOption.AllDirectories)
            .Select(p => Path.GetRelativePath(root, p)) // (a checkout under a folder named "inputs" must not filter everything)
            .Where(p => !p.Contains("datasets/") && !p.Contains("inputs/")).Select(p => Path.Combine(root, p)).ToList(); // run and experiment metas
        Assert.NotEmpty(metas);
        foreach (var path in metas)
        {
            var text = File.ReadAllText(path);
            Assert.True(FlatYamlMapping.TryRead(text) is not null, $"the flat reader declined {path}");
            AssertSameAsYamlDotNet(text);
        }
    }

    [Theory]
    [InlineData("name: x\n# comment\n")]
    [InlineData("name: \"double\"\n")]
    [InlineData("name:  two spaces\n")]
    [InlineData("name: folded\n  continued\n")]
    [InlineData("name: x\nname: y\n")]
    [InlineData("tags:\n  a: b\n")]
    [InlineData("name: x\r\n")]
    [InlineData("---\nname: x\n")]
    [InlineData("name: 'a'b'\n")]
    public void OtherShapes_AreDeclined_AndStillReadByYamlDotNet(string text)
    {
        Assert.Null(FlatYamlMapping.TryRead(text));
        AssertSameAsYamlDotNet(text);
    }

    [Fact]
    public void RandomLinesFromYamlsTrickyPieces_NeverDisagree()
    {
        string[] pieces = ["name", "run_id", ": ", ":", " ", "'", "''", "\"", "#", " #", "-", "x", "12", "null", "~", "é",
            "\U0001f389", "\t", "\n", "\r", "[", "]", "{", "}", "&", "*", "!", "|", ">", "%", "@", "`", "?", ",", "\\",
            "\u0085", "\u2028", "\u00A0", "0.5", "yes", "--- ", "..."];
        var random = new Random(20261127);
        var fastTaken = 0;
        for (var i = 0; i < 20_000; i++)
        {
            var builder = new StringBuilder();
            var lines = random.Next(1, 4);
            for (var l = 0; l < lines; l++)
            {
                // Mostly well-formed "key: value" lines with a tricky value, sometimes anything at all.
                if (random.Next(3) > 0) builder.Append(random.Next(2) == 0 ? "name" : "k" + l).Append(": ");
                var parts = random.Next(1, 6);
                for (var p = 0; p < parts; p++) builder.Append(pieces[random.Next(pieces.Length)]);
                builder.Append('\n');
            }
            AssertSameAsYamlDotNet(builder.ToString());
            if (FlatYamlMapping.TryRead(builder.ToString()) is not null) fastTaken++;
        }
        Assert.True(fastTaken > 1_000, $"only {fastTaken} random texts reached the flat reader");
    }

    private static void AssertSameAsYamlDotNet(string text)
    {
        var general = YamlMeta.TryParseWithYamlDotNet(text);
        var used = YamlMeta.TryParse(text);
        if (FlatYamlMapping.TryRead(text) is not { } flat)
        {
            return; // declined: TryParse is the general path itself
        }
        Assert.True(general is not null, $"the flat reader accepted text YamlDotNet rejects: {Escape(text)}");
        Assert.NotNull(used);
        foreach (var key in flat.Keys.Concat(["name", "run_id", "k0", "k1", "k2", "end_time", "start_time", "missing"]))
        {
            Assert.True(general!.Contains(key) == used!.Contains(key), $"Contains('{key}') differs for {Escape(text)}");
            Assert.True(general.GetString(key) == used.GetString(key),
                $"GetString('{key}') differs for {Escape(text)}: YamlDotNet '{general.GetString(key)}', flat '{used.GetString(key)}'");
            Assert.Equal(general.GetLong(key), used.GetLong(key));
        }
    }

    private static string Escape(string text) =>
        string.Concat(text.Select(c => c is >= ' ' and <= '~' ? c.ToString() : $"\\u{(int)c:X4}"));
}
