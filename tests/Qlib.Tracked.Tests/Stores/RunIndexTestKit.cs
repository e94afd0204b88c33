using System.Globalization;
using System.Text;
using Qlib.Tracked.Entities;
using Qlib.Tracked.Stores;

namespace Qlib.Tracked.Tests.Stores;

/// <summary>Helpers for the run index tests: a full-scan twin of a store, canonical run text, aging files.</summary>
internal static class RunIndexTestKit
{
    /// <summary>A second store over the same folder that reads every file on every query (the reference answer).</summary>
    public static FileStore FullScan(string root) => new(root, new FileStoreOptions { RunIndex = RunIndexMode.Off });

    /// <summary>One line per run with everything a search returns, so two result lists compare as strings.</summary>
    public static string Describe(IEnumerable<Run> runs)
    {
        var text = new StringBuilder();
        foreach (var run in runs)
        {
            var i = run.Info;
            text.Append(i.RunId).Append('|').Append(i.RunName).Append('|').Append(i.ExperimentId).Append('|').Append(i.UserId).Append('|')
                .Append(i.Status).Append('|').Append(i.StartTime).Append('|').Append(i.EndTime).Append('|').Append(i.LifecycleStage)
                .Append('|').Append(i.DeletedTime).Append('|').Append(i.ArtifactUri);
            foreach (var (k, m) in run.Data.Metrics.OrderBy(p => p.Key, StringComparer.Ordinal))
                text.Append("|m:").Append(k).Append('=').Append(m.Value.ToString("R", CultureInfo.InvariantCulture)).Append('@').Append(m.Step).Append('/').Append(m.Timestamp);
            foreach (var (k, v) in run.Data.Params.OrderBy(p => p.Key, StringComparer.Ordinal)) text.Append("|p:").Append(k).Append('=').Append(v);
            foreach (var (k, v) in run.Data.Tags.OrderBy(p => p.Key, StringComparer.Ordinal)) text.Append("|t:").Append(k).Append('=').Append(v);
            foreach (var input in run.Inputs) text.Append("|d:").Append(input.Dataset.Name).Append('/').Append(input.Dataset.Digest);
            text.Append('\n');
        }
        return text.ToString();
    }

    /// <summary>
    /// Moves every file and folder's write time an hour back, as if the store had been written long ago:
    /// otherwise every file would still be inside the index's settle window and be re-read anyway, and the
    /// tests would not exercise the stamp checks at all.
    /// </summary>
    public static void Age(string root)
    {
        var old = DateTime.UtcNow.AddHours(-1);
        foreach (var file in Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories)) File.SetLastWriteTimeUtc(file, old);
        foreach (var dir in Directory.EnumerateDirectories(root, "*", SearchOption.AllDirectories)) Directory.SetLastWriteTimeUtc(dir, old);
        Directory.SetLastWriteTimeUtc(root, old);
    }

    public static string IndexFile(string experimentFolder) => Path.Combine(experimentFolder, ".qtrk-run-index");

    /// <summary>The header (magic, length, hash) of an index file around another payload, as the writer would make it.</summary>
    public static byte[] WithPayload(byte[] template, byte[] payload)
    {
        var file = new byte[24 + payload.Length];
        template.AsSpan(0, 8).CopyTo(file);
        BitConverter.TryWriteBytes(file.AsSpan(8), (long)payload.Length);
        payload.CopyTo(file, 24);
        // A valid checksum over a bad payload: the store's own hash, so only the payload's content is wrong.
        BitConverter.TryWriteBytes(file.AsSpan(16), Qlib.Tracked.Stores.FileBacked.Index.RunIndexFile.Hash(payload));
        return file;
    }
}
