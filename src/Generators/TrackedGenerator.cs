using System;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Qlib.Tracked.Generators.Model;

namespace Qlib.Tracked.Generators
{
    /// <summary>
    /// Emits, for every <c>[Tracked]</c> partial class, record or struct: name constants, one-batch
    /// param/metric logging, typed artifact save/load, FromParams/Load without reflection, record glue,
    /// and one registry file per assembly. Parsing lives in <c>.Parser.cs</c>, text in <c>.Emitter.cs</c>.
    /// </summary>
    [Generator(LanguageNames.CSharp)]
    public sealed partial class TrackedGenerator : IIncrementalGenerator
    {
        /// <summary>Metadata name of the marker attribute, which lives in the runtime assembly.</summary>
        public const string TrackedAttributeMetadataName = TypeNames.TrackedAttribute;

        /// <summary>Hint name of the per-assembly registry file.</summary>
        public const string RegistryHintName = "Qlib.Tracked.Generated.TrackedModels.g.cs";

        /// <inheritdoc/>
        public void Initialize(IncrementalGeneratorInitializationContext context)
        {
            var specs = context.SyntaxProvider
                .ForAttributeWithMetadataName(
                    TrackedAttributeMetadataName,
                    predicate: static (node, _) => Parser.IsCandidate(node),
                    transform: static (ctx, ct) => Parser.Parse(ctx, ct))
                .WithTrackingName(TrackingNames.Parse)
                .Where(static spec => spec is not null)
                .Select(static (spec, _) => spec!)
                .WithTrackingName(TrackingNames.Specs);

            context.RegisterSourceOutput(specs, static (spc, spec) =>
                spc.AddSource(spec.Hierarchy.HintName, Emitter.Emit(spec)));

            var registry = specs
                .Where(static spec => spec.IsAccessibleFromAssembly)
                .Select(static (spec, _) => new RegistryEntrySpec(spec.RegistryName, spec.Hierarchy.FullyQualifiedName))
                .WithTrackingName(TrackingNames.RegistryEntries)
                .Collect()
                .WithTrackingName(TrackingNames.Registry);

            context.RegisterSourceOutput(registry, static (spc, entries) =>
            {
                if (entries.IsEmpty) return;
                var sorted = entries
                    .OrderBy(e => e.Name, StringComparer.Ordinal)
                    .ThenBy(e => e.FullyQualifiedName, StringComparer.Ordinal)
                    .ToImmutableArray();
                spc.AddSource(RegistryHintName, Emitter.EmitRegistry(sorted));
            });
        }
    }
}
