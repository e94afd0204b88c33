namespace Qlib.Tracked.Artifacts;

/// <summary>
/// The identity written into MemoryPack envelopes and Parquet metadata. It is only ever compared
/// with the requested type's identity, never used to find or construct a type.
/// </summary>
internal static class ArtifactTypeName
{
    /// <summary>
    /// <c>Type.ToString()</c> rather than <c>FullName</c>: for generics FullName embeds assembly
    /// versions (<c>[[System.Double, System.Private.CoreLib, Version=10.0.0.0 …]]</c>), which would
    /// turn a runtime upgrade into a false type mismatch; ToString gives <c>List`1[System.Double]</c>.
    /// </summary>
    public static string Of<T>() => typeof(T).ToString();
}
