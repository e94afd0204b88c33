using System.Text;
using Qlib.Tracked.Entities;
using Qlib.Tracked.Stores;
using Qlib.Tracked.Stores.FileBacked;

namespace Qlib.Tracked.Tests.Stores;

/// <summary>
/// Random damage to the files a store reads — meta.yaml, metric lines, the run index — gives warnings or typed errors
/// only: never another exception, never a run with a value no reader could have found in the file (an undefined
/// status, a time no date can show), never a valid metric line lost. Time-bounded (see <see cref="FuzzBudget"/>).
/// </summary>
public sealed class StoreFileFuzzTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    /// <summary>Values that make YAML and number readers work: wrong types, edge numbers, YAML syntax, control characters.</summary>
    private static readonly string[] HostileValues =
    [
        "", "abc", "1.5", "-1", "0", "1e400", "-1e400", "nan", ".nan", ".inf", "-.inf", "99999999999999999999", "9223372036854775807",
        "-9223372036854775808", "253402300799999", "253402300800000", "-62135596800001", "1.7e12", "0x10", "0o17", "+3", "3", "9",
        "RUNNING", "running", "KILLED", "deleted", "Deleted", "active", "archived", "[1, 2]", "[]", "{}", "{a: 1}", "'quoted'",
        "'it''s'", "'unterminated", "\"double\"", "\"\\u0000\"", "~", "null", "NULL", "true", "!!binary aGk=", "!!int 3", "&a 1", "*a",
        "|\n  block", ">\n  folded", "\u0000", "\u001b[31mred", "\t3", "3 ", " 3", "- 1\n- 2", "a: b: c", "#comment", "? complex",
        new string('9', 400), new string('x', 5000), "\ud800", "é",
    ];

    private static readonly string[] Keys =
    [
        "run_id", "run_uuid", "experiment_id", "run_name", "user_id", "status", "start_time", "end_time", "deleted_time",
        "lifecycle_stage", "artifact_uri", "name", "creation_time", "last_update_time", "artifact_location", "tags", "source_type",
    ];

    [Fact]
    public void RandomMetaYaml_GivesARunOrAProblem_NeverAnExceptionOrAnImpossibleValue()
    {
        var root = _dir.Combine("mlruns");
        var store = new FileStore(root);
        var experimentId = store.CreateExperiment("fuzz");
        var runId = store.CreateRun(experimentId, "u", 1_700_000_000_000, null, "r").Info.RunId;
        store.UpdateRunInfo(runId, RunStatus.Finished, 1_700_000_000_500, null);
        var runMeta = Path.Combine(root, experimentId, runId, "meta.yaml");
        var experimentMeta = Path.Combine(root, experimentId, "meta.yaml");
        var runTemplate = File.ReadAllText(runMeta);
        var experimentTemplate = File.ReadAllText(experimentMeta);

        var fuzz = new FuzzBudget();
        while (fuzz.Next())
        {
            var runText = Mutate(runTemplate, fuzz.Random);
            var info = RunMetaFile.Parse(runText, runId, out _, out var runProblem);
            if (info is null) AssertProblem(runProblem, fuzz, runText);
            else AssertPossible(info, fuzz, runText);

            var experimentText = Mutate(experimentTemplate, fuzz.Random);
            var experiment = ExperimentMetaFile.Parse(experimentText, experimentId, new Dictionary<string, string>(), out var experimentProblem);
            if (experiment is null) AssertProblem(experimentProblem, fuzz, experimentText);
            else Assert.True(Enum.IsDefined(experiment.LifecycleStage), fuzz.Where);

            // Every tenth text also goes through a real store, both with and without the run index.
            if (fuzz.Iteration % 10 != 0) continue;
            File.WriteAllBytes(runMeta, Encoding.UTF8.GetBytes(runText)); // (a lone surrogate becomes U+FFFD, as any writer would make it)
            var fresh = new FileStore(root, new FileStoreOptions { RunIndex = fuzz.Iteration % 20 == 0 ? RunIndexMode.Off : RunIndexMode.Verified });
            var warnings = new List<StoreWarning>();
            fresh.Warning += warnings.Add;
            var listed = fresh.SearchRuns([experimentId], null, ViewType.All, 10, null, null).Items;
            if (listed.Count == 0)
                Assert.True(warnings.Any(w => w.Path.EndsWith(runId + "/meta.yaml", StringComparison.Ordinal)), $"{fuzz.Where}: the run vanished without a warning\n{runText}");
            else
                AssertPossible(Assert.Single(listed).Info, fuzz, runText);
            try
            {
                AssertPossible(fresh.GetRun(runId).Info, fuzz, runText);
            }
            catch (TrackingException e)
            {
                Assert.Contains("meta.yaml", e.Message);
            }
        }
    }

    [Fact]
    public void RandomMetricFiles_LoseNoValidLine_AndReportTheRest()
    {
        var path = _dir.Combine("metric");
        var fuzz = new FuzzBudget();
        while (fuzz.Next())
        {
            var random = fuzz.Random;
            var content = new MemoryStream();
            var valid = new List<Metric>();
            var lines = random.Next(0, 40);
            for (var i = 0; i < lines; i++)
            {
                if (random.Next(3) == 0)
                {
                    var metric = new Metric("m", Math.Round(random.NextDouble() * 1000, random.Next(0, 6)) * (random.Next(2) == 0 ? -1 : 1),
                        random.NextInt64(-1_000_000_000_000, 10_000_000_000_000), random.NextInt64(-1000, 1_000_000));
                    valid.Add(metric);
                    content.Write(Encoding.UTF8.GetBytes(FormattableString.Invariant($"{metric.Timestamp} {metric.Value:R} {metric.Step}\n")));
                }
                else
                {
                    content.Write(GarbageLine(random));
                    content.WriteByte((byte)'\n');
                }
            }
            if (random.Next(4) == 0) content.Write(GarbageLine(random)); // a torn last line
            File.WriteAllBytes(path, content.ToArray());

            var bad = new List<(int Line, string Reason)>();
            var points = MetricFile.ReadHistory(path, "m", (line, reason) => bad.Add((line, reason)));

            // Every valid line is read, in order (garbage may parse too: a random "1 2" is a valid line).
            var next = 0;
            for (var i = 0; i < points.Count && next < valid.Count; i++)
            {
                if (points[i] == valid[next]) next++;
            }
            Assert.True(next == valid.Count, $"{fuzz.Where}: valid line {next} was lost");
            Assert.All(bad, b => Assert.StartsWith("Metric 'm' is malformed", b.Reason));
            Assert.All(bad, b => Assert.True(b.Reason.Length < 300, $"{fuzz.Where}: {b.Reason.Length}-char reason"));
        }
    }

    [Fact]
    public void RandomRunIndexFiles_AreRebuiltOrUsed_NeverAnError()
    {
        var root = _dir.Combine("mlruns");
        var store = new FileStore(root);
        var experimentId = store.CreateExperiment("fuzz-index");
        for (var i = 0; i < 6; i++)
        {
            var id = store.CreateRun(experimentId, "u", 100 + i, [new RunTag("team", "t" + (i % 2))], "run" + i).Info.RunId;
            store.LogBatch(id, [new Metric("score", i / 10.0, 1, 0)], [new Param("group", "g" + (i % 3))], []);
        }
        RunIndexTestKit.Age(root);
        var indexFile = RunIndexTestKit.IndexFile(Path.Combine(root, experimentId));
        var expected = RunIndexTestKit.Describe(Search(new FileStore(root), experimentId)); // also saves the index
        var good = File.ReadAllBytes(indexFile);

        var fuzz = new FuzzBudget();
        while (fuzz.Next())
        {
            var random = fuzz.Random;
            var bytes = MutateBytes(good, random);
            // Half the time the damage gets a valid checksum, so it reaches the payload's own checks.
            var checksummed = random.Next(2) == 0 && bytes.Length >= 24;
            if (checksummed) bytes = RunIndexTestKit.WithPayload(good, bytes[24..]);
            File.WriteAllBytes(indexFile, bytes);

            var fresh = new FileStore(root);
            var runs = Search(fresh, experimentId);
            // Without a valid checksum the file cannot be used, so the answer is the files' own. (With one, a damaged
            // value under an unchanged stamp cannot be told from a real one; what matters then is that nothing throws.)
            if (!checksummed || bytes.AsSpan(24).SequenceEqual(good.AsSpan(24)))
                Assert.True(RunIndexTestKit.Describe(runs) == expected, fuzz.Where);
            File.WriteAllBytes(indexFile, good);
        }
    }

    private static IReadOnlyList<Run> Search(FileStore store, string experimentId) =>
        store.SearchRuns([experimentId], "params.group != 'g9' and metrics.score >= 0", ViewType.All, 100, ["metrics.score DESC"], null).Items;

    private static void AssertProblem(string? problem, FuzzBudget fuzz, string text)
    {
        Assert.False(string.IsNullOrEmpty(problem), $"{fuzz.Where}: no problem given\n{text}");
        Assert.True(problem!.Length < 400, $"{fuzz.Where}: a {problem.Length}-char problem");
        Assert.DoesNotContain(problem, char.IsControl);
    }

    /// <summary>A run as listed: only values a date, a status and a stage can be (a table prints each without throwing).</summary>
    private static void AssertPossible(RunInfo info, FuzzBudget fuzz, string text)
    {
        Assert.True(Enum.IsDefined(info.Status), $"{fuzz.Where}: status {(int)info.Status}\n{text}");
        Assert.True(Enum.IsDefined(info.LifecycleStage), $"{fuzz.Where}: stage\n{text}");
        foreach (var time in new[] { info.StartTime, info.EndTime, info.DeletedTime })
        {
            if (time is { } ms) _ = DateTimeOffset.FromUnixTimeMilliseconds(ms); // throws for a time no date can show
        }
    }

    private static string Mutate(string template, Random random)
    {
        var lines = template.Split('\n').ToList();
        for (var edits = random.Next(1, 4); edits > 0; edits--)
        {
            var at = random.Next(lines.Count);
            switch (random.Next(7))
            {
                case 0: // a field gets a hostile value
                case 1:
                    var colon = lines[at].IndexOf(": ", StringComparison.Ordinal);
                    var key = colon > 0 ? lines[at][..colon] : Keys[random.Next(Keys.Length)];
                    lines[at] = key + ": " + HostileValues[random.Next(HostileValues.Length)];
                    break;
                case 2: // a field is added, possibly a duplicate
                    lines.Insert(at, Keys[random.Next(Keys.Length)] + ": " + HostileValues[random.Next(HostileValues.Length)]);
                    break;
                case 3:
                    lines.RemoveAt(at);
                    if (lines.Count == 0) lines.Add("");
                    break;
                case 4: // random characters anywhere
                    var chars = lines[at].ToCharArray().ToList();
                    chars.Insert(random.Next(chars.Count + 1), (char)random.Next(0, 0x3000));
                    lines[at] = new string([.. chars]);
                    break;
                case 5:
                    lines[at] = lines[at][..random.Next(lines[at].Length + 1)];
                    break;
                default:
                    lines.Insert(at, HostileValues[random.Next(HostileValues.Length)]);
                    break;
            }
        }
        return string.Join(random.Next(8) == 0 ? "\r\n" : "\n", lines);
    }

    private static byte[] GarbageLine(Random random)
    {
        switch (random.Next(8))
        {
            case 0: // random bytes without a newline
                var bytes = new byte[random.Next(0, 60)];
                random.NextBytes(bytes);
                return [.. bytes.Select(b => b == (byte)'\n' ? (byte)' ' : b)];
            case 1:
                return Encoding.UTF8.GetBytes(string.Join(' ', Enumerable.Range(0, random.Next(1, 8)).Select(_ => HostileValues[random.Next(HostileValues.Length)].Replace('\n', ' '))));
            case 2:
                return Encoding.UTF8.GetBytes($"{new string('9', random.Next(18, 40))} 1.0 0");
            case 3:
                return Encoding.UTF8.GetBytes($"1 {HostileValues[random.Next(HostileValues.Length)].Replace('\n', ' ')} 2 extra");
            case 4: // rarely, a line longer than the reader's chunk
                return random.Next(10) == 0 ? Encoding.ASCII.GetBytes(new string('7', MetricFile.ChunkBytes + random.Next(1, 5000))) : [(byte)'x'];
            case 5:
                return "1 2 3\r"u8.ToArray();
            case 6:
                return "   \t "u8.ToArray();
            default:
                return Encoding.UTF8.GetBytes($"1700000000000 {random.NextDouble()} 3 ds digest");
        }
    }

    private static byte[] MutateBytes(byte[] good, Random random)
    {
        var bytes = good.ToList();
        for (var edits = random.Next(1, 4); edits > 0; edits--)
        {
            switch (random.Next(6))
            {
                case 0: // flip bytes
                    for (var n = random.Next(1, 8); n > 0 && bytes.Count > 0; n--) bytes[random.Next(bytes.Count)] = (byte)random.Next(256);
                    break;
                case 1: // truncate
                    var cut = random.Next(bytes.Count + 1);
                    bytes.RemoveRange(cut, bytes.Count - cut);
                    break;
                case 2: // extend
                    bytes.AddRange(Enumerable.Range(0, random.Next(1, 64)).Select(_ => (byte)random.Next(256)));
                    break;
                case 3: // an int32 set to a boundary value (counts, offsets, lengths)
                    if (bytes.Count >= 4)
                    {
                        var at = random.Next(bytes.Count - 3);
                        var value = new[] { 0, -1, 1, int.MaxValue, int.MinValue, 0x7FFF, 255 }[random.Next(7)];
                        for (var b = 0; b < 4; b++) bytes[at + b] = (byte)(value >> (8 * b));
                    }
                    break;
                case 4: // a span zeroed
                    var start = random.Next(bytes.Count + 1);
                    for (var i = start; i < Math.Min(bytes.Count, start + random.Next(1, 32)); i++) bytes[i] = 0;
                    break;
                default: // bytes inserted
                    bytes.InsertRange(random.Next(bytes.Count + 1), Enumerable.Range(0, random.Next(1, 16)).Select(_ => (byte)random.Next(256)));
                    break;
            }
        }
        return [.. bytes];
    }
}
