namespace Qlib.Tracked.Analyzers
{
    /// <summary>Categories of the QTRK diagnostics (ranges are listed in docs/diagnostics).</summary>
    public static class DiagnosticCategories
    {
        /// <summary>Shape of [Tracked] declarations.</summary>
        public const string Design = "Qlib.Tracked.Design";

        /// <summary>Names and filters passed to the runtime's APIs.</summary>
        public const string Usage = "Qlib.Tracked.Usage";
    }
}
