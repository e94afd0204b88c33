using Microsoft.CodeAnalysis;

namespace Qlib.Tracked.Generators
{
    /// <summary>
    /// Emits param/metric logging, typed artifacts and record glue for <c>[Tracked]</c> types.
    /// The foundation ships the pipeline's entry point only; the emitters arrive with the generator issue.
    /// </summary>
    [Generator(LanguageNames.CSharp)]
    public sealed partial class TrackedGenerator : IIncrementalGenerator
    {
        /// <summary>Metadata name of the marker attribute, which lives in the runtime assembly.</summary>
        public const string TrackedAttributeMetadataName = "Qlib.Tracked.TrackedAttribute";

        /// <inheritdoc/>
        public void Initialize(IncrementalGeneratorInitializationContext context)
        {
        }
    }
}
