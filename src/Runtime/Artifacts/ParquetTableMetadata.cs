namespace Qlib.Tracked.Artifacts;

/// <summary>Keys we put in a Parquet file's key-value metadata.</summary>
internal static class ParquetTableMetadata
{
    /// <summary>The table type's identity; compared on load, never used to pick a type.</summary>
    public const string TableTypeKey = "qlib.tracked.table";
}
