using System.Text;

namespace Qlib.Tracked.Stores.FileBacked;

/// <summary>
/// Whole-file writes that readers never see half-done: the text goes to a temp file in the same
/// folder, then replaces the target with one rename (MLflow's <c>overwrite_yaml</c>; issue
/// mlflow#6339 lost metadata when an in-place overwrite failed).
/// </summary>
internal static class AtomicFile
{
    private static readonly UTF8Encoding Utf8NoBom = new(encoderShouldEmitUTF8Identifier: false);

    public static void WriteAllText(string path, string text)
    {
        var folder = Path.GetDirectoryName(path)!;
        var temp = Path.Combine(folder, "." + Path.GetFileName(path) + "." + Guid.NewGuid().ToString("N") + ".tmp");
        try
        {
            var bytes = Utf8NoBom.GetBytes(text);
            if (LinuxWrite.IsSupported)
            {
                if (!LinuxWrite.TryWriteAll(temp, bytes, createNew: true))
                    throw new DirectoryNotFoundException($"Could not find a part of the path '{temp}'.");
                LinuxWrite.Replace(temp, path);
                return;
            }
            File.WriteAllBytes(temp, bytes);
            File.Move(temp, path, overwrite: true);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
    }

    /// <summary>
    /// Reads a small text file, retrying briefly when it is empty: a writer that does not replace
    /// atomically (older MLflow) truncates before writing (MLflow retries the same way).
    /// </summary>
    public static string? ReadTextWithRetry(string path)
    {
        for (var attempt = 0; ; attempt++)
        {
            string text;
            try
            {
                text = Utf8NoBom.GetString(File.ReadAllBytes(path));
            }
            catch (FileNotFoundException) { return null; }
            catch (DirectoryNotFoundException) { return null; }
            if (text.Length > 0 || attempt == 2) return text;
            Thread.Sleep(100 * (attempt + 1));
        }
    }

    /// <summary>The file's bytes as UTF-8 text exactly (no BOM stripping, no newline translation), as MLflow's <c>codecs.open</c>.</summary>
    public static string ReadExact(string path) => Utf8NoBom.GetString(File.ReadAllBytes(path));

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

    private static void TryDelete(string path)
    {
        try { File.Delete(path); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
