using System.Buffers.Text;
using Microsoft.Win32.SafeHandles;
using Qlib.Tracked.Entities;
using Qlib.Tracked.Formats;

namespace Qlib.Tracked.Stores.FileBacked;

/// <summary>
/// One metric's append-only file: lines <c>&lt;timestamp&gt; &lt;value&gt; &lt;step&gt;\n</c> with the
/// value spelled as Python's <c>str(float)</c> (reference §1.3).
/// </summary>
internal static class MetricFile
{
    /// <summary>Longest line: two 20-char longs, a 24-char float, two spaces and a newline.</summary>
    public const int MaxLineLength = 20 + 1 + PythonFloat.MaxLength + 1 + 20 + 1;

    // .NET opens files without O_APPEND (FileMode.Append only seeks), so "read the length, write
    // there" must not interleave between threads or store instances of this process: appends to
    // one file are serialized by a process-wide lock stripe chosen by path.
    private static readonly Lock[] AppendStripes = [.. Enumerable.Range(0, 64).Select(_ => new Lock())];

    /// <summary>Writes one line into <paramref name="destination"/> and returns its length.</summary>
    public static int FormatLine(in Metric metric, Span<byte> destination)
    {
        Utf8Formatter.TryFormat(metric.Timestamp, destination, out var written);
        destination[written++] = (byte)' ';
        written += PythonFloat.FormatUtf8(metric.Value, destination[written..]);
        destination[written++] = (byte)' ';
        Utf8Formatter.TryFormat(metric.Step, destination[written..], out var stepLength);
        written += stepLength;
        destination[written++] = (byte)'\n';
        return written;
    }

    /// <summary>
    /// Appends whole lines with ONE write, so a concurrent reader sees all of them or none. The
    /// buffer's byte 0 is reserved: when the file does not end with '\n' (a line torn by a crash)
    /// it becomes a '\n' so the new lines are not glued to the fragment.
    /// </summary>
    /// <param name="path">The metric file (created, with its folder, when missing).</param>
    /// <param name="buffer">Byte 0 is free; the lines are at <c>[1, 1 + length)</c>.</param>
    /// <param name="length">Bytes of lines in the buffer.</param>
    public static void AppendLines(string path, byte[] buffer, int length)
    {
        SafeFileHandle handle;
        try
        {
            handle = File.OpenHandle(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete);
        }
        catch (DirectoryNotFoundException)
        {
            // '/' in a key is a sub-folder, created on first use.
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            handle = File.OpenHandle(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete);
        }
        using (handle)
        lock (AppendStripes[(path.GetHashCode() & int.MaxValue) % AppendStripes.Length])
        {
            var fileLength = RandomAccess.GetLength(handle);
            var start = 1;
            if (fileLength > 0)
            {
                Span<byte> last = stackalloc byte[1];
                if (RandomAccess.Read(handle, last, fileLength - 1) == 1 && last[0] != (byte)'\n')
                {
                    buffer[0] = (byte)'\n';
                    start = 0;
                }
            }
            RandomAccess.Write(handle, buffer.AsSpan(start, length + 1 - start), fileLength);
        }
    }

    /// <summary>
    /// Reads every point in file order. Lines with 2 fields (step 0), 3 fields, or 5 fields (3.x
    /// dataset columns) are accepted; anything else, or a number that does not parse, is skipped
    /// and reported through <paramref name="onBadLine"/> (1-based line number, reason).
    /// </summary>
    public static List<Metric> ReadHistory(string path, string key, Action<int, string>? onBadLine)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (FileNotFoundException) { return []; }
        catch (DirectoryNotFoundException) { return []; }

        var result = new List<Metric>(EstimateLines(bytes.Length));
        ReadOnlySpan<byte> rest = bytes;
        var lineNumber = 0;
        while (rest.Length > 0)
        {
            lineNumber++;
            var newline = rest.IndexOf((byte)'\n');
            var line = newline < 0 ? rest : rest[..newline];
            rest = newline < 0 ? default : rest[(newline + 1)..];
            if (line.Trim(" \t\r"u8).IsEmpty) continue;
            if (TryParseLine(line, key, out var metric, out var reason)) result.Add(metric);
            else onBadLine?.Invoke(lineNumber, newline < 0 ? reason + " (last line, no trailing newline: torn write?)" : reason);
        }
        return result;
    }

    /// <summary>MLflow's latest value: the point with the highest (step, timestamp, value), first one on ties.</summary>
    public static Metric? Latest(List<Metric> history)
    {
        if (history.Count == 0) return null;
        var best = history[0];
        for (var i = 1; i < history.Count; i++)
        {
            if (history[i].IsLaterThan(best)) best = history[i];
        }
        return best;
    }

    private static bool TryParseLine(ReadOnlySpan<byte> line, string key, out Metric metric, out string reason)
    {
        metric = default;
        Span<Range> fields = stackalloc Range[6];
        line = line.Trim(" \t\r"u8);
        var count = SplitFields(line, fields);
        if (count is not (2 or 3 or 5))
        {
            reason = $"Metric '{key}' is malformed; line contained {Math.Min(count, 6)}{(count >= 6 ? "+" : "")} fields, expected 2, 3 or 5";
            return false;
        }
        if (!Utf8Parser.TryParse(line[fields[0]], out long timestamp, out var used) || used != line[fields[0]].Length)
        {
            reason = $"Metric '{key}' is malformed; timestamp does not parse";
            return false;
        }
        if (!TryParseValue(line[fields[1]], out var value))
        {
            reason = $"Metric '{key}' is malformed; value does not parse";
            return false;
        }
        long step = 0;
        if (count >= 3 && (!Utf8Parser.TryParse(line[fields[2]], out step, out used) || used != line[fields[2]].Length))
        {
            reason = $"Metric '{key}' is malformed; step does not parse";
            return false;
        }
        metric = new Metric(key, value, timestamp, step);
        reason = "";
        return true;
    }

    /// <summary>Splits on single spaces like Python's <c>split(" ")</c>; returns the field count (capped at 6).</summary>
    private static int SplitFields(ReadOnlySpan<byte> line, Span<Range> fields)
    {
        var count = 0;
        var start = 0;
        for (var i = 0; i <= line.Length && count < fields.Length; i++)
        {
            if (i < line.Length && line[i] != (byte)' ') continue;
            fields[count++] = new Range(start, i);
            start = i + 1;
        }
        return count;
    }

    private static bool TryParseValue(ReadOnlySpan<byte> text, out double value)
    {
        // Utf8Parser is the fast path for the common decimal/scientific spellings; Python's
        // nan/inf spellings and anything unusual go through the full parser.
        if (Utf8Parser.TryParse(text, out value, out var used) && used == text.Length) return true;
        return PythonFloat.TryParse(text, out value);
    }

    private static int EstimateLines(int bytes) => Math.Clamp(bytes / 28, 4, 1 << 22);
}
