namespace Qlib.Tracked.Generators
{
    /// <summary>Names of the tracked pipeline steps (<c>WithTrackingName</c>), which the incremental tests assert on.</summary>
    public static class TrackingNames
    {
        /// <summary>ForAttributeWithMetadataName + parse: one spec (or null) per [Tracked] declaration.</summary>
        public const string Parse = nameof(Parse);

        /// <summary>The non-null specs that drive per-type emission.</summary>
        public const string Specs = nameof(Specs);

        /// <summary>One registry entry per type (name, type, accessibility).</summary>
        public const string RegistryEntries = nameof(RegistryEntries);

        /// <summary>All registry entries, collected for the assembly's registry file.</summary>
        public const string Registry = nameof(Registry);

        public static readonly string[] All = { Parse, Specs, RegistryEntries, Registry };
    }
}
