using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;

namespace Qlib.Tracked.Analyzers
{
    /// <summary>Maps a range of a string's value to the source text of the literal that spells it.</summary>
    internal static class LiteralSpans
    {
        /// <summary>
        /// The source location of characters [<paramref name="start"/>, <paramref name="start"/> + <paramref name="length"/>)
        /// of <paramref name="value"/>. Exact when <paramref name="syntax"/> is a regular, verbatim or single-line raw
        /// literal whose text is the value between its quotes (no escapes); otherwise the whole expression.
        /// </summary>
        public static Location Map(SyntaxNode syntax, string value, int start, int length)
        {
            if (IsStringLiteral(syntax))
            {
                var token = ((LiteralExpressionSyntax)syntax).Token;
                var text = token.Text;
                var prefix = PrefixLength(text);
                if (prefix > 0 && text.Length == value.Length + prefix + SuffixLength(text, prefix)
                    && string.CompareOrdinal(text, prefix, value, 0, value.Length) == 0)
                {
                    return Location.Create(syntax.SyntaxTree, new TextSpan(token.SpanStart + prefix + start, length));
                }
            }
            return syntax.GetLocation();
        }

        public static bool IsStringLiteral(SyntaxNode syntax) =>
            syntax is LiteralExpressionSyntax literal && (literal.Token.IsKind(SyntaxKind.StringLiteralToken) || literal.Token.IsKind(SyntaxKind.SingleLineRawStringLiteralToken));

        private static int PrefixLength(string text)
        {
            if (text.StartsWith("@\"", System.StringComparison.Ordinal)) return 2;
            var quotes = 0;
            while (quotes < text.Length && text[quotes] == '"') quotes++;
            return quotes == 2 ? 1 : quotes; // "" is an empty regular literal
        }

        private static int SuffixLength(string text, int prefix) => text.StartsWith("@", System.StringComparison.Ordinal) ? 1 : prefix;
    }
}
