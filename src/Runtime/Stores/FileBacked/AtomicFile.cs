using System.Text;

namespace Qlib.Tracked.Stores.FileBacked;

/// <summary>
/// The store's small text files: meta.yaml rewrites that readers never see half-done (through <see cref="AtomicReplace"/>,
/// as MLflow's <c>overwrite_yaml</c>; issue mlflow#6339 lost metadata when an in-place overwrite failed), value files
/// written in place, and bounded reads of both.
/// </summary>
internal static class AtomicFile
{
    private static readonly UTF8Encoding Utf8NoBom = new(encoderShouldEmitUTF8Identifier: false);

    /// <summary>Replaces the file whole through <see cref="AtomicReplace"/> (UTF-8, no BOM).</summary>
    public static void WriteAllText(string path, string text) => AtomicReplace.WriteAllBytes(path, Utf8NoBom.GetBytes(text));

    /// <summary>As <see cref="WriteAllText"/>, for a file that does not exist yet (see <see cref="AtomicReplace.WriteAllBytes"/>).</summary>
    public static void WriteNewText(string path, string text) => AtomicReplace.WriteAllBytes(path, Utf8NoBom.GetBytes(text), targetIsNew: true);

    /// <summary>
    /// The most a <c>meta.yaml</c> is read with: far above what MLflow writes (a run's is under 1 KiB; an experiment's
    /// grows with its tags, each value at most 5000 characters), so only a damaged or hostile file is over it.
    /// </summary>
    public const int MaxMetaBytes = 16 << 20;

    /// <summary>
    /// The most a param or tag value file is read with: MLflow caps values at 8000 characters (32 KB of UTF-8), so only
    /// a damaged or hostile file is over it.
    /// </summary>
    public const int MaxValueBytes = 1 << 20;

    /// <summary>
    /// Reads a small text file, retrying briefly when it is empty: a writer that does not replace
    /// atomically (older MLflow) truncates before writing (MLflow retries the same way). Null when the file does not
    /// exist, or (with <paramref name="refused"/> saying why) when it is over <see cref="MaxMetaBytes"/> — checked
    /// before reading, so a huge file is never read into memory — or cannot be read at all (no permission, a folder).
    /// </summary>
    public static string? ReadTextWithRetry(string path, out string? refused)
    {
        for (var attempt = 0; ; attempt++)
        {
            if (!TryReadBounded(path, MaxMetaBytes, out var text, out refused)) return null;
            if (text!.Length > 0 || attempt == 2) return text;
            Thread.Sleep(100 * (attempt + 1));
        }
    }

    /// <summary>
    /// The file's bytes as UTF-8 text exactly (no BOM stripping, no newline translation), as MLflow's <c>codecs.open</c>;
    /// false when it does not exist, or (with <paramref name="refused"/> saying why) is over <paramref name="maxBytes"/>
    /// or cannot be read.
    /// </summary>
    public static bool TryReadExact(string path, int maxBytes, out string? text, out string? refused) =>
        TryReadBounded(path, maxBytes, out text, out refused);

    /// <summary>Why a FIFO, socket or device in place of a store file is not opened (a FIFO's open would wait for a writer forever).</summary>
    public const string SpecialFileRefusal = "it is not a regular file (a pipe, socket or device), which no store writer makes (not opened)";

    private static bool TryReadBounded(string path, int maxBytes, out string? text, out string? refused)
    {
        text = null;
        refused = null;
        if (Interop.LinuxStat.IsSpecialFile(path))
        {
            refused = SpecialFileRefusal;
            return false;
        }
        try
        {
            using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            var length = RandomAccess.GetLength(handle);
            if (length > maxBytes)
            {
                refused = $"it is {length} bytes, over the {maxBytes} bytes such a file may have (not read)";
                return false;
            }
            var bytes = new byte[length];
            var filled = 0;
            while (filled < bytes.Length)
            {
                var read = RandomAccess.Read(handle, bytes.AsSpan(filled), filled);
                if (read <= 0) break; // truncated meanwhile: what is there
                filled += read;
            }
            text = Utf8NoBom.GetString(bytes, 0, filled);
            return true;
        }
        catch (FileNotFoundException) { return false; }
        catch (DirectoryNotFoundException) { return false; }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            refused = $"it cannot be read: {e.Message}";
            return false;
        }
    }

    /// <summary>Writes a value file exactly (UTF-8, nothing added), creating parent folders for '/' keys.</summary>
    public static void WriteExact(string path, string value)
    {
        var bytes = Utf8NoBom.GetBytes(value);
        if (LinuxWrite.IsSupported)
        {
            if (LinuxWrite.TryWriteAll(path, bytes, createNew: false)) return;
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            if (!LinuxWrite.TryWriteAll(path, bytes, createNew: false))
                throw new DirectoryNotFoundException($"Could not find a part of the path '{path}'.");
            return;
        }
        try
        {
            File.WriteAllBytes(path, bytes);
        }
        catch (DirectoryNotFoundException)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllBytes(path, bytes);
        }
    }
}
