// Compiled into the runtime (MlflowValidation) and the analyzers (MlflowNameRules), so the compiler and the
// store reject exactly the same keys. Plain C# that builds for netstandard2.0 and net10.0.
namespace Qlib.Tracked.Validation
{
    internal static class KeyPathRule
    {
        /// <summary>
        /// MLflow's path rule: <c>posixpath.normpath(key) == key</c>, not <c>.</c>, not starting with
        /// <c>..</c> or <c>/</c>. Equivalent to: non-empty, no leading <c>/</c> or <c>..</c>, and no
        /// empty, <c>.</c> or <c>..</c> segment.
        /// </summary>
        public static bool IsSafeRelativePath(string key)
        {
            if (key.Length == 0 || key[0] == '/' || key.StartsWith("..", System.StringComparison.Ordinal)) return false;
            var segmentStart = 0;
            for (var i = 0; i <= key.Length; i++)
            {
                if (i < key.Length && key[i] != '/') continue;
                var length = i - segmentStart;
                if (length == 0) return false;
                if (length == 1 && key[segmentStart] == '.') return false;
                if (length == 2 && key[segmentStart] == '.' && key[segmentStart + 1] == '.') return false;
                segmentStart = i + 1;
            }
            return true;
        }
    }
}
