using System.Text;
using Qlib.Tracked.Entities;
using Qlib.Tracked.Stores.FileBacked;

namespace Qlib.Tracked.Tests.Stores.FileBacked;

/// <summary>
/// Pages of a metric file read one after another (as <c>qtrack server</c> answers <c>metrics/get-history</c>: each page
/// one point longer, the next starting at that point) start where the previous page stopped — and give exactly the
/// points a read from the top gives, with bad lines, appends and replaced files in between.
/// </summary>
public sealed class MetricPageResumeTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    /// <summary>Valid lines in MLflow's shapes (3 fields, 2 fields = step 0, 5 fields) with bad and blank lines among them.</summary>
    private static string Lines(int count, int seed)
    {
        var text = new StringBuilder();
        var random = new Random(seed);
        for (var i = 0; i < count; i++)
        {
            switch (random.Next(10))
            {
                case 0: text.Append("not a point\n"); break;
                case 1: text.Append('\n'); break;
                case 2: text.Append(1700000000000 + i).Append(' ').Append(i * 0.5).Append('\n'); break;
                case 3: text.Append(1700000000000 + i).Append(" nan ").Append(i).Append(" train abc123\n"); break;
                default: text.Append(1700000000000 + i).Append(' ').Append(i / 7.0).Append(' ').Append(i).Append('\n'); break;
            }
        }
        return text.ToString();
    }

    private static List<Metric> Pages(string path, int size)
    {
        var all = new List<Metric>();
        for (var offset = 0; ; offset += size)
        {
            var page = MetricFile.ReadHistory(path, "m", null, offset, size + 1);
            all.AddRange(page.Take(size));
            if (page.Count <= size) return all;
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(7)]
    [InlineData(250)]
    public void PagesReadInTurn_EqualTheWholeHistory_AndEachStartsWhereThePreviousStopped(int size)
    {
        var path = _temp.Combine("m");
        File.WriteAllText(path, Lines(2_000, size));
        var whole = MetricFile.ReadHistory(path, "m", null).ToList();

        Assert.Equal(whole, Pages(path, size));
        // The first page left the place of the second behind (so the feature is in use, not only correct).
        var first = MetricFile.ReadHistory(path, "m", null, 0, size + 1);
        var resume = MetricReadResume.Find(path, new FileInfo(path).Length, File.GetLastWriteTimeUtc(path), size);
        Assert.NotNull(resume);
        Assert.Equal(size, resume.Points);
        Assert.Equal(whole.Skip(size).Take(size + 1), MetricFile.ReadHistory(path, "m", null, size, size + 1));
        Assert.Equal(first.ToList(), whole.Take(size + 1));
    }

    [Fact]
    public void AnAppendOrAReplacedFileBetweenPages_IsReadFromTheTop()
    {
        var path = _temp.Combine("m");
        File.WriteAllText(path, Lines(500, 1));
        MetricFile.ReadHistory(path, "m", null, 0, 11);
        File.AppendAllText(path, "1800000000000 42.0 9999\n");
        Assert.Equal(MetricFile.ReadHistory(path, "m", null).Skip(10).ToList(), MetricFile.ReadHistory(path, "m", null, 10, int.MaxValue - 1).ToList());

        // Replaced by another history (a new file in its place, as an atomic rewrite makes it): its points, not a mix.
        MetricFile.ReadHistory(path, "m", null, 0, 11);
        var replacement = _temp.Combine("m.new");
        File.WriteAllText(replacement, Lines(500, 2));
        File.Move(replacement, path, overwrite: true);
        var fresh = MetricFile.ReadHistory(path, "m", null).ToList();
        Assert.Equal(fresh.Skip(10).Take(11), MetricFile.ReadHistory(path, "m", null, 10, 11));
    }

    [Fact]
    public void BadLinesBeforeAResumedPage_AreReportedOnce_WithTheirLineNumbers()
    {
        var path = _temp.Combine("m");
        File.WriteAllText(path, "1 1.0 0\nbad\n2 2.0 1\n3 3.0 2\nworse\n4 4.0 3\n");
        var bad = new List<int>();
        var firstPage = MetricFile.ReadHistory(path, "m", (line, _) => bad.Add(line), 0, 3);
        var secondPage = MetricFile.ReadHistory(path, "m", (line, _) => bad.Add(line), 2, 3);
        Assert.Equal([1.0, 2.0, 3.0], firstPage.Select(p => p.Value));
        Assert.Equal([3.0, 4.0], secondPage.Select(p => p.Value));
        Assert.Equal([2, 5], bad);
    }
}
