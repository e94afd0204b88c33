using Qlib.Tracked.Stores;

namespace Qlib.Tracked.Web;

/// <summary>How <see cref="QtrackWeb.CreateApp"/> serves a store.</summary>
public sealed record WebOptions
{
    /// <summary>The <c>mlruns</c> folder (or a <c>file:</c> URI of it). It must exist: the UI never creates a store.</summary>
    public required string StorePath { get; init; }

    /// <summary>
    /// Folders besides the store where runs may keep artifacts (<see cref="FileStoreOptions.ArtifactRoots"/>); a run
    /// whose artifacts lie anywhere else is answered with 403 PERMISSION_DENIED, never served.
    /// </summary>
    public IReadOnlyList<string> ArtifactRoots { get; init; } = [];

    /// <summary>
    /// The address to bind: an IP address of this machine or a name resolving to one (anything else is refused,
    /// see <see cref="Listening.ListenPlan"/>). Loopback by default: the UI shows whatever a run logged, so exposing
    /// it to a network is a decision the user makes explicitly, and is warned about.
    /// </summary>
    public string Host { get; init; } = "127.0.0.1";

    /// <summary>The port; 0 picks a free one (read it back from <see cref="QtrackWeb.GetListeningUrls"/>).</summary>
    public int Port { get; init; } = 5000;

    /// <summary>
    /// Full URLs to bind instead of <see cref="Host"/>/<see cref="Port"/> (e.g. <c>http://127.0.0.1:8080</c>).
    /// </summary>
    public IReadOnlyList<string>? Urls { get; init; }

    /// <summary>
    /// Enables the write endpoints (delete/restore run, rename experiment); read-only otherwise. Refused with a
    /// host beyond loopback, since the UI has no authentication.
    /// </summary>
    public bool AllowWrites { get; init; }

    /// <summary>Rows an artifact preview shows at most (Parquet rows, text lines).</summary>
    public int PreviewRows { get; init; } = 100;

    /// <summary>Bytes a text or JSON preview reads at most.</summary>
    public int PreviewBytes { get; init; } = 256 * 1024;
}
