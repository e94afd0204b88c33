namespace Qlib.Tracked.Stores.Rest;

/// <summary>Whether sending a request twice can change what the server stores.</summary>
public enum RetrySafety
{
    /// <summary>
    /// Reads, and writes whose repetition stores nothing new: retried on connection failures, timeouts, HTTP 408, 429
    /// and 5xx. <c>log-batch</c> counts as one: params and tags are set to the same value again, and a metric point sent
    /// twice is ignored by MLflow's SQL store (its primary key is the whole point), though a file-backed server would
    /// append it twice if the first attempt had landed and only its answer was lost.
    /// </summary>
    Idempotent,

    /// <summary>
    /// Creates (<c>runs/create</c>, <c>experiments/create</c>): retried only when the server cannot have acted — the
    /// connection was refused or the name did not resolve, or it answered 429 or 503.
    /// </summary>
    NotIdempotent,

    /// <summary>
    /// A download from MLflow's artifact proxy: as <see cref="Idempotent"/>, except that HTTP 500 is not retried —
    /// the proxy answers a missing file with 500 INTERNAL_ERROR, so the caller first checks the listing, and only
    /// then retries what really was a server error.
    /// </summary>
    ArtifactDownload,
}
