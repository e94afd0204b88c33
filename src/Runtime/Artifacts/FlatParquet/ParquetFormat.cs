namespace Qlib.Tracked.Artifacts.FlatParquet;

/// <summary>The Parquet format's enum values and constants the flat writer uses (parquet-format's parquet.thrift).</summary>
internal static class ParquetFormat
{
    public static ReadOnlySpan<byte> Magic => "PAR1"u8;

    /// <summary>Physical types.</summary>
    public static class PhysicalType
    {
        public const int Int32 = 1, Int64 = 2, Double = 5, ByteArray = 6;
    }

    /// <summary>FieldRepetitionType.REQUIRED: the column has no nulls, so pages carry no definition levels.</summary>
    public const int Required = 0;

    /// <summary>Encodings.</summary>
    public const int Plain = 0, Rle = 3, RleDictionary = 8;

    /// <summary>Page types.</summary>
    public const int DataPage = 0, DictionaryPage = 2;

    /// <summary>CompressionCodec.UNCOMPRESSED: frame columns are either dictionary codes or random doubles, which
    /// general-purpose codecs barely shrink and would make the round trip several times slower.</summary>
    public const int Uncompressed = 0;

    /// <summary>ConvertedType values.</summary>
    public const int ConvertedUtf8 = 0, ConvertedInt32 = 17;
}
