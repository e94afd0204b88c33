using System.Collections.Concurrent;

namespace Qlib.Tracked;

/// <summary>
/// One <c>[Tracked]</c> type in the registry: its schema and its two factories, both generated code
/// (no reflection, no type names read from anywhere). Immutable; thread-safe.
/// </summary>
/// <param name="Schema">The type's schema; <see cref="TrackedSchema.Name"/> is the registry key.</param>
/// <param name="ModelType">The CLR type, for display and checks only.</param>
/// <param name="FromParams">Builds an instance from params (the type's <c>FromParams</c>).</param>
/// <param name="Load">Rebuilds an instance from a run (the type's <c>Load</c>).</param>
public sealed record TrackedModelInfo(
    TrackedSchema Schema,
    Type ModelType,
    Func<IReadOnlyDictionary<string, string>, ITrackedModel> FromParams,
    Func<IRunReader, ITrackedModel> Load)
{
    /// <summary>The registry key: <see cref="TrackedSchema.Name"/>.</summary>
    public string Name => Schema.Name;
}

/// <summary>
/// Name → factory for the <c>[Tracked]</c> types of every loaded assembly. Each assembly with
/// <c>[Tracked]</c> types gets a generated <c>Qlib.Tracked.Generated.TrackedModels</c> class whose module
/// initializer registers them in <see cref="Default"/>; a workflow config then builds a model with
/// <c>TrackedModelRegistry.Default.Create("lgb", params)</c>. Thread-safe: registration and lookups may run concurrently.
/// </summary>
public sealed class TrackedModelRegistry
{
    private readonly ConcurrentDictionary<string, TrackedModelInfo> _models = new(StringComparer.Ordinal);

    /// <summary>The process-wide registry the generated module initializers fill.</summary>
    public static TrackedModelRegistry Default { get; } = new();

    /// <summary>Adds <paramref name="model"/>. The same type again is a no-op; another type under the same name is RESOURCE_ALREADY_EXISTS.</summary>
    /// <exception cref="TrackingException">RESOURCE_ALREADY_EXISTS when another type is registered under the same name.</exception>
    public void Register(TrackedModelInfo model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var existing = _models.GetOrAdd(model.Name, model);
        if (!ReferenceEquals(existing, model) && existing.ModelType != model.ModelType)
            throw TrackingException.AlreadyExists(
                $"Tracked model name '{model.Name}' is taken by '{existing.ModelType}'; '{model.ModelType}' needs another [Tracked(Name = …)].");
    }

    /// <summary>The model registered as <paramref name="name"/> (ordinal match); false when there is none.</summary>
    public bool TryGet(string name, out TrackedModelInfo model) => _models.TryGetValue(name, out model!);

    /// <summary>The model registered as <paramref name="name"/>; RESOURCE_DOES_NOT_EXIST listing the known names otherwise.</summary>
    public TrackedModelInfo Get(string name) =>
        TryGet(name, out var model)
            ? model
            : throw TrackingException.DoesNotExist(
                $"No [Tracked] model named '{name}'. Known: {string.Join(", ", Names.DefaultIfEmpty("(none)"))}.");

    /// <summary>Builds the model <paramref name="name"/> from params (missing keys keep defaults).</summary>
    public ITrackedModel Create(string name, IReadOnlyDictionary<string, string> parameters) => Get(name).FromParams(parameters);

    /// <summary>Registered names, ordinally sorted.</summary>
    public IReadOnlyList<string> Names => _models.Keys.Order(StringComparer.Ordinal).ToList();

    /// <summary>A snapshot of the registered models, ordinally sorted by name.</summary>
    public IReadOnlyCollection<TrackedModelInfo> Models => _models.Values.OrderBy(m => m.Name, StringComparer.Ordinal).ToList();
}
