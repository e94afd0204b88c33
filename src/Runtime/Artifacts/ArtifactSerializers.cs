using System.Diagnostics.CodeAnalysis;
using System.Collections.Concurrent;
using System.Text.Json.Serialization.Metadata;
using MemoryPack;
using Qlib.Tracked.Frames;

namespace Qlib.Tracked.Artifacts;

/// <summary>
/// Picks the serializer for a type, in this order: an explicit registration; <c>string</c> → text;
/// <c>byte[]</c>/<c>ReadOnlyMemory&lt;byte&gt;</c> → raw bytes; Parquet tables; MemoryPack when it
/// has a formatter. Keyed by <c>typeof(T)</c> only: nothing read from a file takes part.
/// The <c>DynamicallyAccessedMembers</c> annotations are MemoryPack's own requirement on
/// <c>Deserialize&lt;T&gt;</c> (its fallback formatter lookup), passed up so trimming keeps what it needs.
/// Thread-safe: registration and lookup may run concurrently.
/// </summary>
public static class ArtifactSerializers
{
    private static readonly ConcurrentDictionary<Type, object> Explicit = new();
    private static readonly ConcurrentDictionary<Type, object> Tables = new();
    private static readonly ConcurrentDictionary<Type, object> MemoryPackResolved = new();

    static ArtifactSerializers()
    {
        // Built-in tables. Later frames (backtest reports, positions) add one line here.
        RegisterTable<PredictionFrame>();
        RegisterTable<LabelFrame>();
        RegisterTable<DateSeries>();
        RegisterTable<RiskAnalysisTable>();
        RegisterTable<Backtest.BacktestReport>();
        RegisterTable<Backtest.PositionsFrame>();
        RegisterTable<Backtest.IndicatorFrame>();
        RegisterTable<Backtest.OrdersFrame>();
        RegisterTable<Records.IndicatorAnalysisTable>();
        RegisterTable<Records.MultiPassPortAnalysisTable>();
    }

    /// <summary>Uses <paramref name="serializer"/> for <typeparamref name="T"/>, ahead of every built-in choice.</summary>
    public static void Register<T>(IArtifactSerializer<T> serializer)
    {
        ArgumentNullException.ThrowIfNull(serializer);
        Explicit[typeof(T)] = serializer;
    }

    /// <summary>Stores <typeparamref name="T"/> as JSON through a source-generated type info.</summary>
    public static void RegisterJson<T>(JsonTypeInfo<T> typeInfo) => Register(new JsonArtifactSerializer<T>(typeInfo));

    /// <summary>Stores the table type <typeparamref name="T"/> as Parquet.</summary>
    public static void RegisterTable<T>() where T : IParquetTable<T> => Tables[typeof(T)] = new ParquetTableSerializer<T>();

    /// <summary>The serializer for <typeparamref name="T"/>; INVALID_PARAMETER_VALUE naming the type when there is none.</summary>
    public static IArtifactSerializer<T> For<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.All)] T>() =>
        TryFor<T>(out var serializer)
            ? serializer
            : throw TrackingException.InvalidParameter(
                $"No artifact serializer for type '{ArtifactTypeName.Of<T>()}'. Mark it [MemoryPackable] (and partial), "
                + "or register one with ArtifactSerializers.Register<T>(…), RegisterJson<T>(JsonTypeInfo<T>) or RegisterTable<T>().");

    /// <summary>The serializer for <typeparamref name="T"/> (same order of choice as <see cref="For{T}"/>); false when there is none.</summary>
    public static bool TryFor<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.All)] T>(out IArtifactSerializer<T> serializer)
    {
        serializer = Resolve<T>()!;
        return serializer is not null;
    }

    private static IArtifactSerializer<T>? Resolve<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.All)] T>()
    {
        if (Explicit.TryGetValue(typeof(T), out var registered)) return (IArtifactSerializer<T>)registered;
        if (typeof(T) == typeof(string)) return (IArtifactSerializer<T>)(object)TextArtifactSerializer.Instance;
        if (typeof(T) == typeof(byte[]) || typeof(T) == typeof(ReadOnlyMemory<byte>))
            return (IArtifactSerializer<T>)(object)BytesArtifactSerializer.Instance;
        if (Tables.TryGetValue(typeof(T), out var table)) return (IArtifactSerializer<T>)table;
        return MemoryPackResolved.GetOrAdd(typeof(T), static _ =>
            HasMemoryPackFormatter<T>() ? new MemoryPackArtifactSerializer<T>() : NoSerializer.Instance) as IArtifactSerializer<T>;
    }

    /// <summary>
    /// Whether MemoryPack can serialize <typeparamref name="T"/>. <c>IsRegistered&lt;T&gt;()</c> alone is
    /// not enough: a [MemoryPackable] type registers in its static constructor, which has not run
    /// when a fresh process loads before creating any instance, and generic collections register on
    /// first use. So we make one tiny serialization of <c>default</c>, which forces MemoryPack's own
    /// lookup: it throws MemoryPackSerializationException exactly when no formatter exists.
    /// </summary>
    private static bool HasMemoryPackFormatter<T>()
    {
        if (typeof(T) == typeof(object)) return false; // MemoryPack has no formatter for object: don't let null pass
        try
        {
            MemoryPackSerializer.Serialize<T>(default);
            return true;
        }
        catch (MemoryPackSerializationException)
        {
            return false;
        }
        catch (Exception)
        {
            // A custom formatter that rejects a default value still exists.
            return true;
        }
    }

    /// <summary>Caches "no MemoryPack formatter" so the probe runs once per type.</summary>
    private sealed class NoSerializer
    {
        public static readonly NoSerializer Instance = new();
    }
}
