using System.Text.Json;

namespace Qlib.Tracked.Cli.Tests;

/// <summary>What real MLflow read from the fixture store (expected_read_store.raw.json).</summary>
public static class MlflowExpected
{
    private static readonly Lazy<JsonDocument> Document = new(() =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(TempStore.FixtureDir, "expected_read_store.raw.json"))));

    public static JsonElement Root => Document.Value.RootElement;

    public static IEnumerable<JsonElement> Experiments => Root.GetProperty("experiments").EnumerateArray();

    public static IEnumerable<JsonElement> Runs => Experiments.SelectMany(e => e.GetProperty("runs").EnumerateArray());

    public static IEnumerable<JsonElement> Searches => Root.GetProperty("searches").EnumerateArray();
}
