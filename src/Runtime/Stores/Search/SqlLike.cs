namespace Qlib.Tracked.Stores.Search;

/// <summary>
/// SQL LIKE: <c>%</c> matches any run of characters (newlines included), <c>_</c> exactly one character,
/// every other character itself, anchored at both ends; ILIKE folds case per character (invariant culture).
/// </summary>
/// <remarks>
/// MLflow's FILE store differs: it turns the pattern into a regex by replacing <c>_</c> with <c>.</c> and
/// <c>%</c> with <c>.*</c> without escaping anything else and matches without DOTALL, so there <c>.</c> or
/// <c>*</c> in a pattern act as regex metacharacters and <c>%</c> does not cross a newline (reference §3.1
/// #24, #24b). MLflow's SQL store, and this store, use the SQL meaning. No allocation per match.
/// </remarks>
internal static class SqlLike
{
    public static bool IsMatch(string text, string pattern, bool ignoreCase)
    {
        // Greedy matching that backtracks only to the last '%': linear for patterns with one '%', and at
        // worst O(text × pattern) — never exponential.
        int t = 0, p = 0, starP = -1, starT = 0;
        while (t < text.Length)
        {
            if (p < pattern.Length && pattern[p] != '%' && (pattern[p] == '_' || Same(pattern[p], text[t], ignoreCase)))
            {
                t++;
                p++;
            }
            else if (p < pattern.Length && pattern[p] == '%')
            {
                starP = p++;
                starT = t;
            }
            else if (starP >= 0)
            {
                p = starP + 1;
                t = ++starT;
            }
            else
            {
                return false;
            }
        }
        while (p < pattern.Length && pattern[p] == '%') p++;
        return p == pattern.Length;
    }

    private static bool Same(char a, char b, bool ignoreCase) =>
        a == b || (ignoreCase && char.ToLowerInvariant(a) == char.ToLowerInvariant(b));
}
