using System;
using System.Text;

namespace Qlib.Tracked.Generators.Helpers
{
    /// <summary>
    /// An indenting text writer (after dotnet/runtime's SourceWriter): tracks the indentation level,
    /// re-indents multi-line text line by line, and always writes '\n' line endings.
    /// </summary>
    internal sealed class SourceWriter
    {
        private const int IndentSize = 4;
        private readonly StringBuilder _sb = new(4096);

        public int Indentation { get; set; }

        public SourceWriter WriteLine(string text)
        {
            if (text.IndexOf('\n') < 0)
            {
                AppendLine(text.AsSpan());
                return this;
            }
            var rest = text.AsSpan();
            while (true)
            {
                var nl = rest.IndexOf('\n');
                if (nl < 0)
                {
                    AppendLine(rest);
                    return this;
                }
                AppendLine(rest.Slice(0, nl).TrimEnd('\r'));
                rest = rest.Slice(nl + 1);
            }
        }

        public SourceWriter WriteLine()
        {
            _sb.Append('\n');
            return this;
        }

        /// <summary>Writes <c>{</c> and indents.</summary>
        public SourceWriter Open()
        {
            WriteLine("{");
            Indentation++;
            return this;
        }

        /// <summary>Unindents and writes <c>}</c> (plus an optional suffix such as <c>;</c>).</summary>
        public SourceWriter Close(string suffix = "")
        {
            Indentation--;
            WriteLine("}" + suffix);
            return this;
        }

        private void AppendLine(ReadOnlySpan<char> line)
        {
            if (!line.IsEmpty)
            {
                _sb.Append(' ', Indentation * IndentSize);
                _sb.Append(line.ToString());
            }
            _sb.Append('\n');
        }

        public override string ToString() => _sb.ToString();
    }
}
