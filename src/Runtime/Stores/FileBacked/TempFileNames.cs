namespace Qlib.Tracked.Stores.FileBacked;

/// <summary>
/// The names of the temp files <see cref="AtomicReplace"/> makes next to their target before renaming it into place,
/// so that leftovers of a writer killed between the two can be told from everything else in a store.
/// </summary>
internal static class TempFileNames
{
    private const int IdLength = 32; // Guid "N"

    /// <summary>
    /// Artifact writes before issue 17 named their temp files <c>.qlib-tmp-&lt;32 hex&gt;-&lt;target&gt;</c>; such leftovers
    /// are still hidden from listings and removed by gc. Nothing writes this name any more.
    /// </summary>
    private const string LegacyArtifactPrefix = ".qlib-tmp-";

    /// <summary>
    /// <c>.&lt;target&gt;.&lt;32 hex&gt;.tmp</c>, the one name every atomic replace writes (meta.yaml rewrites, the run index's
    /// save, artifacts, exports). Hidden, so neither MLflow (which only lists folders as runs and experiments) nor a
    /// listing trips on it.
    /// </summary>
    public static string ForReplace(string targetPath) =>
        Path.Combine(Path.GetDirectoryName(targetPath)!, "." + Path.GetFileName(targetPath) + "." + NextId() + ".tmp");

    // A random half chosen once per process and a counter: unique names without reading the kernel's random source per
    // name (a Guid costs a system call here, and every run end makes one of these names). Writers create the temp file
    // exclusively, so even a collision of two processes' random halves could only fail a write, never mix two files.
    private static readonly ulong ProcessPart = BitConverter.ToUInt64(System.Security.Cryptography.RandomNumberGenerator.GetBytes(8));
    private static long s_counter;

    private static string NextId() =>
        string.Create(IdLength, (ProcessPart, (ulong)Interlocked.Increment(ref s_counter)), static (chars, parts) =>
        {
            parts.Item1.TryFormat(chars, out _, "x16", System.Globalization.CultureInfo.InvariantCulture);
            parts.Item2.TryFormat(chars[16..], out _, "x16", System.Globalization.CultureInfo.InvariantCulture);
        });

    /// <summary>True for a name <see cref="ForReplace"/> makes.</summary>
    public static bool IsReplaceTemp(string name)
    {
        const string Suffix = ".tmp";
        if (name.Length < 1 + 1 + 1 + IdLength + Suffix.Length || name[0] != '.' || !name.EndsWith(Suffix, StringComparison.Ordinal)) return false;
        var beforeSuffix = name.AsSpan()[..^Suffix.Length];
        return beforeSuffix[^(IdLength + 1)] == '.' && IsHexId(beforeSuffix[^IdLength..]);
    }

    /// <summary>True for a temp file an artifact write may have left: <see cref="ForReplace"/>'s name, or the older one.</summary>
    public static bool IsArtifactTemp(string name) =>
        IsReplaceTemp(name)
        || (name.StartsWith(LegacyArtifactPrefix, StringComparison.Ordinal)
            && name.Length > LegacyArtifactPrefix.Length + IdLength
            && IsHexId(name.AsSpan(LegacyArtifactPrefix.Length, IdLength))
            && name[LegacyArtifactPrefix.Length + IdLength] == '-');

    private static bool IsHexId(ReadOnlySpan<char> id)
    {
        foreach (var c in id)
        {
            if (!char.IsAsciiHexDigitLower(c) && !char.IsAsciiDigit(c)) return false;
        }
        return id.Length == IdLength;
    }
}
