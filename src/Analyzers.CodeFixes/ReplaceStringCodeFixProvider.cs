using System.Collections.Immutable;
using System.Composition;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Qlib.Tracked.Analyzers.CodeFixes
{
    /// <summary>
    /// Replaces the string literal a usage diagnostic points into with the value the analyzer computed
    /// (<see cref="TrackingUsageAnalyzer.NewValueProperty"/>): the nearest known name (QTRK901–904, QTRK916), or the
    /// filter with a value quoted (QTRK912) or unquoted (QTRK913). Only literals are rewritten; a name that comes
    /// from a constant is left for the user.
    /// </summary>
    [ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(ReplaceStringCodeFixProvider)), Shared]
    public sealed class ReplaceStringCodeFixProvider : CodeFixProvider
    {
        public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(
            DiagnosticIds.UnknownMetricName, DiagnosticIds.UnknownParamName, DiagnosticIds.UnknownTagName, DiagnosticIds.UnknownArtifactName,
            DiagnosticIds.FilterUnknownKey, DiagnosticIds.FilterUnquotedValue, DiagnosticIds.FilterQuotedNumber);

        // Several fixes in one literal depend on each other's text: fix one at a time.
        public override FixAllProvider? GetFixAllProvider() => null;

        public override async Task RegisterCodeFixesAsync(CodeFixContext context)
        {
            var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
            if (root is null) return;
            foreach (var diagnostic in context.Diagnostics)
            {
                if (!diagnostic.Properties.TryGetValue(TrackingUsageAnalyzer.NewValueProperty, out var newValue) || newValue is null) continue;
                var token = root.FindToken(diagnostic.Location.SourceSpan.Start);
                if (token.Parent is not LiteralExpressionSyntax literal || !LiteralSpans.IsStringLiteral(literal)) continue;
                var title = diagnostic.Properties.TryGetValue(TrackingUsageAnalyzer.FixTitleProperty, out var t) && t is not null ? t : "Replace with '" + newValue + "'";
                context.RegisterCodeFix(
                    CodeAction.Create(title, ct => ReplaceAsync(context.Document, literal, newValue, ct), diagnostic.Id + ":" + newValue),
                    diagnostic);
            }
        }

        private static async Task<Document> ReplaceAsync(Document document, LiteralExpressionSyntax literal, string value, CancellationToken ct)
        {
            var root = await document.GetSyntaxRootAsync(ct).ConfigureAwait(false);
            if (root is null) return document;
            var replacement = SyntaxFactory.LiteralExpression(SyntaxKind.StringLiteralExpression, SyntaxFactory.Literal(value)).WithTriviaFrom(literal);
            return document.WithSyntaxRoot(root.ReplaceNode(literal, replacement));
        }
    }
}
