namespace Qlib.Tracked.Artifacts.FlatParquet;

/// <summary>
/// The Thrift compact protocol, read side, enough to walk a Parquet page header: field headers, integers,
/// and skipping any value (so fields this reader does not need, of any type, pass unharmed).
/// </summary>
internal ref struct ThriftCompactReader(ReadOnlySpan<byte> input)
{
    public const byte Stop = 0, BoolTrue = 1, BoolFalse = 2, Byte = 3, I16 = 4, I32 = 5, I64 = 6, Double = 7,
        Binary = 8, List = 9, Set = 10, Map = 11, Struct = 12;

    private readonly ReadOnlySpan<byte> _input = input;

    public int Position { get; private set; }

    /// <summary>The next field of the current struct; <see cref="Stop"/> as the type at its end.</summary>
    public (byte Type, short Id) FieldHeader(short previousId)
    {
        var header = ReadByte();
        var type = (byte)(header & 0x0F);
        if (type == Stop) return (Stop, 0);
        var delta = header >> 4;
        var id = delta != 0 ? (short)(previousId + delta) : (short)ZigZag(ReadVarint());
        return (type, id);
    }

    public int ReadI32() => (int)ZigZag(ReadVarint());

    /// <summary>Nesting deeper than this is a damaged or hostile header, not a Parquet one (which nests a few levels).</summary>
    private const int MaxDepth = 32;

    /// <summary>Skips one value of <paramref name="type"/>, nested ones included.</summary>
    public void Skip(byte type) => Skip(type, 0);

    private void Skip(byte type, int depth)
    {
        if (depth > MaxDepth) throw new InvalidDataException($"A Thrift value nests deeper than {MaxDepth} levels.");
        switch (type)
        {
            case BoolTrue or BoolFalse:
                return; // the value is in the field header
            case Byte:
                Position++;
                return;
            case I16 or I32 or I64:
                ReadVarint();
                return;
            case Double:
                Position += 8;
                return;
            case Binary:
                Position += checked((int)ReadVarint());
                return;
            case List or Set:
            {
                var header = ReadByte();
                var count = header >> 4 == 15 ? checked((int)ReadVarint()) : header >> 4;
                var element = (byte)(header & 0x0F);
                for (var i = 0; i < count; i++)
                {
                    if (element is BoolTrue or BoolFalse) Position++; // list booleans take a byte each
                    else Skip(element, depth + 1);
                }
                return;
            }
            case Map:
            {
                var count = checked((int)ReadVarint());
                if (count == 0) return;
                var types = ReadByte();
                for (var i = 0; i < count; i++)
                {
                    Skip((byte)(types >> 4), depth + 1);
                    Skip((byte)(types & 0x0F), depth + 1);
                }
                return;
            }
            case Struct:
            {
                short id = 0;
                while (true)
                {
                    var (fieldType, fieldId) = FieldHeader(id);
                    if (fieldType == Stop) return;
                    Skip(fieldType, depth + 1);
                    id = fieldId;
                }
            }
            default:
                throw new InvalidDataException($"Thrift compact type {type} is not valid.");
        }
    }

    private byte ReadByte() => _input[Position++];

    private ulong ReadVarint()
    {
        ulong value = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            var b = ReadByte();
            value |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80) return value;
        }
        throw new InvalidDataException("A Thrift varint is longer than 10 bytes.");
    }

    private static long ZigZag(ulong value) => (long)(value >> 1) ^ -(long)(value & 1);
}
