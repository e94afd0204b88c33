using System.Text.Json.Serialization;
using MemoryPack;

namespace Qlib.Tracked.Tests.Artifacts;

[MemoryPackable]
public partial class ModelState
{
    public string Name { get; set; } = "";
    public double[] Weights { get; set; } = [];
    public Dictionary<string, string> Params { get; set; } = [];
}

[MemoryPackable]
public partial class OtherState
{
    public int Epochs { get; set; }
}

/// <summary>Only ever used through the registry, never constructed before resolution.</summary>
[MemoryPackable]
public partial class NeverConstructedState
{
    public int Value { get; set; }
}

/// <summary>No serializer of any kind: the registry must refuse it.</summary>
public sealed class PlainClass
{
    public int Value { get; set; }
}

public sealed record TaskConfig(string Model, double LearningRate, string[] Segments);

public sealed record Report(int Days, double Sharpe);

[JsonSerializable(typeof(TaskConfig))]
[JsonSerializable(typeof(Report))]
[JsonSourceGenerationOptions(UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow)]
public partial class TestJsonContext : JsonSerializerContext;
