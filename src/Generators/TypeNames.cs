namespace Qlib.Tracked.Generators
{
    /// <summary>Metadata and display names the generator matches symbols against (no GetTypeByMetadataName).</summary>
    internal static class TypeNames
    {
        public const string TrackedAttribute = "Qlib.Tracked.TrackedAttribute";
        public const string ParamAttribute = "Qlib.Tracked.ParamAttribute";
        public const string MetricAttribute = "Qlib.Tracked.MetricAttribute";
        public const string ArtifactAttribute = "Qlib.Tracked.ArtifactAttribute";
        public const string PredictAttribute = "Qlib.Tracked.PredictAttribute";
        public const string RecordAttribute = "Qlib.Tracked.RecordAttribute";
        public const string DependsOnRecordAttribute = "Qlib.Tracked.DependsOnRecordAttribute";
        public const string RecordTemplate = "Qlib.Tracked.Records.RecordTemplate";
        public const string MemoryPackableAttribute = "MemoryPack.MemoryPackableAttribute";
        public const string ParquetTable = "Qlib.Tracked.Artifacts.IParquetTable<TSelf>";
        public const string PredictionFrame = "Qlib.Tracked.Frames.PredictionFrame";

        public const string List = "System.Collections.Generic.List<T>";
        public static readonly string[] ArrayCompatibleInterfaces =
        {
            "System.Collections.Generic.IEnumerable<T>",
            "System.Collections.Generic.IReadOnlyCollection<T>",
            "System.Collections.Generic.IReadOnlyList<T>",
            "System.Collections.Generic.ICollection<T>",
            "System.Collections.Generic.IList<T>",
        };

        // Generated code refers to these.
        public const string Runtime = "global::Qlib.Tracked";
        public const string Codecs = "global::Qlib.Tracked.ParamCodecs";
        public const string ParamText = "global::Qlib.Tracked.ParamText";
        public const string RunLogger = "global::Qlib.Tracked.IRunLogger";
        public const string RunReader = "global::Qlib.Tracked.IRunReader";
        public const string Artifacts = "global::Qlib.Tracked.Artifacts";
        public const string Params = "global::System.Collections.Generic.IReadOnlyDictionary<string, string>";
        public const string PredictionFrameGlobal = "global::Qlib.Tracked.Frames.PredictionFrame";
    }
}
