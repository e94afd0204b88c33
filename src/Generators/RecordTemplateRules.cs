using System.Collections.Generic;
using Microsoft.CodeAnalysis;

namespace Qlib.Tracked.Generators
{
    // Linked into Qlib.Tracked.Analyzers too, so the analyzers accept exactly the templates the generator exposes
    // and order them the same way.
    /// <summary>What counts as a record template, and what a template depends on, read from symbols.</summary>
    internal static class RecordTemplateRules
    {
        /// <summary>
        /// Why <paramref name="type"/> cannot be declared as a record template, or null when it can. Error types
        /// (a typo the compiler already reports) give null too, so nothing is reported twice.
        /// </summary>
        /// <param name="allowAbstract">True for a dependency (<c>[DependsOnRecord]</c>): any template deriving from an abstract one satisfies it.</param>
        public static string? NotATemplateReason(ITypeSymbol? type, bool allowAbstract = false)
        {
            if (type is null || type.TypeKind == TypeKind.Error) return null;
            if (type is not INamedTypeSymbol named || named.TypeKind != TypeKind.Class)
                return "it is not a class deriving from " + TypeNames.RecordTemplate;
            if (named.IsUnboundGenericType) return "it is an open generic type";
            if (!DerivesFromRecordTemplate(named)) return "it does not derive from " + TypeNames.RecordTemplate;
            if (named.IsAbstract && !allowAbstract) return "it is abstract, so it cannot run";
            return null;
        }

        /// <summary>True for a concrete, closed class deriving from RecordTemplate.</summary>
        public static bool IsTemplate(ITypeSymbol? type) => type is INamedTypeSymbol { TypeKind: not TypeKind.Error } && NotATemplateReason(type) is null;

        /// <summary>
        /// The templates <paramref name="template"/> reads from, as its <c>[DependsOnRecord]</c> attributes (on it and
        /// its base types, the attribute being inherited) name them; each once, in the order found.
        /// </summary>
        public static List<INamedTypeSymbol> Dependencies(INamedTypeSymbol template)
        {
            var result = new List<INamedTypeSymbol>();
            for (var current = template; current is not null; current = current.BaseType)
            {
                foreach (var attribute in current.GetAttributes())
                {
                    if (attribute.AttributeClass?.ToDisplayString() != TypeNames.DependsOnRecordAttribute) continue;
                    if (attribute.ConstructorArguments.Length != 1 || attribute.ConstructorArguments[0].Value is not INamedTypeSymbol dependency) continue;
                    if (!ContainsSymbol(result, dependency)) result.Add(dependency);
                }
            }
            return result;
        }

        /// <summary>A declared template satisfies a dependency when it is that template or derives from it.</summary>
        public static bool Satisfies(INamedTypeSymbol declared, INamedTypeSymbol dependency)
        {
            for (var current = declared; current is not null; current = current.BaseType)
            {
                if (SymbolEqualityComparer.Default.Equals(current, dependency)) return true;
            }
            return false;
        }

        /// <summary>
        /// <paramref name="declared"/> (valid, distinct templates) reordered so each comes after the declared templates
        /// that satisfy its dependencies: at each step the first template in declaration order whose dependencies are
        /// all placed comes next. A dependency cycle cannot be ordered:
        /// the first remaining template in declaration order is taken, so the result is always a permutation.
        /// </summary>
        public static List<INamedTypeSymbol> Order(IReadOnlyList<INamedTypeSymbol> declared)
        {
            var remaining = new List<INamedTypeSymbol>(declared);
            var ordered = new List<INamedTypeSymbol>(declared.Count);
            while (remaining.Count > 0)
            {
                var pick = 0;
                for (var i = 0; i < remaining.Count; i++)
                {
                    if (!WaitsFor(remaining[i], remaining)) { pick = i; break; }
                }
                ordered.Add(remaining[pick]);
                remaining.RemoveAt(pick);
            }
            return ordered;
        }

        private static bool WaitsFor(INamedTypeSymbol template, List<INamedTypeSymbol> remaining)
        {
            foreach (var dependency in Dependencies(template))
            {
                foreach (var other in remaining)
                {
                    if (!SymbolEqualityComparer.Default.Equals(other, template) && Satisfies(other, dependency)) return true;
                }
            }
            return false;
        }

        private static bool DerivesFromRecordTemplate(INamedTypeSymbol type)
        {
            for (INamedTypeSymbol? current = type; current is not null; current = current.BaseType)
            {
                if (current.ToDisplayString() == TypeNames.RecordTemplate) return true;
            }
            return false;
        }

        public static bool ContainsSymbol(List<INamedTypeSymbol> list, INamedTypeSymbol item)
        {
            foreach (var existing in list)
            {
                if (SymbolEqualityComparer.Default.Equals(existing, item)) return true;
            }
            return false;
        }
    }
}
