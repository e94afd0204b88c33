namespace Qlib.Tracked.Artifacts.FlatParquet;

/// <summary>The fields of a Parquet page header a flat column needs: kind, sizes, value count and encoding.</summary>
internal readonly record struct PageHeader(int Type, int UncompressedSize, int CompressedSize, int ValueCount, int Encoding)
{
    /// <summary>Reads the header at the start of <paramref name="input"/>; <paramref name="length"/> is its size in bytes.</summary>
    public static PageHeader Read(ReadOnlySpan<byte> input, out int length)
    {
        var thrift = new ThriftCompactReader(input);
        int type = -1, uncompressed = -1, compressed = -1, values = -1, encoding = -1;
        short id = 0;
        while (true)
        {
            var (fieldType, fieldId) = thrift.FieldHeader(id);
            if (fieldType == ThriftCompactReader.Stop) break;
            id = fieldId;
            switch (fieldId)
            {
                case 1 when fieldType == ThriftCompactReader.I32: type = thrift.ReadI32(); break;
                case 2 when fieldType == ThriftCompactReader.I32: uncompressed = thrift.ReadI32(); break;
                case 3 when fieldType == ThriftCompactReader.I32: compressed = thrift.ReadI32(); break;
                // data_page_header (5) and dictionary_page_header (7) start with num_values (1) and encoding (2).
                case 5 or 7 when fieldType == ThriftCompactReader.Struct: (values, encoding) = ReadCountAndEncoding(ref thrift); break;
                default: thrift.Skip(fieldType); break;
            }
        }
        length = thrift.Position;
        return new PageHeader(type, uncompressed, compressed, values, encoding);
    }

    private static (int Values, int Encoding) ReadCountAndEncoding(ref ThriftCompactReader thrift)
    {
        int values = -1, encoding = -1;
        short id = 0;
        while (true)
        {
            var (fieldType, fieldId) = thrift.FieldHeader(id);
            if (fieldType == ThriftCompactReader.Stop) return (values, encoding);
            id = fieldId;
            if (fieldId == 1 && fieldType == ThriftCompactReader.I32) values = thrift.ReadI32();
            else if (fieldId == 2 && fieldType == ThriftCompactReader.I32) encoding = thrift.ReadI32();
            else thrift.Skip(fieldType);
        }
    }
}
