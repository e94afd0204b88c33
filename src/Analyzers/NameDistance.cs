using System;
using System.Collections.Generic;

namespace Qlib.Tracked.Analyzers
{
    /// <summary>"Did you mean …?": the nearest known name by edit distance.</summary>
    internal static class NameDistance
    {
        /// <summary>
        /// The known name nearest to <paramref name="name"/>, or null when none is close enough. Case-only
        /// differences and, for artifact paths, a changed file extension (<c>pred.pkl</c> → <c>pred.parquet</c>) count as near;
        /// otherwise the Levenshtein distance (case-insensitive) must be at most a quarter of the longer name, at
        /// least 1 and at most 3 (long names that share a prefix, like <c>mlflow.source.git.*</c>, are not typos of each other). Ties go to the ordinally smallest name, so the suggestion is deterministic.
        /// </summary>
        public static string? Nearest(string name, IEnumerable<string> known, bool isPath = false)
        {
            string? best = null;
            var bestScore = int.MaxValue;
            var lower = name.ToLowerInvariant();
            foreach (var candidate in known)
            {
                if (string.Equals(candidate, name, StringComparison.Ordinal)) return null;
                var score = Score(lower, candidate, isPath);
                if (score < 0) continue;
                if (score < bestScore || (score == bestScore && string.CompareOrdinal(candidate, best) < 0))
                {
                    best = candidate;
                    bestScore = score;
                }
            }
            return best;
        }

        /// <summary>Twice the distance (so case-only differences can score 1), or -1 when too far.</summary>
        private static int Score(string lowerName, string candidate, bool isPath)
        {
            var lowerCandidate = candidate.ToLowerInvariant();
            if (lowerName == lowerCandidate) return 1;
            if (isPath && Stem(lowerName) is { } a && a == Stem(lowerCandidate)) return 2;
            var limit = Math.Max(1, Math.Min(3, Math.Max(lowerName.Length, lowerCandidate.Length) / 4));
            if (Math.Abs(lowerName.Length - lowerCandidate.Length) > limit) return -1;
            var d = Levenshtein(lowerName, lowerCandidate);
            return d <= limit ? 2 * d : -1;
        }

        private static string? Stem(string name)
        {
            var slash = name.LastIndexOf('/');
            var dot = name.LastIndexOf('.');
            return dot > slash + 1 ? name.Substring(0, dot) : null;
        }

        public static int Levenshtein(string a, string b)
        {
            var previous = new int[b.Length + 1];
            var current = new int[b.Length + 1];
            for (var j = 0; j <= b.Length; j++) previous[j] = j;
            for (var i = 1; i <= a.Length; i++)
            {
                current[0] = i;
                for (var j = 1; j <= b.Length; j++)
                {
                    var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                    current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
                }
                var swap = previous;
                previous = current;
                current = swap;
            }
            return previous[b.Length];
        }
    }
}
