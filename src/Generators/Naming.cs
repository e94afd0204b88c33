using System.Text;

namespace Qlib.Tracked.Generators
{
    // Linked into Qlib.Tracked.Analyzers too, so the analyzers compute exactly the keys the generator emits.
    /// <summary>The default naming policy: member names to snake_case (see TrackedAttribute's docs).</summary>
    internal static class Naming
    {
        public static string ToSnakeCase(string name)
        {
            name = name.TrimStart('_');
            var sb = new StringBuilder(name.Length + 4);
            for (var i = 0; i < name.Length; i++)
            {
                var c = name[i];
                if (char.IsUpper(c))
                {
                    if (i > 0 && sb.Length > 0 && sb[sb.Length - 1] != '_')
                    {
                        var prev = name[i - 1];
                        var acronymEnd = char.IsUpper(prev) && i + 1 < name.Length && char.IsLower(name[i + 1]);
                        if (char.IsLower(prev) || char.IsDigit(prev) || acronymEnd) sb.Append('_');
                    }
                    sb.Append(char.ToLowerInvariant(c));
                }
                else
                {
                    sb.Append(c);
                }
            }
            return sb.ToString();
        }
    }
}
