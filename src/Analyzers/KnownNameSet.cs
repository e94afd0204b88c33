using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace Qlib.Tracked.Analyzers
{
    /// <summary>The kinds of <c>Qlib.Tracked.TrackingNameKind</c>, in the same order.</summary>
    internal enum NameKind
    {
        Metric = 0,
        Param = 1,
        Tag = 2,
        Artifact = 3,
    }

    /// <summary>
    /// Every name known in a compilation: the keys and artifacts of each [Tracked] type (in source and in referenced
    /// assemblies that use Qlib.Tracked), and the names declared with <c>[assembly: KnownTrackingNames]</c> by this
    /// assembly or any reference (the runtime declares the record templates' names and MLflow's reserved tags that
    /// way). Built once per compilation, on first use.
    /// </summary>
    internal sealed class KnownNameSet
    {
        private readonly HashSet<string>[] _names = { new HashSet<string>(StringComparer.Ordinal), new HashSet<string>(StringComparer.Ordinal), new HashSet<string>(StringComparer.Ordinal), new HashSet<string>(StringComparer.Ordinal) };
        private readonly HashSet<string> _artifactFolders = new HashSet<string>(StringComparer.Ordinal);

        /// <summary>Normalized artifact path → (declared type, declaring member).</summary>
        public Dictionary<string, List<(ITypeSymbol Type, string Owner)>> ArtifactTypes { get; } = new Dictionary<string, List<(ITypeSymbol, string)>>(StringComparer.Ordinal);

        public IEnumerable<string> Names(NameKind kind) => _names[(int)kind];

        public bool IsKnown(NameKind kind, string name, bool allowFolder = false)
        {
            if (_names[(int)kind].Contains(name)) return true;
            if (kind != NameKind.Artifact || MlflowNameRules.ArtifactPathProblem(name, out var normalized) is not null) return false;
            return _names[(int)kind].Contains(normalized) || (allowFolder && _artifactFolders.Contains(normalized));
        }

        public static KnownNameSet Build(KnownSymbols symbols)
        {
            var set = new KnownNameSet();
            var compilation = symbols.Compilation;
            var runtime = symbols.Tracked!.ContainingAssembly;
            set.AddDeclared(compilation.Assembly, symbols);
            foreach (var reference in compilation.SourceModule.ReferencedAssemblySymbols)
            {
                set.AddDeclared(reference, symbols);
                if (!SymbolEqualityComparer.Default.Equals(reference, runtime) && UsesRuntime(reference, runtime))
                    set.AddTrackedTypes(reference.GlobalNamespace, symbols);
            }
            set.AddTrackedTypes(compilation.Assembly.GlobalNamespace, symbols);
            return set;
        }

        private static bool UsesRuntime(IAssemblySymbol assembly, IAssemblySymbol runtime) =>
            assembly.Modules.Any(m => m.ReferencedAssemblies.Any(r => r.Name == runtime.Name));

        private void AddDeclared(IAssemblySymbol assembly, KnownSymbols symbols)
        {
            if (symbols.KnownNames is null) return;
            foreach (var attr in assembly.GetAttributes())
            {
                if (!KnownSymbols.Is(attr.AttributeClass, symbols.KnownNames) || attr.ConstructorArguments.Length != 2) continue;
                if (attr.ConstructorArguments[0].Value is not int kind || kind < 0 || kind > 3) continue;
                var names = attr.ConstructorArguments[1];
                if (names.Kind != TypedConstantKind.Array) continue;
                foreach (var name in names.Values)
                {
                    if (name.Value is string s) Add((NameKind)kind, s);
                }
            }
        }

        private void AddTrackedTypes(INamespaceSymbol ns, KnownSymbols symbols)
        {
            foreach (var member in ns.GetMembers())
            {
                if (member is INamespaceSymbol child) AddTrackedTypes(child, symbols);
                else if (member is INamedTypeSymbol type) AddTrackedType(type, symbols);
            }
        }

        private void AddTrackedType(INamedTypeSymbol type, KnownSymbols symbols)
        {
            if (type.GetAttributes().Any(a => KnownSymbols.Is(a.AttributeClass, symbols.Tracked)))
            {
                var shape = TrackedShapeReader.Read(type, symbols, report: null);
                foreach (var p in shape.Params) Add(NameKind.Param, p.Key);
                foreach (var m in shape.Metrics) Add(NameKind.Metric, m.Key);
                var owner = TrackedShapeReader.Display(type);
                foreach (var a in shape.Artifacts)
                {
                    Add(NameKind.Artifact, a.Normalized);
                    if (!ArtifactTypes.TryGetValue(a.Normalized, out var list)) ArtifactTypes[a.Normalized] = list = new List<(ITypeSymbol, string)>();
                    list.Add((a.Type, owner + "." + a.Member));
                }
            }
            foreach (var nested in type.GetTypeMembers()) AddTrackedType(nested, symbols);
        }

        private void Add(NameKind kind, string name)
        {
            if (kind == NameKind.Artifact && MlflowNameRules.ArtifactPathProblem(name, out var normalized) is null) name = normalized;
            _names[(int)kind].Add(name);
            if (kind != NameKind.Artifact) return;
            for (var slash = name.LastIndexOf('/'); slash > 0; slash = name.LastIndexOf('/', slash - 1))
                _artifactFolders.Add(name.Substring(0, slash));
        }
    }
}
