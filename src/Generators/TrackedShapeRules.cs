using System;
using System.Linq;
using Microsoft.CodeAnalysis;
using Qlib.Tracked.Generators.Model;

namespace Qlib.Tracked.Generators
{
    /// <summary>
    /// What the generator can handle, as one set of rules. The generator (<c>TrackedGenerator.Parser</c>) asks them to
    /// decide what to emit and skips what fails; the analyzers (linked copy, <c>TrackedShapeReader</c>) ask the same
    /// rules and report the reason. Each rule answers with the reason a shape fails (null when it is fine), so the two
    /// can never disagree about what is skipped.
    /// </summary>
    internal static class TrackedShapeRules
    {
        /// <summary>Param groups nest at most this deep (a guard against runaway recursion, not a design limit).</summary>
        public const int MaxGroupDepth = 8;

        /// <summary>The attribute's explicit name: a non-empty string first constructor argument, else null (the naming policy applies).</summary>
        public static string? ExplicitName(AttributeData attr) =>
            attr.ConstructorArguments.Length > 0 && attr.ConstructorArguments[0].Value is string s && s.Length > 0 ? s : null;

        /// <summary><c>[Tracked(Name = …)]</c> when given and not empty, else null (the registry then uses the type's full name).</summary>
        public static string? ExplicitRegistryName(AttributeData tracked)
        {
            foreach (var argument in tracked.NamedArguments)
            {
                if (argument.Key == "Name" && argument.Value.Value is string name && name.Length > 0) return name;
            }
            return null;
        }

        /// <summary>
        /// Why <paramref name="type"/> cannot be generated for because of what it is or what it is nested in (generic,
        /// nested in a generic type, an interface…), or null.
        /// </summary>
        public static string? HierarchyProblem(INamedTypeSymbol type)
        {
            for (var current = type; current is not null; current = current.ContainingType)
            {
                // FromParams, Load and the registry need a closed type.
                if (current.IsGenericType)
                    return SymbolEqualityComparer.Default.Equals(current, type)
                        ? "generic types are not supported (FromParams, Load and the registry need a closed type)"
                        : "it is nested in generic type '" + Display(current) + "'";
                if (current.TypeKind is not (TypeKind.Class or TypeKind.Struct))
                    return "it is nested in " + current.TypeKind.ToString().ToLowerInvariant() + " '" + Display(current) + "'";
            }
            return null;
        }

        public static bool HasParameterlessConstructor(INamedTypeSymbol type, INamedTypeSymbol within)
        {
            if (type.IsValueType) return true;
            if (type.IsAbstract) return false;
            return type.InstanceConstructors.Any(c => c.Parameters.Length == 0
                && (SymbolEqualityComparer.Default.Equals(type, within) || c.DeclaredAccessibility is Accessibility.Public or Accessibility.Internal or Accessibility.ProtectedOrInternal));
        }

        /// <summary>The first <c>required</c> member of the type or its bases (object initializers in generated code could not set it), or null.</summary>
        public static ISymbol? FirstRequiredMember(INamedTypeSymbol type)
        {
            for (var current = type; current is not null; current = current.BaseType)
            {
                foreach (var m in current.GetMembers())
                {
                    if (m is IPropertySymbol { IsRequired: true } or IFieldSymbol { IsRequired: true }) return m;
                }
            }
            return null;
        }

        /// <summary>Whether code elsewhere in the assembly can name the type (the registry lists only those).</summary>
        public static bool IsAccessibleFromAssembly(INamedTypeSymbol type)
        {
            for (var current = type; current is not null; current = current.ContainingType)
            {
                if (current.DeclaredAccessibility is not (Accessibility.Public or Accessibility.Internal or Accessibility.ProtectedOrInternal)) return false;
            }
            return true;
        }

        /// <summary>Why a member with [Param]/[Metric]/[Artifact] is not one the generator reads, or null for an instance field or readable property.</summary>
        public static string? UnreadableMember(ISymbol member) => member switch
        {
            IFieldSymbol { IsConst: true } => "it is a constant; tracked members are instance fields or properties",
            { IsStatic: true } => "it is static; tracked members are instance fields or properties",
            IPropertySymbol { IsIndexer: true } => "it is an indexer",
            IPropertySymbol { GetMethod: null } => "it has no getter",
            IPropertySymbol or IFieldSymbol => null,
            _ => "it is not a field or property",
        };

        /// <summary>The type of a member <see cref="UnreadableMember"/> accepts.</summary>
        public static ITypeSymbol MemberType(ISymbol member) => member switch
        {
            IPropertySymbol p => p.Type,
            IFieldSymbol f => f.Type,
            _ => throw new ArgumentException("not a field or property: " + member.Name, nameof(member)),
        };

        /// <summary>Can generated code inside <paramref name="within"/> read the member?</summary>
        public static bool CanRead(ISymbol member, INamedTypeSymbol within, Compilation compilation) => member switch
        {
            IPropertySymbol p => p.GetMethod is { } get && compilation.IsSymbolAccessibleWithin(get, within),
            IFieldSymbol f => compilation.IsSymbolAccessibleWithin(f, within),
            _ => false,
        };

        /// <summary>The codec generated code uses for a scalar param type (enums, double, float, int, long, bool, string, decimal, DateTime), or null.</summary>
        public static string? ScalarCodec(ITypeSymbol type, SymbolDisplayFormat enumFormat)
        {
            if (type.TypeKind == TypeKind.Enum) return TypeNames.Codecs + ".Enum<" + type.ToDisplayString(enumFormat) + ">";
            return type.SpecialType switch
            {
                SpecialType.System_Double => TypeNames.Codecs + ".Double",
                SpecialType.System_Single => TypeNames.Codecs + ".Single",
                SpecialType.System_Int32 => TypeNames.Codecs + ".Int32",
                SpecialType.System_Int64 => TypeNames.Codecs + ".Int64",
                SpecialType.System_Boolean => TypeNames.Codecs + ".Boolean",
                SpecialType.System_String => TypeNames.Codecs + ".String",
                SpecialType.System_Decimal => TypeNames.Codecs + ".Decimal",
                SpecialType.System_DateTime => TypeNames.Codecs + ".DateTime",
                _ => null,
            };
        }

        public static bool IsScalar(ITypeSymbol type) => ScalarCodec(type, SymbolDisplayFormat.FullyQualifiedFormat) is not null;

        /// <summary>The <c>T</c> of a <c>Nullable&lt;T&gt;</c> type, or null for any other type.</summary>
        public static ITypeSymbol? NullableUnderlying(ITypeSymbol type) =>
            type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } nullable ? nullable.TypeArguments[0] : null;

        /// <summary>Why a <c>T?</c> param (<paramref name="inner"/> = T) is not loggable, or null: T must be a scalar value type.</summary>
        public static string? NullableParamProblem(ITypeSymbol type, ITypeSymbol inner) =>
            IsScalar(inner) && inner.SpecialType != SpecialType.System_String
                ? null
                : "'" + Display(type) + "' has no stable text form (nullable forms of double, float, int, long, bool, decimal, DateTime and enums are supported)";

        /// <summary>The element type of an array, <c>List&lt;T&gt;</c> or list interface an array converts to, with which of those it is; else null.</summary>
        public static ITypeSymbol? ListElement(ITypeSymbol type, out ListShape shape)
        {
            shape = ListShape.None;
            if (type is IArrayTypeSymbol { Rank: 1 } array)
            {
                shape = ListShape.Array;
                return array.ElementType;
            }
            if (type is not INamedTypeSymbol { IsGenericType: true, TypeArguments.Length: 1 } named) return null;
            var definition = named.OriginalDefinition.ToDisplayString();
            if (definition == TypeNames.List) shape = ListShape.List;
            else if (Array.IndexOf(TypeNames.ArrayCompatibleInterfaces, definition) >= 0) shape = ListShape.Interface;
            else return null;
            return named.TypeArguments[0];
        }

        /// <summary>Why a list param's element type is not loggable, or null.</summary>
        public static string? ListElementProblem(ITypeSymbol listType, ITypeSymbol element)
        {
            if (element.NullableAnnotation == NullableAnnotation.Annotated || element.OriginalDefinition.SpecialType == SpecialType.System_Nullable_T)
                return "list elements must not be nullable ('" + Display(listType) + "')";
            if (!IsScalar(element))
                return "list element type '" + Display(element) + "' has no stable text form (lists of double, float, int, long, bool, string, decimal, DateTime and enums are supported)";
            return null;
        }

        /// <summary>
        /// Why <paramref name="type"/> cannot be a param group (a class, record or struct whose own [Param] members are
        /// flattened into dotted keys) at <paramref name="depth"/>, or null. Cycles and empty groups are the caller's to find.
        /// </summary>
        public static string? GroupProblem(ITypeSymbol type, int depth, INamedTypeSymbol tracked, Compilation compilation)
        {
            if (type is not INamedTypeSymbol group || group.SpecialType != SpecialType.None)
                return "'" + Display(type) + "' has no stable text form (supported: double, float, int, long, bool, string, decimal, DateTime, enums, their nullable forms, lists of them, and groups with [Param] members)";
            if (depth >= MaxGroupDepth) return "groups nest deeper than " + MaxGroupDepth + " levels";
            if (group.IsGenericType) return "'" + Display(type) + "' is generic; only List<T>, arrays and the list interfaces are supported, and groups must not be generic";
            if (group.TypeKind is not (TypeKind.Class or TypeKind.Struct)) return "'" + Display(type) + "' is " + Article(group.TypeKind) + "; groups must be classes, records or structs";
            if (!HasParameterlessConstructor(group, tracked)) return "group '" + Display(type) + "' has no accessible parameterless constructor";
            if (FirstRequiredMember(group) is { } required) return "group '" + Display(type) + "' has required member '" + required.Name + "'";
            if (!compilation.IsSymbolAccessibleWithin(group, tracked)) return "group '" + Display(type) + "' is not accessible from '" + Display(tracked) + "'";
            return null;
        }

        /// <summary>The value type of a metric member (double, float, int, long, or their nullable forms), or null.</summary>
        public static ITypeSymbol? MetricValueType(ITypeSymbol type, out bool nullable)
        {
            nullable = false;
            if (NullableUnderlying(type) is { } inner)
            {
                nullable = true;
                type = inner;
            }
            return type.SpecialType is SpecialType.System_Double or SpecialType.System_Single or SpecialType.System_Int32 or SpecialType.System_Int64 ? type : null;
        }

        /// <summary>The <c>JsonContext</c> named argument of an [Artifact], or null.</summary>
        public static INamedTypeSymbol? ArtifactJsonContext(AttributeData attr)
        {
            foreach (var argument in attr.NamedArguments)
            {
                if (argument.Key == "JsonContext" && argument.Value.Value is INamedTypeSymbol context) return context;
            }
            return null;
        }

        /// <summary>
        /// The serializer for an artifact member of <paramref name="type"/> (its JsonContext first, then string, byte[],
        /// IParquetTable&lt;T&gt;, [MemoryPackable]), or null with <paramref name="problem"/> saying why none fits.
        /// </summary>
        public static ArtifactKind? ArtifactKindOf(ITypeSymbol type, AttributeData attr, out string? problem)
        {
            problem = null;
            if (type.OriginalDefinition.SpecialType == SpecialType.System_Nullable_T)
            {
                problem = "nullable value types are not supported as artifacts";
                return null;
            }
            if (ArtifactJsonContext(attr) is not null) return ArtifactKind.Json;
            if (type.SpecialType == SpecialType.System_String) return ArtifactKind.Text;
            if (type is IArrayTypeSymbol { Rank: 1, ElementType.SpecialType: SpecialType.System_Byte }) return ArtifactKind.Bytes;
            var self = type.WithNullableAnnotation(NullableAnnotation.None);
            if (type.AllInterfaces.Any(i => i.OriginalDefinition.ToDisplayString() == TypeNames.ParquetTable
                && SymbolEqualityComparer.Default.Equals(i.TypeArguments[0], self))) return ArtifactKind.Parquet;
            if (type.GetAttributes().Any(a => a.AttributeClass?.ToDisplayString() == TypeNames.MemoryPackableAttribute)) return ArtifactKind.MemoryPack;
            problem = "no serializer fits it; use string (text), byte[] (bytes), a type implementing IParquetTable<T> (Parquet), a [MemoryPackable] type (MemoryPack), or set JsonContext to a System.Text.Json context that lists the type";
            return null;
        }

        /// <summary>Why a [Predict] method cannot be the record glue's prediction entry point, or null.</summary>
        public static string? PredictProblem(IMethodSymbol method)
        {
            if (method.IsStatic) return "it is static; the prediction entry point is an instance method";
            if (method.IsGenericMethod) return "it is generic";
            if (method.Parameters.Length != 1) return "it must take exactly one parameter (the dataset), not " + method.Parameters.Length;
            if (method.Parameters[0].RefKind != RefKind.None) return "its parameter must be passed by value";
            if (method.ReturnType.ToDisplayString() != TypeNames.PredictionFrame)
                return "it must return Qlib.Tracked.Frames.PredictionFrame, not '" + Display(method.ReturnType) + "'";
            return null;
        }

        public static string Display(ISymbol symbol) => symbol.ToDisplayString(SymbolDisplayFormat.CSharpErrorMessageFormat);

        private static string Article(TypeKind kind) => kind switch
        {
            TypeKind.Interface => "an interface",
            TypeKind.Delegate => "a delegate",
            _ => "a " + kind.ToString().ToLowerInvariant(),
        };
    }
}

namespace Qlib.Tracked.Generators.Model
{
    /// <summary>How a list param is declared (the generated code converts back to the same shape).</summary>
    internal enum ListShape
    {
        None,
        Array,
        List,

        /// <summary>An interface an array converts to (IEnumerable, IReadOnlyList, IList, …).</summary>
        Interface,
    }

    /// <summary>The serializer an artifact member gets.</summary>
    internal enum ArtifactKind
    {
        Text,
        Bytes,
        Parquet,
        MemoryPack,
        Json,
    }
}
