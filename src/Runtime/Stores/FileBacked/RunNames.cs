namespace Qlib.Tracked.Stores.FileBacked;

/// <summary>
/// Random run names in MLflow's shape <c>&lt;adjective&gt;-&lt;noun&gt;-&lt;0..999&gt;</c>; words are
/// short enough that a name never exceeds 20 characters.
/// </summary>
internal static class RunNames
{
    public const int MaxLength = 20;

    private static readonly string[] Adjectives =
    [
        "able", "agile", "amber", "bold", "brave", "bright", "calm", "clever", "crisp", "eager",
        "fair", "fancy", "gentle", "glad", "grand", "happy", "honest", "keen", "kind", "lively",
        "loud", "lucky", "merry", "mighty", "neat", "nimble", "polite", "proud", "quick", "quiet",
        "rare", "sharp", "shy", "silent", "sleek", "smooth", "spry", "steady", "sunny", "swift",
        "tidy", "vivid", "warm", "wise", "witty", "zesty",
    ];

    private static readonly string[] Nouns =
    [
        "ant", "bass", "bat", "bear", "bee", "bird", "boar", "carp", "cat", "colt", "crab", "crow",
        "deer", "dog", "dove", "duck", "eel", "elk", "finch", "fox", "frog", "goat", "gull", "hare",
        "hawk", "hen", "jay", "koi", "lark", "lion", "lynx", "mole", "moth", "mule", "newt", "owl",
        "ox", "pig", "ram", "rat", "seal", "shark", "slug", "snail", "swan", "toad", "trout", "wasp",
        "whale", "wolf", "worm", "yak",
    ];

    public static string Next() =>
        $"{Adjectives[Random.Shared.Next(Adjectives.Length)]}-{Nouns[Random.Shared.Next(Nouns.Length)]}-{Random.Shared.Next(1000)}";
}
