using Qlib.Tracked.Artifacts;

namespace Qlib.Tracked.Stores.FileBacked;

/// <summary>
/// The names of the temp files the store's atomic writers make next to their target before renaming it into place,
/// so that leftovers of a writer killed between the two can be told from everything else in a store.
/// </summary>
internal static class TempFileNames
{
    private const int IdLength = 32; // Guid "N"

    /// <summary>
    /// <c>.&lt;target&gt;.&lt;32 hex&gt;.tmp</c>: <see cref="AtomicFile.WriteAllText"/> (meta.yaml rewrites) and the run
    /// index's save. Hidden, so neither MLflow (which only lists folders as runs and experiments) nor a listing trips on it.
    /// </summary>
    public static string ForReplace(string targetPath) =>
        Path.Combine(Path.GetDirectoryName(targetPath)!, "." + Path.GetFileName(targetPath) + "." + Guid.NewGuid().ToString("N") + ".tmp");

    /// <summary>True for a name <see cref="ForReplace"/> makes.</summary>
    public static bool IsReplaceTemp(string name)
    {
        const string Suffix = ".tmp";
        if (name.Length < 1 + 1 + 1 + IdLength + Suffix.Length || name[0] != '.' || !name.EndsWith(Suffix, StringComparison.Ordinal)) return false;
        var beforeSuffix = name.AsSpan()[..^Suffix.Length];
        return beforeSuffix[^(IdLength + 1)] == '.' && IsHexId(beforeSuffix[^IdLength..]);
    }

    /// <summary>True for an artifact write's temp file, <c>.qlib-tmp-&lt;32 hex&gt;-&lt;target&gt;</c> (<see cref="AtomicWriteStream"/>).</summary>
    public static bool IsArtifactTemp(string name) =>
        name.StartsWith(AtomicWriteStream.TempPrefix, StringComparison.Ordinal)
        && name.Length > AtomicWriteStream.TempPrefix.Length + IdLength
        && IsHexId(name.AsSpan(AtomicWriteStream.TempPrefix.Length, IdLength))
        && name[AtomicWriteStream.TempPrefix.Length + IdLength] == '-';

    private static bool IsHexId(ReadOnlySpan<char> id)
    {
        foreach (var c in id)
        {
            if (!char.IsAsciiHexDigitLower(c) && !char.IsAsciiDigit(c)) return false;
        }
        return id.Length == IdLength;
    }
}
