using System;
using System.Globalization;

namespace Qlib.Tracked.Analyzers
{
    /// <summary>
    /// MLflow's key and artifact-path rules at compile time. Must agree exactly with the runtime's
    /// <c>Qlib.Tracked.Validation.MlflowValidation.ValidateKey</c> and <c>ArtifactPath.NormalizeFile</c>
    /// (a test compares them on a corpus).
    /// </summary>
    internal static class MlflowNameRules
    {
        public const int MaxKeyLength = 250;

        /// <summary>Why <paramref name="key"/> is not a valid metric/param/tag key, or null when it is.</summary>
        public static string? KeyProblem(string key)
        {
            if (!HasValidKeyCharacters(key, out var bad))
                return "names may only contain alphanumerics, underscores (_), dashes (-), periods (.), spaces ( ), colon(:) and slashes (/), not '" + bad + "'";
            if (!IsSafeRelativePath(key))
                return key.Length == 0
                    ? "it is empty"
                    : "names are used as file paths and must not start with '/' or '..' or contain an empty, '.' or '..' segment";
            if (CodePointLength(key) > MaxKeyLength)
                return "it is " + CodePointLength(key).ToString(CultureInfo.InvariantCulture) + " characters long; the limit is " + MaxKeyLength.ToString(CultureInfo.InvariantCulture);
            return null;
        }

        /// <summary>Python's <c>^[/\w.\- :]*$</c>: ASCII letters/digits and <c>_ / . - space :</c>, or any Unicode letter or number.</summary>
        public static bool HasValidKeyCharacters(string key, out string bad)
        {
            for (var i = 0; i < key.Length; i++)
            {
                var c = key[i];
                if (c < 128)
                {
                    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '/' || c == '.' || c == '-' || c == ' ' || c == ':') continue;
                    bad = c.ToString();
                    return false;
                }
                var pair = char.IsHighSurrogate(c) && i + 1 < key.Length && char.IsLowSurrogate(key[i + 1]);
                if (char.IsSurrogate(c) && !pair)
                {
                    bad = "\\u" + ((int)c).ToString("X4", CultureInfo.InvariantCulture);
                    return false;
                }
                switch (CharUnicodeInfo.GetUnicodeCategory(key, i))
                {
                    case UnicodeCategory.UppercaseLetter:
                    case UnicodeCategory.LowercaseLetter:
                    case UnicodeCategory.TitlecaseLetter:
                    case UnicodeCategory.ModifierLetter:
                    case UnicodeCategory.OtherLetter:
                    case UnicodeCategory.DecimalDigitNumber:
                    case UnicodeCategory.LetterNumber:
                    case UnicodeCategory.OtherNumber:
                        if (pair) i++;
                        continue;
                    default:
                        bad = pair ? key.Substring(i, 2) : c.ToString();
                        return false;
                }
            }
            bad = "";
            return true;
        }

        /// <summary>MLflow's path rule: non-empty, no leading <c>/</c> or <c>..</c>, no empty, <c>.</c> or <c>..</c> segment.</summary>
        public static bool IsSafeRelativePath(string key) => global::Qlib.Tracked.Validation.KeyPathRule.IsSafeRelativePath(key);

        public static int CodePointLength(string text)
        {
            var surrogates = 0;
            foreach (var c in text) if (char.IsLowSurrogate(c)) surrogates++;
            return text.Length - surrogates;
        }

        /// <summary>
        /// Why <paramref name="path"/> is not an artifact file path the runtime accepts (<c>ArtifactPath.NormalizeFile</c>
        /// on a POSIX host), or null. <paramref name="normalized"/> is the path with empty and <c>.</c> segments dropped
        /// and <c>..</c> applied.
        /// </summary>
        public static string? ArtifactPathProblem(string path, out string normalized)
        {
            normalized = "";
            if (path.Length == 0) return "it is empty";
            if (path.IndexOf('\\') >= 0) return "it must use '/' as its separator and must not contain '\\'";
            if (path.IndexOf('\0') >= 0) return "it must not contain a NUL character";
            if (path[0] == '/') return "it must be relative to the artifact root, not absolute";
            var segments = new System.Collections.Generic.List<string>();
            foreach (var segment in path.Split('/'))
            {
                if (segment.Length == 0 || segment == ".") continue;
                if (segment == "..")
                {
                    if (segments.Count == 0) return "it must not leave the artifact root with '..'";
                    segments.RemoveAt(segments.Count - 1);
                    continue;
                }
                segments.Add(segment);
            }
            if (segments.Count == 0) return "it must name an artifact below the root, not the root itself";
            normalized = string.Join("/", segments);
            return null;
        }
    }
}
