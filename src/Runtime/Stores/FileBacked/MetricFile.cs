using System.Buffers;
using System.Buffers.Text;
using System.Collections.Concurrent;
using System.Runtime.Versioning;
using Microsoft.Win32.SafeHandles;
using Qlib.Tracked.Entities;
using Qlib.Tracked.Formats;
using Qlib.Tracked.Formats.Python;

namespace Qlib.Tracked.Stores.FileBacked;

/// <summary>
/// One metric's append-only file: lines <c>&lt;timestamp&gt; &lt;value&gt; &lt;step&gt;\n</c> with the
/// value spelled as Python's <c>str(float)</c> (reference §1.3).
/// </summary>
internal static class MetricFile
{
    /// <summary>Longest line: two 20-char longs, a 24-char float, two spaces and a newline.</summary>
    public const int MaxLineLength = 20 + 1 + PythonFloat.MaxLength + 1 + 20 + 1;

    // Without O_APPEND (see LinuxAppend), "read the length, write there" must not interleave between
    // threads or store instances of this process: portable appends to one file are serialized by a
    // process-wide lock stripe chosen by path, and between processes by the writers' lock below.
    private static readonly Lock[] AppendStripes = [.. Enumerable.Range(0, 64).Select(_ => new Lock())];

    /// <summary>
    /// The byte of every metric file that our writers lock (exclusively) while they check the file's end and
    /// append: far past any data, so the lock never blocks reading or writing lines (on Windows region locks are
    /// mandatory), and the same byte on both paths, so O_APPEND and portable writers exclude each other too.
    /// </summary>
    public const long WriterLockOffset = long.MaxValue - 1;

    /// <summary>How long a portable append waits for another writer's lock before it fails.</summary>
    private static readonly TimeSpan PortableLockWait = TimeSpan.FromSeconds(10);


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

    // Lengths this process last left metric files at: a guess that lets LinuxAppend check "the file still ends
    // where we left it, with '\n'" with one pread instead of lseek + pread. Verified on the disk every time;
    // bounded (cleared when full) so a stream of new files cannot grow it without limit.
    private static readonly ConcurrentDictionary<string, long> KnownLengths = new(StringComparer.Ordinal);
    private const int KnownLengthsCapacity = 4096;

    /// <summary>
    /// Appends whole lines with ONE write, so a concurrent reader sees all of them or none. Byte 0 of
    /// <paramref name="lines"/> is reserved: when the file does not end with '\n' (a line torn by a crash)
    /// it becomes a '\n' so the new lines are not glued to the fragment.
    /// </summary>
    /// <param name="path">The metric file (created, with its folder, when missing).</param>
    /// <param name="lines">Byte 0 free, then the lines.</param>
    public static void AppendLines(string path, Span<byte> lines)
    {
        if (LinuxAppend.IsSupported)
        {
            KnownLengths.TryGetValue(path, out var expected);
            if (!LinuxAppend.TryAppend(path, lines, expected, out var newLength))
            {
                // '/' in a key is a sub-folder, created on first use.
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                if (!LinuxAppend.TryAppend(path, lines, 0, out newLength))
                    throw new DirectoryNotFoundException($"The metric folder of '{path}' disappeared while appending.");
            }
            if (KnownLengths.Count >= KnownLengthsCapacity) KnownLengths.Clear();
            KnownLengths[path] = newLength;
            return;
        }
        AppendPortable(path, lines);
    }

    /// <summary>
    /// Where O_APPEND is not reachable: under the writers' lock, read the length and write there; the last byte
    /// that is not '\n' goes through the same <see cref="TornLineCheck"/> as on Linux.
    /// </summary>
    /// <remarks>
    /// A writer that takes no lock and appends at the same moment (MLflow's <c>open(path, "a")</c>) can land on
    /// the same offset and be overwritten; only the O_APPEND path is safe with those. Where .NET has no region
    /// locks (macOS) the stripe still serializes this process's appends, but not other processes'.
    /// </remarks>
    private static void AppendPortable(string path, Span<byte> lines)
    {
        SafeFileHandle handle;
        try
        {
            handle = File.OpenHandle(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete);
        }
        catch (DirectoryNotFoundException)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            handle = File.OpenHandle(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete);
        }
        using var stream = new FileStream(handle, FileAccess.ReadWrite, bufferSize: 0); // owns the handle: region locks need a FileStream
        lock (AppendStripes[(path.GetHashCode() & int.MaxValue) % AppendStripes.Length])
        {
            var locked = RegionLocksWork && LockPortable(stream, path);
            try
            {
                var (end, last) = PortableEnd(handle);
                var start = end > 0 && last != (byte)'\n' && TornLineCheck.StaysTorn(ref end, last, handle, static handle => PortableEnd(handle)) ? 0 : 1;
                if (start == 0) lines[0] = (byte)'\n';
                RandomAccess.Write(handle, lines[start..], end);
            }
            finally
            {
                if (locked && RegionLocksWork) stream.Unlock(WriterLockOffset, 1);
            }
        }
    }

    /// <summary>The file's length and last byte (length 0: empty or truncated meanwhile).</summary>
    private static (long End, byte Last) PortableEnd(SafeFileHandle handle)
    {
        var end = RandomAccess.GetLength(handle);
        Span<byte> last = stackalloc byte[1];
        return end > 0 && RandomAccess.Read(handle, last, end - 1) == 1 ? (end, last[0]) : (0, (byte)0);
    }

    /// <summary>Whether .NET has file region locks here (not on Apple systems).</summary>
    [UnsupportedOSPlatformGuard("macos")]
    [UnsupportedOSPlatformGuard("ios")]
    [UnsupportedOSPlatformGuard("tvos")]
    private static bool RegionLocksWork => !(OperatingSystem.IsMacOS() || OperatingSystem.IsIOS() || OperatingSystem.IsTvOS());

    /// <summary>
    /// Takes the writers' lock (<see cref="WriterLockOffset"/>). .NET's region lock does not wait, so this retries
    /// while another writer holds it (one check and one write) for up to <see cref="PortableLockWait"/>.
    /// </summary>
    [UnsupportedOSPlatform("macos")]
    [UnsupportedOSPlatform("ios")]
    [UnsupportedOSPlatform("tvos")]
    private static bool LockPortable(FileStream stream, string path)
    {
        var deadline = Environment.TickCount64 + (long)PortableLockWait.TotalMilliseconds;
        var spin = new SpinWait();
        while (true)
        {
            try
            {
                stream.Lock(WriterLockOffset, 1);
                return true;
            }
            catch (IOException) when (Environment.TickCount64 < deadline)
            {
                spin.SpinOnce();
            }
            catch (IOException e)
            {
                throw new IOException(
                    $"Could not append to the metric file '{path}': its writers' lock stayed taken for {PortableLockWait.TotalSeconds:0} s " +
                    $"(another process appending without end, or a lock that cannot be taken here: {e.Message}).", e);
            }
        }
    }

    /// <summary>
    /// Reads every point in file order. Lines with 2 fields (step 0), 3 fields, or 5 fields (3.x
    /// dataset columns) are accepted; anything else, or a number that does not parse, is skipped
    /// and reported through <paramref name="onBadLine"/> (1-based line number, reason; line 0 when the file as a whole
    /// is refused — a pipe or device in its place).
    /// </summary>
    public static MetricPoints ReadHistory(string path, string key, Action<int, string>? onBadLine) =>
        ReadHistory(path, key, onBadLine, 0, int.MaxValue);

    /// <summary>
    /// The points [<paramref name="skip"/>, <paramref name="skip"/> + <paramref name="take"/>) of
    /// <see cref="ReadHistory(string, string, Action{int, string}?)"/>: the skipped points are parsed (a bad line must not
    /// count as one) but not kept, and reading stops at the page's last point, so a page near the start of a long file
    /// reads only that far.
    /// </summary>
    public static MetricPoints ReadHistory(string path, string key, Action<int, string>? onBadLine, int skip, int take)
    {
        if (Interop.LinuxStat.IsSpecialFile(path))
        {
            onBadLine?.Invoke(0, $"Metric '{key}' is unreadable; {AtomicFile.SpecialFileRefusal}");
            return new MetricPoints();
        }
        SafeFileHandle handle;
        try
        {
            handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        }
        catch (FileNotFoundException) { return new MetricPoints(); }
        catch (DirectoryNotFoundException) { return new MetricPoints(); }

        // The file is read in chunks into a pooled buffer rather than as one new array: a fresh multi-MB
        // array costs a page fault per 4 KiB, which on some VMs is most of the read time. Only the bytes
        // present when the file was opened are read (as File.ReadAllBytes would), so a concurrent append
        // cannot leave a half-read line that was complete on disk.
        using (handle)
        {
            var length = RandomAccess.GetLength(handle);
            // A ranged read (a page) may start where the previous page of this very file stopped (MetricReadResume).
            var ranged = skip > 0 || take < int.MaxValue;
            var writeTime = ranged ? File.GetLastWriteTimeUtc(handle) : default;
            var resume = skip > 0 ? MetricReadResume.Find(path, length, writeTime, skip) : null;
            long offset = resume?.Offset ?? 0;
            var remaining = length - offset;
            var buffer = ArrayPool<byte>.Shared.Rent((int)Math.Clamp(remaining, 1, ChunkBytes));
            try
            {
                var reader = new HistoryParser(key, onBadLine, skip, take, resume?.Points ?? 0, resume?.Lines ?? 0);
                var filled = 0;
                var skippingOverlongLine = false;
                while (remaining > 0 && !reader.Full)
                {
                    if (filled == buffer.Length)
                    {
                        // A whole chunk without a line end: no writer makes such a line (the longest MLflow writes is a
                        // few hundred bytes), so it is damage or hostility. Skip to its end instead of growing the buffer
                        // without bound.
                        reader.SkipOverlongLine();
                        skippingOverlongLine = true;
                        filled = 0;
                    }
                    var read = RandomAccess.Read(handle, buffer.AsSpan(filled, (int)Math.Min(buffer.Length - filled, remaining)), offset);
                    if (read <= 0) break; // truncated meanwhile
                    offset += read;
                    remaining -= read;
                    filled += read;
                    if (skippingOverlongLine)
                    {
                        var lineEnd = buffer.AsSpan(0, filled).IndexOf((byte)'\n');
                        if (lineEnd < 0)
                        {
                            filled = 0;
                            continue;
                        }
                        buffer.AsSpan(lineEnd + 1, filled - lineEnd - 1).CopyTo(buffer);
                        filled -= lineEnd + 1;
                        skippingOverlongLine = false;
                    }
                    var consumed = reader.ParseCompleteLines(buffer.AsSpan(0, filled), offset - filled);
                    buffer.AsSpan(consumed, filled - consumed).CopyTo(buffer);
                    filled -= consumed;
                }
                if (!reader.Full) reader.ParseLastLine(buffer.AsSpan(0, filled));
                else if (ranged && reader.NextPage is var (points, start, lines))
                    MetricReadResume.Remember(new(path, length, writeTime, points, start, lines));
                return reader.Result;
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
    }

    /// <summary>The read chunk, and so the longest line read (longer ones are reported and skipped).</summary>
    internal const int ChunkBytes = 256 * 1024;

    /// <summary>
    /// Parses metric lines chunk by chunk into one list, counting line numbers across chunks; keeps the points from the
    /// <paramref name="skip"/>-th and stops (<see cref="Full"/>) once it holds <paramref name="take"/>. A read resumed
    /// mid-file starts counting at <paramref name="startPoints"/> points and <paramref name="startLines"/> lines.
    /// </summary>
    private sealed class HistoryParser(string key, Action<int, string>? onBadLine, int skip, int take, int startPoints, int startLines)
    {
        private int _lineNumber = startLines;
        private int _points = startPoints;

        public MetricPoints Result { get; } = new();

        /// <summary>True once the range is complete: the rest of the file need not be read.</summary>
        public bool Full => Result.Count >= take;

        /// <summary>
        /// Where the range's last point starts — the first point of the next page, which a pager asks for one past its
        /// page to learn whether another follows: its number, byte offset and the lines before it. Null until read.
        /// </summary>
        public (int Points, long Offset, int Lines)? NextPage { get; private set; }

        /// <summary>
        /// Parses every '\n'-terminated line of <paramref name="chunk"/> (which starts at byte <paramref name="chunkOffset"/>
        /// of the file) until <see cref="Full"/>; returns the bytes consumed.
        /// </summary>
        public int ParseCompleteLines(ReadOnlySpan<byte> chunk, long chunkOffset)
        {
            var end = chunk.LastIndexOf((byte)'\n');
            if (end < 0) return 0;
            var lines = chunk[..(end + 1)];
            while (lines.Length > 0 && !Full)
            {
                var newline = lines.IndexOf((byte)'\n');
                Parse(lines[..newline], chunkOffset + (end + 1 - lines.Length));
                lines = lines[(newline + 1)..];
            }
            return end + 1 - lines.Length;
        }

        private void Keep(in Metric point, long lineOffset)
        {
            if (_points >= skip)
            {
                Result.Add(point);
                if (Full) NextPage = (_points, lineOffset, _lineNumber - 1);
            }
            _points++;
        }

        /// <summary>Counts and reports a line longer than a read chunk, which is skipped unread.</summary>
        public void SkipOverlongLine()
        {
            _lineNumber++;
            onBadLine?.Invoke(_lineNumber, $"Metric '{key}' is malformed; the line is longer than {ChunkBytes} bytes (skipped unread)");
        }

        /// <summary>
        /// The bytes after the last '\n': normally none. Otherwise another process's append still being copied, or a line
        /// cut off by a crash — either way not a point yet: "1700000000005 0." may be the start of 0.5, and "… 1" of step
        /// 12. It is reported and left out, never read as a value (every writer, ours and MLflow's, ends each line with '\n').
        /// </summary>
        public void ParseLastLine(ReadOnlySpan<byte> rest)
        {
            if (rest.Trim(" \t\r"u8).IsEmpty) return;
            _lineNumber++;
            onBadLine?.Invoke(_lineNumber,
                $"Metric '{key}' is malformed; the last line has no trailing newline (a write in progress, or torn by a crash): not read as a point");
        }

        private void Parse(ReadOnlySpan<byte> line, long lineOffset)
        {
            _lineNumber++;
            if (TryParseCanonicalLine(line, out var timestamp, out var value, out var step))
            {
                Keep(new Metric(key, value, timestamp, step), lineOffset);
                return;
            }
            // Anything else (2 or 5 fields, CR/LF, padding, bad numbers) takes the general path.
            if (line.Trim(" \t\r"u8).IsEmpty) return;
            if (TryParseLine(line, key, out var metric, out var reason)) Keep(metric, lineOffset);
            else onBadLine?.Invoke(_lineNumber, reason);
        }
    }

    /// <summary>
    /// The fast path for the line shape MLflow and this store write, <c>&lt;ts&gt; &lt;value&gt; &lt;step&gt;</c>
    /// with plain integers; false sends the line to <see cref="TryParseLine"/>, which decides.
    /// </summary>
    private static bool TryParseCanonicalLine(ReadOnlySpan<byte> line, out long timestamp, out double value, out long step)
    {
        value = 0;
        step = 0;
        var pos = 0;
        if (!TryParseInteger(line, ref pos, out timestamp) || pos >= line.Length || line[pos] != (byte)' ') return false;
        var valueStart = pos + 1;
        var valueLength = line[valueStart..].IndexOf((byte)' ');
        if (valueLength <= 0) return false;
        pos = valueStart + valueLength + 1;
        if (!TryParseInteger(line, ref pos, out step) || pos != line.Length) return false;
        return TryParseValue(line.Slice(valueStart, valueLength), out value);
    }

    /// <summary>An optional '-' and 1–18 digits at <paramref name="pos"/> (longer numbers take the general path).</summary>
    private static bool TryParseInteger(ReadOnlySpan<byte> text, ref int pos, out long result)
    {
        result = 0;
        var i = pos;
        var negative = i < text.Length && text[i] == (byte)'-';
        if (negative) i++;
        var start = i;
        ulong magnitude = 0;
        while (i < text.Length)
        {
            var digit = (uint)(text[i] - '0');
            if (digit > 9) break;
            magnitude = (magnitude * 10) + digit;
            i++;
        }
        var digits = i - start;
        if (digits is 0 or > 18) return false;
        result = negative ? -(long)magnitude : (long)magnitude;
        pos = i;
        return true;
    }

    /// <summary>MLflow's latest value: the point with the highest (step, timestamp, value), first one on ties.</summary>
    public static Metric? Latest(MetricPoints history)
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
        // Exact fast path for short decimals, then Utf8Parser for the common decimal/scientific
        // spellings; Python's nan/inf spellings and anything unusual go through the full parser.
        if (TryParseShortDecimal(text, out value)) return true;
        if (Utf8Parser.TryParse(text, out value, out var used) && used == text.Length) return true;
        return PythonFloat.TryParse(text, out value);
    }

    private static readonly double[] PowersOfTen =
    [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    ];

    /// <summary>
    /// <c>-?d+(.d+)?(e[+-]?d+)?</c> whose significand fits in 53 bits and whose decimal exponent is within
    /// ±22: then significand and power of ten are both exact doubles and one IEEE multiply or divide
    /// rounds correctly (Clinger's fast path), giving the same double as a full parser. Else false.
    /// </summary>
    private static bool TryParseShortDecimal(ReadOnlySpan<byte> text, out double value)
    {
        value = 0;
        var i = 0;
        var negative = text.Length > 0 && text[0] == (byte)'-';
        if (negative) i++;
        ulong significand = 0;
        var significantDigits = 0;
        var exponent = 0;
        var integerStart = i;
        while (i < text.Length)
        {
            var digit = (uint)(text[i] - '0');
            if (digit > 9) break;
            if (significand != 0 || digit != 0) significantDigits++;
            significand = (significand * 10) + digit;
            i++;
        }
        if (i == integerStart) return false;
        if (i < text.Length && text[i] == (byte)'.')
        {
            i++;
            var fractionStart = i;
            while (i < text.Length)
            {
                var digit = (uint)(text[i] - '0');
                if (digit > 9) break;
                if (significand != 0 || digit != 0) significantDigits++;
                significand = (significand * 10) + digit;
                exponent--;
                i++;
            }
            if (i == fractionStart) return false;
        }
        if (significantDigits > 16) return false; // (also guarantees the ulong did not overflow)
        if (i < text.Length && (text[i] | 0x20) == (byte)'e')
        {
            i++;
            var negativeExponent = false;
            if (i < text.Length && text[i] is (byte)'+' or (byte)'-')
            {
                negativeExponent = text[i] == (byte)'-';
                i++;
            }
            var exponentStart = i;
            var explicitExponent = 0;
            while (i < text.Length && i - exponentStart < 4)
            {
                var digit = (uint)(text[i] - '0');
                if (digit > 9) break;
                explicitExponent = (explicitExponent * 10) + (int)digit;
                i++;
            }
            if (i == exponentStart) return false;
            exponent += negativeExponent ? -explicitExponent : explicitExponent;
        }
        if (i != text.Length || significand > (1UL << 53) || exponent is < -22 or > 22) return false;
        double magnitude = significand;
        magnitude = exponent < 0 ? magnitude / PowersOfTen[-exponent] : magnitude * PowersOfTen[exponent];
        value = negative ? -magnitude : magnitude;
        return true;
    }
}
