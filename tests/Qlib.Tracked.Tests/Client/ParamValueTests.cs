using System.Numerics;
using Qlib.Tracked.Entities;
using Qlib.Tracked.Client;

namespace Qlib.Tracked.Tests.Tracking;

/// <summary>Each expected text is what CPython 3.11's <c>str()</c> prints for the equivalent value.</summary>
public class ParamValueTests
{
    public static TheoryData<object?, string> Table => new()
    {
        { null, "None" },
        { true, "True" },
        { false, "False" },
        { 10, "10" },
        { -3L, "-3" },
        { (byte)7, "7" },
        { ulong.MaxValue, "18446744073709551615" },
        { BigInteger.Pow(10, 30), "1000000000000000000000000000000" },
        { 0.01, "0.01" },
        { 1e-05, "1e-05" },
        { 0.0001, "0.0001" },
        { 100.0, "100.0" },
        { 1e16, "1e+16" },
        { 1e15, "1000000000000000.0" },
        { 0.1 + 0.2, "0.30000000000000004" },
        { -0.0, "-0.0" },
        { double.NaN, "nan" },
        { double.PositiveInfinity, "inf" },
        { double.NegativeInfinity, "-inf" },
        { 0.1f, "0.1" },
        { 0.10m, "0.10" },
        { "plain text", "plain text" },
        { "", "" },
        { 'x', "x" },
        { new DateTime(2021, 1, 4, 9, 30, 0), "2021-01-04 09:30:00" },
        { new DateTime(2021, 1, 4), "2021-01-04 00:00:00" },
        { new DateTime(2021, 1, 4, 9, 30, 0).AddTicks(1234560), "2021-01-04 09:30:00.123456" },
        { new DateOnly(2021, 1, 4), "2021-01-04" },
        { new TimeOnly(9, 30), "09:30:00" },
        { new DateTimeOffset(2021, 1, 4, 9, 30, 0, TimeSpan.FromHours(8)), "2021-01-04 09:30:00+08:00" },
        { new TimeSpan(1, 2, 3, 4), "1 day, 2:03:04" },
        { TimeSpan.FromHours(5), "5:00:00" },
        { TimeSpan.FromSeconds(-1), "-1 day, 23:59:59" },
        { RunStatus.Finished, "Finished" },
        { new[] { 1, 2 }, "[1, 2]" },
        { new object?[] { 1, 2, "a" }, "[1, 2, 'a']" },
        { new List<string> { "it's", "x" }, "[\"it's\", 'x']" },
        { new object?[] { true, null, 1.5, 0.10m }, "[True, None, 1.5, Decimal('0.10')]" },
        { new[] { "tab\there", "back\\slash" }, "['tab\\there', 'back\\\\slash']" },
        { Array.Empty<int>(), "[]" },
        { new List<object> { new List<int> { 1 }, new[] { "b" } }, "[[1], ['b']]" },
        { (1, 2), "(1, 2)" },
        { ValueTuple.Create(1), "(1,)" },
        { Tuple.Create("a", 1.0), "('a', 1.0)" },
        { new Dictionary<string, object> { ["a"] = 1, ["b"] = new[] { 1.5 } }, "{'a': 1, 'b': [1.5]}" },
        { new SortedDictionary<int, string> { [1] = "x" }, "{1: 'x'}" },
        { new object[] { new DateTime(2021, 1, 4, 9, 30, 0), new DateOnly(2021, 1, 4) }, "[datetime.datetime(2021, 1, 4, 9, 30), datetime.date(2021, 1, 4)]" },
    };

    [Theory]
    [MemberData(nameof(Table))]
    public void Format_SpellsValuesAsPythonStr(object? value, string expected) =>
        Assert.Equal(expected, ParamValue.Format(value));
}
