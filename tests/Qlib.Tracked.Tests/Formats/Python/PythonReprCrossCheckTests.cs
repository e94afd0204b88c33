using System.Diagnostics;
using System.Text;
using Qlib.Tracked.Formats;
using Qlib.Tracked.Formats.Python;

namespace Qlib.Tracked.Tests;

/// <summary>
/// Asks the real CPython for <c>repr(float)</c> of many doubles (random bit patterns, powers of two and
/// ten and their neighbours, subnormals) and requires <see cref="PythonFloat"/> to spell every one the same.
/// A metric value or param spelled differently would not compare equal to what a Python client logged.
/// Skipped where python3 is missing.
/// </summary>
public sealed class PythonReprCrossCheckTests
{
    [SkippableFact]
    public void PythonFloat_SpellsEveryDoubleAsCPythonsRepr()
    {
        var values = Sample().ToArray();
        var python = RunPython(
            "import sys, struct\n" +
            "out = []\n" +
            "for line in sys.stdin:\n" +
            "    out.append(repr(struct.unpack('<d', struct.pack('<q', int(line)))[0]))\n" +
            "sys.stdout.write('\\n'.join(out) + '\\n')\n",
            string.Join('\n', values.Select(v => BitConverter.DoubleToInt64Bits(v).ToString(System.Globalization.CultureInfo.InvariantCulture))) + "\n");
        var expected = python.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(values.Length, expected.Length);
        var mismatches = new StringBuilder();
        for (var i = 0; i < values.Length; i++)
        {
            var ours = PythonFloat.ToString(values[i]);
            if (ours != expected[i] && mismatches.Length < 2000)
                mismatches.Append($"{BitConverter.DoubleToInt64Bits(values[i])}: python {expected[i]}, ours {ours}\n");
        }
        Assert.True(mismatches.Length == 0, mismatches.ToString());
    }

    private static IEnumerable<double> Sample()
    {
        var random = new Random(20261126);
        for (var i = 0; i < 100_000; i++)
        {
            var value = BitConverter.Int64BitsToDouble(random.NextInt64(long.MinValue, long.MaxValue));
            if (double.IsFinite(value)) yield return value;
        }
        for (var i = 0; i < 50_000; i++) yield return random.NextDouble() * Math.Pow(10, random.Next(-30, 30));
        for (var e = -1074; e <= 1023; e++)
        {
            var p = Math.ScaleB(1.0, e);
            yield return p;
            yield return Math.BitIncrement(p);
            yield return Math.BitDecrement(p);
        }
        for (var e = -323; e <= 308; e++)
        {
            var p = double.Parse($"1e{e}", System.Globalization.CultureInfo.InvariantCulture);
            yield return p;
            yield return Math.BitIncrement(p);
            yield return Math.BitDecrement(p);
        }
        yield return double.NaN;
        yield return double.PositiveInfinity;
        yield return double.NegativeInfinity;
        yield return -0.0;
        yield return double.MaxValue;
        yield return double.Epsilon;
    }

    private static string RunPython(string script, string input)
    {
        ProcessStartInfo info = new("python3") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add(script);
        Process process;
        try { process = Process.Start(info)!; }
        catch (System.ComponentModel.Win32Exception) { throw new SkipException("python3 is not installed on this machine."); }
        using (process)
        {
            var output = process.StandardOutput.ReadToEndAsync();
            process.StandardInput.Write(input);
            process.StandardInput.Close();
            var text = output.Result;
            process.WaitForExit();
            Assert.True(process.ExitCode == 0, process.StandardError.ReadToEnd());
            return text;
        }
    }
}
