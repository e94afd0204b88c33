using Microsoft.CodeAnalysis;
using Qlib.Tracked.Generators;

namespace Qlib.Tracked.Analyzers
{
    /// <summary>The runtime's symbols, resolved once per compilation (null when the runtime is not referenced).</summary>
    internal sealed class KnownSymbols
    {
        private KnownSymbols(Compilation compilation)
        {
            Compilation = compilation;
            Tracked = compilation.GetTypeByMetadataName(TypeNames.TrackedAttribute);
            Param = compilation.GetTypeByMetadataName(TypeNames.ParamAttribute);
            Metric = compilation.GetTypeByMetadataName(TypeNames.MetricAttribute);
            Artifact = compilation.GetTypeByMetadataName(TypeNames.ArtifactAttribute);
            Predict = compilation.GetTypeByMetadataName(TypeNames.PredictAttribute);
            PredictionFrame = compilation.GetTypeByMetadataName(TypeNames.PredictionFrame);
            ParquetTable = compilation.GetTypeByMetadataName("Qlib.Tracked.Artifacts.IParquetTable`1");
            MemoryPackable = compilation.GetTypeByMetadataName(TypeNames.MemoryPackableAttribute);
            KnownNames = compilation.GetTypeByMetadataName("Qlib.Tracked.KnownTrackingNamesAttribute");
            Record = compilation.GetTypeByMetadataName(TypeNames.RecordAttribute);
            DependsOnRecord = compilation.GetTypeByMetadataName(TypeNames.DependsOnRecordAttribute);
        }

        public Compilation Compilation { get; }

        public INamedTypeSymbol? Tracked { get; }

        public INamedTypeSymbol? Param { get; }

        public INamedTypeSymbol? Metric { get; }

        public INamedTypeSymbol? Artifact { get; }

        public INamedTypeSymbol? Predict { get; }

        public INamedTypeSymbol? PredictionFrame { get; }

        public INamedTypeSymbol? ParquetTable { get; }

        public INamedTypeSymbol? MemoryPackable { get; }

        public INamedTypeSymbol? KnownNames { get; }

        public INamedTypeSymbol? Record { get; }

        public INamedTypeSymbol? DependsOnRecord { get; }

        /// <summary>The runtime's symbols, or null when the compilation does not reference Qlib.Tracked.</summary>
        public static KnownSymbols? Create(Compilation compilation)
        {
            var symbols = new KnownSymbols(compilation);
            return symbols.Tracked is null ? null : symbols;
        }

        public static bool Is(INamedTypeSymbol? attributeClass, INamedTypeSymbol? expected) =>
            expected is not null && SymbolEqualityComparer.Default.Equals(attributeClass, expected);
    }
}
