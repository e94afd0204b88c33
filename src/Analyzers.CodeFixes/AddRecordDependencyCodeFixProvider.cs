using System.Collections.Immutable;
using System.Composition;
using System.Linq;
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
    /// QTRK403: declares the missing template, <c>[Record(typeof(Dependency))]</c>, just before the attribute that needs it,
    /// spelled as the existing attribute is spelled and with the type named as the file's usings allow.
    /// </summary>
    [ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(AddRecordDependencyCodeFixProvider)), Shared]
    public sealed class AddRecordDependencyCodeFixProvider : CodeFixProvider
    {
        public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticIds.MissingRecordDependency);

        // Each fix rewrites the same attribute lists, so batch fixing one type's diagnostics would conflict; fix one at a time.
        public override FixAllProvider? GetFixAllProvider() => null;

        public override async Task RegisterCodeFixesAsync(CodeFixContext context)
        {
            var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
            if (root is null) return;
            foreach (var diagnostic in context.Diagnostics)
            {
                if (!diagnostic.Properties.TryGetValue(RecordTemplateAnalyzer.DependencyProperty, out var metadataName) || metadataName is null) continue;
                var attribute = root.FindNode(diagnostic.Location.SourceSpan).AncestorsAndSelf().OfType<AttributeSyntax>().FirstOrDefault();
                if (attribute?.Parent is not AttributeListSyntax { Parent: MemberDeclarationSyntax } list) continue;
                var shortName = metadataName.Substring(metadataName.LastIndexOfAny(new[] { '.', '+' }) + 1);
                context.RegisterCodeFix(
                    CodeAction.Create("Declare [Record(typeof(" + shortName + "))]",
                        ct => AddAsync(context.Document, attribute, list, metadataName, ct), nameof(AddRecordDependencyCodeFixProvider) + metadataName),
                    diagnostic);
            }
        }

        private static async Task<Document> AddAsync(Document document, AttributeSyntax attribute, AttributeListSyntax list, string metadataName, CancellationToken ct)
        {
            var root = await document.GetSyntaxRootAsync(ct).ConfigureAwait(false);
            var model = await document.GetSemanticModelAsync(ct).ConfigureAwait(false);
            if (root is null || model is null || list.Parent is not MemberDeclarationSyntax declaration) return document;
            var dependency = model.Compilation.GetTypeByMetadataName(metadataName);
            if (dependency is null) return document;

            var typeName = SyntaxFactory.ParseTypeName(dependency.ToMinimalDisplayString(model, list.SpanStart));
            var added = SyntaxFactory.AttributeList(SyntaxFactory.SingletonSeparatedList(
                SyntaxFactory.Attribute(attribute.Name.WithoutTrivia(), SyntaxFactory.AttributeArgumentList(SyntaxFactory.SingletonSeparatedList(
                    SyntaxFactory.AttributeArgument(SyntaxFactory.TypeOfExpression(typeName)))))));

            // On its own line: the new list takes the old one's leading trivia (doc comments stay first) and a line of
            // its own; the old list keeps only the indentation. Inline: the new list goes before it (the code action's
            // formatting pass then gives it a line of its own, as it does for any attribute list built by SyntaxFactory).
            var text = await document.GetTextAsync(ct).ConfigureAwait(false);
            var line = text.Lines.GetLineFromPosition(list.SpanStart);
            var indent = text.ToString(Microsoft.CodeAnalysis.Text.TextSpan.FromBounds(line.Start, list.SpanStart));
            var eol = list.GetTrailingTrivia().FirstOrDefault(t => t.IsKind(SyntaxKind.EndOfLineTrivia));
            AttributeListSyntax updated;
            if (string.IsNullOrWhiteSpace(indent) && eol != default)
            {
                added = added.WithLeadingTrivia(list.GetLeadingTrivia()).WithTrailingTrivia(eol);
                updated = list.WithLeadingTrivia(SyntaxFactory.Whitespace(indent));
            }
            else
            {
                added = added.WithLeadingTrivia(list.GetLeadingTrivia()).WithTrailingTrivia(SyntaxFactory.Space);
                updated = list.WithLeadingTrivia(SyntaxTriviaList.Empty);
            }
            var lists = declaration.AttributeLists;
            var index = lists.IndexOf(list);
            var newLists = lists.Replace(list, updated).Insert(index, added);
            return document.WithSyntaxRoot(root.ReplaceNode(declaration, declaration.WithAttributeLists(newLists)));
        }
    }
}
