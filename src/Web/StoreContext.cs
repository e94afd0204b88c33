using Qlib.Tracked.Entities;
using Qlib.Tracked.Stores;

namespace Qlib.Tracked.Web;

/// <summary>The one store the app serves, with the options it was started with and the path redactor.</summary>
internal sealed class StoreContext
{
    private readonly object _warningsLock = new();
    private readonly Queue<StoreWarning> _recentWarnings = new();

    public StoreContext(WebOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrWhiteSpace(options.StorePath);
        Options = options;
        var root = TrackingUri.ToLocalPath(options.StorePath);
        // Opening a FileStore on a missing folder would create an empty store; a UI pointed at a typo
        // should say so instead.
        if (!Directory.Exists(root))
            throw TrackingException.DoesNotExist($"The store folder '{options.StorePath}' does not exist.");
        Root = root;
        Store = new FileStore(root);
        Redactor = new PathRedactor(root);
        Store.Warning += Remember;
    }

    public WebOptions Options { get; }
    public string Root { get; }
    public ITrackingStore Store { get; }
    public PathRedactor Redactor { get; }

    /// <summary>The last warnings the store raised (corrupt or foreign files it skipped), newest last.</summary>
    public IReadOnlyList<StoreWarning> RecentWarnings
    {
        get { lock (_warningsLock) return [.. _recentWarnings]; }
    }

    private void Remember(StoreWarning warning)
    {
        lock (_warningsLock)
        {
            _recentWarnings.Enqueue(warning);
            while (_recentWarnings.Count > 50) _recentWarnings.Dequeue();
        }
    }
}
