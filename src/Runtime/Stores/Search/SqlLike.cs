namespace Qlib.Tracked.Stores.Search;

/// <summary>SQL LIKE: <c>%</c> matches any run of characters (newlines included), <c>_</c> one character, the rest literally, anchored at both ends.</summary>
internal static class SqlLike
{
    public static bool IsMatch(string text, string pattern, bool ignoreCase)
    {
        if (ignoreCase)
        {
            text = text.ToLowerInvariant();
            pattern = pattern.ToLowerInvariant();
        }
        // Greedy matching with backtracking to the last '%' (linear for typical patterns).
        int t = 0, p = 0, starP = -1, starT = 0;
        while (t < text.Length)
        {
            if (p < pattern.Length && (pattern[p] == '_' || pattern[p] == text[t]) && pattern[p] != '%')
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
}
