using Microsoft.CodeAnalysis;

namespace Qlib.Tracked.Analyzers
{
    /// <summary>Ids of the QTRK diagnostics (for code fixes, suppressions and tests).</summary>
    public static class DiagnosticIds
    {
        public const string TypeNotPartial = "QTRK001";
        public const string ContainingTypeNotPartial = "QTRK002";
        public const string UnsupportedTypeShape = "QTRK003";
        public const string AbstractOrStaticType = "QTRK004";
        public const string NoParameterlessConstructor = "QTRK005";
        public const string RequiredMembers = "QTRK006";
        public const string DuplicateModelName = "QTRK007";
        public const string ParamTypeUnsupported = "QTRK101";
        public const string ParamNotReadable = "QTRK102";
        public const string DuplicateParamKey = "QTRK103";
        public const string InvalidParamKey = "QTRK104";
        public const string MetricTypeUnsupported = "QTRK201";
        public const string DuplicateMetricKey = "QTRK202";
        public const string InvalidMetricKey = "QTRK203";
        public const string MetricNotReadable = "QTRK204";
        public const string ArtifactTypeUnsupported = "QTRK301";
        public const string ArtifactNameCollision = "QTRK302";
        public const string InvalidArtifactName = "QTRK303";
        public const string ArtifactNotReadable = "QTRK304";
        public const string PredictMethodUnsupported = "QTRK401";
        public const string MultiplePredictMethods = "QTRK402";
        public const string MissingRecordDependency = "QTRK403";
        public const string DuplicateRecordTemplate = "QTRK404";
        public const string NotARecordTemplate = "QTRK405";
        public const string UnknownMetricName = "QTRK901";
        public const string UnknownParamName = "QTRK902";
        public const string UnknownTagName = "QTRK903";
        public const string UnknownArtifactName = "QTRK904";
        public const string InvalidName = "QTRK905";
        public const string ArtifactTypeMismatch = "QTRK906";
        public const string FilterSyntax = "QTRK910";
        public const string FilterOr = "QTRK911";
        public const string FilterUnquotedValue = "QTRK912";
        public const string FilterQuotedNumber = "QTRK913";
        public const string FilterInNotAllowed = "QTRK914";
        public const string FilterInvalidIdentifier = "QTRK915";
        public const string FilterUnknownKey = "QTRK916";
        public const string FilterInvalidComparator = "QTRK917";
        public const string OrderByInvalid = "QTRK918";
    }

    /// <summary>
    /// Every QTRK rule. Ranges: 001–099 declaration shape, 100–199 [Param], 200–299 [Metric], 300–399 artifacts,
    /// 400–499 record glue, 900+ usage. Each rule's help page is <c>docs/diagnostics/QTRKnnn.md</c>.
    /// </summary>
    public static class DiagnosticDescriptors
    {
        /// <summary>
        /// Where the rule pages live: this repository's <c>docs/diagnostics/</c> folder. Every help link is this plus
        /// <c>QTRKnnn.md</c> (a test checks the link and that the page exists, for every descriptor).
        /// </summary>
        public const string HelpLinkBase = "https://github.com/qlib-tracked/qlib-tracked/blob/main/docs/diagnostics/";

        /// <summary>The help page of rule <paramref name="id"/>.</summary>
        public static string HelpLink(string id) => HelpLinkBase + id + ".md";

        private static DiagnosticDescriptor Rule(string id, string category, DiagnosticSeverity severity, string title, string message, params string[] tags) =>
            new DiagnosticDescriptor(id, title, message, category, severity, isEnabledByDefault: true, helpLinkUri: HelpLink(id), customTags: tags);

        /// <summary>QTRK001: "[Tracked] type '{0}' is not partial, so the generator skips it".</summary>
        public static readonly DiagnosticDescriptor TypeNotPartial = Rule(DiagnosticIds.TypeNotPartial, DiagnosticCategories.Design, DiagnosticSeverity.Error,
            "[Tracked] type is not partial", "[Tracked] type '{0}' is not partial, so the generator skips it");

        /// <summary>QTRK002: "Type '{0}' contains [Tracked] type '{1}' but is not partial, so the generator skips '{1}'".</summary>
        public static readonly DiagnosticDescriptor ContainingTypeNotPartial = Rule(DiagnosticIds.ContainingTypeNotPartial, DiagnosticCategories.Design, DiagnosticSeverity.Error,
            "Type containing a [Tracked] type is not partial", "Type '{0}' contains [Tracked] type '{1}' but is not partial, so the generator skips '{1}'");

        /// <summary>QTRK003: "[Tracked] type '{0}' is skipped by the generator: {1}".</summary>
        public static readonly DiagnosticDescriptor UnsupportedTypeShape = Rule(DiagnosticIds.UnsupportedTypeShape, DiagnosticCategories.Design, DiagnosticSeverity.Error,
            "[Tracked] type is generic or nested in an unsupported type", "[Tracked] type '{0}' is skipped by the generator: {1}");

        /// <summary>QTRK004: "[Tracked] type '{0}' is {1}; the generator needs a type it can create".</summary>
        public static readonly DiagnosticDescriptor AbstractOrStaticType = Rule(DiagnosticIds.AbstractOrStaticType, DiagnosticCategories.Design, DiagnosticSeverity.Error,
            "[Tracked] type is abstract or static", "[Tracked] type '{0}' is {1}; the generator needs a type it can create");

        /// <summary>QTRK005: "[Tracked] type '{0}' has no parameterless constructor, so FromParams and Load cannot create it and the generator skips it".</summary>
        public static readonly DiagnosticDescriptor NoParameterlessConstructor = Rule(DiagnosticIds.NoParameterlessConstructor, DiagnosticCategories.Design, DiagnosticSeverity.Error,
            "[Tracked] type has no parameterless constructor", "[Tracked] type '{0}' has no parameterless constructor, so FromParams and Load cannot create it and the generator skips it");

        /// <summary>QTRK006: "[Tracked] type '{0}' has required member '{1}', so FromParams and Load cannot create it and the generator skips it".</summary>
        public static readonly DiagnosticDescriptor RequiredMembers = Rule(DiagnosticIds.RequiredMembers, DiagnosticCategories.Design, DiagnosticSeverity.Error,
            "[Tracked] type has required members", "[Tracked] type '{0}' has required member '{1}', so FromParams and Load cannot create it and the generator skips it");

        /// <summary>QTRK007: "[Tracked] name '{0}' of '{1}' is already taken by '{2}', so '{1}' is left out of TrackedModelRegistry".</summary>
        public static readonly DiagnosticDescriptor DuplicateModelName = Rule(DiagnosticIds.DuplicateModelName, DiagnosticCategories.Design, DiagnosticSeverity.Error,
            "Two [Tracked] types have the same registry name",
            "[Tracked] name '{0}' of '{1}' is already taken by '{2}', so '{1}' is left out of TrackedModelRegistry",
            WellKnownDiagnosticTags.CompilationEnd);

        /// <summary>QTRK101: "[Param] '{0}' is not logged: {1}".</summary>
        public static readonly DiagnosticDescriptor ParamTypeUnsupported = Rule(DiagnosticIds.ParamTypeUnsupported, DiagnosticCategories.Design, DiagnosticSeverity.Error,
            "[Param] type has no stable text form", "[Param] '{0}' is not logged: {1}");

        /// <summary>QTRK102: "[Param] '{0}' is not logged: {1}".</summary>
        public static readonly DiagnosticDescriptor ParamNotReadable = Rule(DiagnosticIds.ParamNotReadable, DiagnosticCategories.Design, DiagnosticSeverity.Error,
            "[Param] member cannot be read", "[Param] '{0}' is not logged: {1}");

        /// <summary>QTRK103: "Param key '{0}' is logged by both '{1}' and '{2}'".</summary>
        public static readonly DiagnosticDescriptor DuplicateParamKey = Rule(DiagnosticIds.DuplicateParamKey, DiagnosticCategories.Design, DiagnosticSeverity.Error,
            "Two params have the same key", "Param key '{0}' is logged by both '{1}' and '{2}'");

        /// <summary>QTRK104: "Param key '{0}' of '{1}' is not a valid MLflow key: {2}".</summary>
        public static readonly DiagnosticDescriptor InvalidParamKey = Rule(DiagnosticIds.InvalidParamKey, DiagnosticCategories.Design, DiagnosticSeverity.Error,
            "Param key breaks MLflow's key rules", "Param key '{0}' of '{1}' is not a valid MLflow key: {2}");

        /// <summary>QTRK201: "[Metric] '{0}' has type '{1}' and is not logged: metrics must be double, float, int or long, or their nullable forms".</summary>
        public static readonly DiagnosticDescriptor MetricTypeUnsupported = Rule(DiagnosticIds.MetricTypeUnsupported, DiagnosticCategories.Design, DiagnosticSeverity.Error,
            "[Metric] member is not numeric", "[Metric] '{0}' has type '{1}' and is not logged: metrics must be double, float, int or long, or their nullable forms");

        /// <summary>QTRK202: "Metric key '{0}' is logged by both '{1}' and '{2}'".</summary>
        public static readonly DiagnosticDescriptor DuplicateMetricKey = Rule(DiagnosticIds.DuplicateMetricKey, DiagnosticCategories.Design, DiagnosticSeverity.Error,
            "Two metrics have the same key", "Metric key '{0}' is logged by both '{1}' and '{2}'");

        /// <summary>QTRK203: "Metric key '{0}' of '{1}' is not a valid MLflow key: {2}".</summary>
        public static readonly DiagnosticDescriptor InvalidMetricKey = Rule(DiagnosticIds.InvalidMetricKey, DiagnosticCategories.Design, DiagnosticSeverity.Error,
            "Metric key breaks MLflow's key rules", "Metric key '{0}' of '{1}' is not a valid MLflow key: {2}");

        /// <summary>QTRK204: "[Metric] '{0}' is not logged: {1}".</summary>
        public static readonly DiagnosticDescriptor MetricNotReadable = Rule(DiagnosticIds.MetricNotReadable, DiagnosticCategories.Design, DiagnosticSeverity.Error,
            "[Metric] member cannot be read", "[Metric] '{0}' is not logged: {1}");

        /// <summary>QTRK301: "[Artifact] '{0}' of type '{1}' is not saved: {2}".</summary>
        public static readonly DiagnosticDescriptor ArtifactTypeUnsupported = Rule(DiagnosticIds.ArtifactTypeUnsupported, DiagnosticCategories.Design, DiagnosticSeverity.Error,
            "[Artifact] type has no serializer", "[Artifact] '{0}' of type '{1}' is not saved: {2}");

        /// <summary>QTRK302: "Artifact '{0}' of '{1}' collides with '{2}' of '{3}': {4}".</summary>
        public static readonly DiagnosticDescriptor ArtifactNameCollision = Rule(DiagnosticIds.ArtifactNameCollision, DiagnosticCategories.Design, DiagnosticSeverity.Error,
            "Artifact names collide", "Artifact '{0}' of '{1}' collides with '{2}' of '{3}': {4}");

        /// <summary>QTRK303: "[Artifact] '{0}' has an invalid name '{1}': {2}".</summary>
        public static readonly DiagnosticDescriptor InvalidArtifactName = Rule(DiagnosticIds.InvalidArtifactName, DiagnosticCategories.Design, DiagnosticSeverity.Error,
            "Artifact name is not a valid artifact path", "[Artifact] '{0}' has an invalid name '{1}': {2}");

        /// <summary>QTRK304: "[Artifact] '{0}' is not saved: {1}".</summary>
        public static readonly DiagnosticDescriptor ArtifactNotReadable = Rule(DiagnosticIds.ArtifactNotReadable, DiagnosticCategories.Design, DiagnosticSeverity.Error,
            "[Artifact] member cannot be read", "[Artifact] '{0}' is not saved: {1}");

        /// <summary>QTRK401: "[Predict] method '{0}' is ignored: {1}".</summary>
        public static readonly DiagnosticDescriptor PredictMethodUnsupported = Rule(DiagnosticIds.PredictMethodUnsupported, DiagnosticCategories.Design, DiagnosticSeverity.Warning,
            "[Predict] method has an unsupported shape", "[Predict] method '{0}' is ignored: {1}");

        /// <summary>QTRK402: "[Predict] method '{0}' is ignored: '{1}' is already the model's prediction entry point".</summary>
        public static readonly DiagnosticDescriptor MultiplePredictMethods = Rule(DiagnosticIds.MultiplePredictMethods, DiagnosticCategories.Design, DiagnosticSeverity.Warning,
            "More than one [Predict] method", "[Predict] method '{0}' is ignored: '{1}' is already the model's prediction entry point");

        /// <summary>QTRK403: "'{0}' declares record template '{1}', which depends on '{2}': declare [Record(typeof({2}))] too".</summary>
        public static readonly DiagnosticDescriptor MissingRecordDependency = Rule(DiagnosticIds.MissingRecordDependency, DiagnosticCategories.Design, DiagnosticSeverity.Warning,
            "Record template declared without the template it depends on", "'{0}' declares record template '{1}', which depends on '{2}': declare [Record(typeof({2}))] too");

        /// <summary>QTRK404: "Record template '{0}' is declared more than once on '{1}'".</summary>
        public static readonly DiagnosticDescriptor DuplicateRecordTemplate = Rule(DiagnosticIds.DuplicateRecordTemplate, DiagnosticCategories.Design, DiagnosticSeverity.Warning,
            "Record template declared twice", "Record template '{0}' is declared more than once on '{1}'");

        /// <summary>QTRK405: "'{0}' in [{1}] on '{2}' is not a record template: {3}".</summary>
        public static readonly DiagnosticDescriptor NotARecordTemplate = Rule(DiagnosticIds.NotARecordTemplate, DiagnosticCategories.Design, DiagnosticSeverity.Error,
            "Type is not a record template", "'{0}' in [{1}] on '{2}' is not a record template: {3}");

        /// <summary>QTRK901: "Metric name '{0}' is not known{1}".</summary>
        public static readonly DiagnosticDescriptor UnknownMetricName = Rule(DiagnosticIds.UnknownMetricName, DiagnosticCategories.Usage, DiagnosticSeverity.Warning,
            "Unknown metric name", "Metric name '{0}' is not known{1}");

        /// <summary>QTRK902: "Param name '{0}' is not known{1}".</summary>
        public static readonly DiagnosticDescriptor UnknownParamName = Rule(DiagnosticIds.UnknownParamName, DiagnosticCategories.Usage, DiagnosticSeverity.Warning,
            "Unknown param name", "Param name '{0}' is not known{1}");

        /// <summary>QTRK903: "Tag name '{0}' is not known{1}".</summary>
        public static readonly DiagnosticDescriptor UnknownTagName = Rule(DiagnosticIds.UnknownTagName, DiagnosticCategories.Usage, DiagnosticSeverity.Warning,
            "Unknown tag name", "Tag name '{0}' is not known{1}");

        /// <summary>QTRK904: "Artifact name '{0}' is not known{1}".</summary>
        public static readonly DiagnosticDescriptor UnknownArtifactName = Rule(DiagnosticIds.UnknownArtifactName, DiagnosticCategories.Usage, DiagnosticSeverity.Warning,
            "Unknown artifact name", "Artifact name '{0}' is not known{1}");

        /// <summary>QTRK905: "'{0}' can never be a valid {1}: {2}".</summary>
        public static readonly DiagnosticDescriptor InvalidName = Rule(DiagnosticIds.InvalidName, DiagnosticCategories.Usage, DiagnosticSeverity.Error,
            "Name can never be valid in MLflow", "'{0}' can never be a valid {1}: {2}");

        /// <summary>QTRK906: "Artifact '{0}' is declared as '{1}' (by {2}) but loaded as '{3}'".</summary>
        public static readonly DiagnosticDescriptor ArtifactTypeMismatch = Rule(DiagnosticIds.ArtifactTypeMismatch, DiagnosticCategories.Usage, DiagnosticSeverity.Error,
            "Artifact loaded as the wrong type", "Artifact '{0}' is declared as '{1}' (by {2}) but loaded as '{3}'");

        /// <summary>QTRK910: "Invalid search filter: {0}".</summary>
        public static readonly DiagnosticDescriptor FilterSyntax = Rule(DiagnosticIds.FilterSyntax, DiagnosticCategories.Usage, DiagnosticSeverity.Error,
            "Search filter is not valid MLflow syntax", "Invalid search filter: {0}");

        /// <summary>QTRK911: "Invalid search filter: {0}".</summary>
        public static readonly DiagnosticDescriptor FilterOr = Rule(DiagnosticIds.FilterOr, DiagnosticCategories.Usage, DiagnosticSeverity.Error,
            "Search filter uses OR", "Invalid search filter: {0}");

        /// <summary>QTRK912: "Invalid search filter: {0}".</summary>
        public static readonly DiagnosticDescriptor FilterUnquotedValue = Rule(DiagnosticIds.FilterUnquotedValue, DiagnosticCategories.Usage, DiagnosticSeverity.Error,
            "Search filter value must be quoted", "Invalid search filter: {0}");

        /// <summary>QTRK913: "Invalid search filter: {0}".</summary>
        public static readonly DiagnosticDescriptor FilterQuotedNumber = Rule(DiagnosticIds.FilterQuotedNumber, DiagnosticCategories.Usage, DiagnosticSeverity.Error,
            "Search filter value must not be quoted", "Invalid search filter: {0}");

        /// <summary>QTRK914: "Invalid search filter: {0}".</summary>
        public static readonly DiagnosticDescriptor FilterInNotAllowed = Rule(DiagnosticIds.FilterInNotAllowed, DiagnosticCategories.Usage, DiagnosticSeverity.Error,
            "IN is only for run_id", "Invalid search filter: {0}");

        /// <summary>QTRK915: "Invalid search filter: {0}".</summary>
        public static readonly DiagnosticDescriptor FilterInvalidIdentifier = Rule(DiagnosticIds.FilterInvalidIdentifier, DiagnosticCategories.Usage, DiagnosticSeverity.Error,
            "Search identifier is not valid", "Invalid search filter: {0}");

        /// <summary>QTRK916: "{0} '{1}' in the search filter is not known{2}".</summary>
        public static readonly DiagnosticDescriptor FilterUnknownKey = Rule(DiagnosticIds.FilterUnknownKey, DiagnosticCategories.Usage, DiagnosticSeverity.Warning,
            "Search key is not known", "{0} '{1}' in the search filter is not known{2}");

        /// <summary>QTRK917: "Invalid search filter: {0}".</summary>
        public static readonly DiagnosticDescriptor FilterInvalidComparator = Rule(DiagnosticIds.FilterInvalidComparator, DiagnosticCategories.Usage, DiagnosticSeverity.Error,
            "Comparator not valid for this key", "Invalid search filter: {0}");

        /// <summary>QTRK918: "Invalid order_by clause: {0}".</summary>
        public static readonly DiagnosticDescriptor OrderByInvalid = Rule(DiagnosticIds.OrderByInvalid, DiagnosticCategories.Usage, DiagnosticSeverity.Error,
            "order_by clause is not valid", "Invalid order_by clause: {0}");
    }
}
