using System.Buffers;
using System.Text;

namespace Qlib.Tracked.Artifacts.FlatParquet;

/// <summary>
/// The Thrift compact protocol, write side only, as Parquet's page headers and footer use it: field headers
/// carry the id as a delta from the previous field of the same struct, integers are zigzag varints, a bool
/// field's value is its type nibble. Only the shapes Parquet metadata needs (i32, i64, bool, binary, struct,
/// list) are here.
/// </summary>
internal sealed class ThriftCompactWriter
{
    private const byte BoolTrue = 1, BoolFalse = 2, I32 = 5, I64 = 6, Binary = 8, List = 9, Struct = 12;

    private readonly PooledBufferWriter _output;
    private readonly Stack<short> _enclosingFieldIds = new();
    private short _lastFieldId;

    public ThriftCompactWriter(PooledBufferWriter output) => _output = output;

    public void FieldI32(short id, int value)
    {
        FieldHeader(id, I32);
        Varint(ZigZag(value));
    }

    public void FieldI64(short id, long value)
    {
        FieldHeader(id, I64);
        Varint(ZigZag(value));
    }

    public void FieldBool(short id, bool value) => FieldHeader(id, value ? BoolTrue : BoolFalse);

    public void FieldBinary(short id, ReadOnlySpan<byte> value)
    {
        FieldHeader(id, Binary);
        BinaryValue(value);
    }

    public void FieldString(short id, string value) => FieldBinary(id, Encoding.UTF8.GetBytes(value));

    /// <summary>Opens a struct-typed field; close it with <see cref="StructEnd"/>.</summary>
    public void FieldStructBegin(short id)
    {
        FieldHeader(id, Struct);
        StructBegin();
    }

    /// <summary>An empty struct field (the members of Parquet's unions such as <c>MILLIS</c> or <c>STRING</c>).</summary>
    public void FieldEmptyStruct(short id)
    {
        FieldStructBegin(id);
        StructEnd();
    }

    /// <summary>Opens a list field of structs; write each element between <see cref="StructBegin"/> and <see cref="StructEnd"/>.</summary>
    public void FieldStructListBegin(short id, int count)
    {
        FieldHeader(id, List);
        ListHeader(Struct, count);
    }

    public void FieldI32List(short id, ReadOnlySpan<int> values)
    {
        FieldHeader(id, List);
        ListHeader(I32, values.Length);
        foreach (var v in values) Varint(ZigZag(v));
    }

    public void FieldStringList(short id, ReadOnlySpan<string> values)
    {
        FieldHeader(id, List);
        ListHeader(Binary, values.Length);
        foreach (var v in values) BinaryValue(Encoding.UTF8.GetBytes(v));
    }

    /// <summary>Starts a struct value (top level or a list element): field ids restart from zero inside it.</summary>
    public void StructBegin()
    {
        _enclosingFieldIds.Push(_lastFieldId);
        _lastFieldId = 0;
    }

    public void StructEnd()
    {
        Byte(0); // stop field
        _lastFieldId = _enclosingFieldIds.Pop();
    }

    private void FieldHeader(short id, byte type)
    {
        var delta = id - _lastFieldId;
        if (delta is > 0 and <= 15)
        {
            Byte((byte)((delta << 4) | type));
        }
        else
        {
            Byte(type);
            Varint(ZigZag(id));
        }
        _lastFieldId = id;
    }

    private void ListHeader(byte elementType, int count)
    {
        if (count < 15)
        {
            Byte((byte)((count << 4) | elementType));
        }
        else
        {
            Byte((byte)(0xF0 | elementType));
            Varint((uint)count);
        }
    }

    private void BinaryValue(ReadOnlySpan<byte> value)
    {
        Varint((uint)value.Length);
        _output.Write(value);
    }

    private void Byte(byte value)
    {
        _output.GetSpan(1)[0] = value;
        _output.Advance(1);
    }

    private void Varint(ulong value)
    {
        var span = _output.GetSpan(10);
        var n = 0;
        while (value >= 0x80)
        {
            span[n++] = (byte)(value | 0x80);
            value >>= 7;
        }
        span[n++] = (byte)value;
        _output.Advance(n);
    }

    private static ulong ZigZag(int value) => (uint)((value << 1) ^ (value >> 31));

    private static ulong ZigZag(long value) => (ulong)((value << 1) ^ (value >> 63));
}
