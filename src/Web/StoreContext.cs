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
        Store = new FileStore(root, new FileStoreOptions { ArtifactRoots = options.ArtifactRoots });
        Redactor = new PathRedactor(root);
        Store.Warning += Remember;
    }

    /// <summary>
    /// Counts every active experiment's runs once (what the experiments page asks first), which loads and checks
    /// the run indexes in the background. Failures are left to the requests that will meet them.
    /// </summary>
    public void WarmRunIndex(CancellationToken stopping)
    {
        try
        {
            foreach (var experiment in Store.SearchExperiments(ViewType.ActiveOnly))
            {
                if (stopping.IsCancellationRequested) return;
                Store.CountRunsByStage(experiment.ExperimentId);
            }
        }
        catch (Exception e) when (e is TrackingException or IOException or UnauthorizedAccessException or ObjectDisposedException)
        {
            // Nothing to report here: the same failure, if it persists, is answered to the request that meets it.
        }
        finally
        {
            WarmedUp.TrySetResult();
        }
    }

    /// <summary>Completes when <see cref="WarmRunIndex"/> finished (tests wait on it instead of sleeping).</summary>
    internal TaskCompletionSource WarmedUp { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public WebOptions Options { get; }
    public string Root { get; }
    public ITrackingStore Store { get; }
    public PathRedactor Redactor { get; }

    /// <summary>The last warnings the store raised (corrupt or foreign files it skipped), newest last.</summary>
    public IReadOnlyList<StoreWarning> RecentWarnings
    {
        get { lock (_warningsLock) return [.. _recentWarnings]; }
    }

    /// <summary>
    /// Records a warning of the web layer (something left out of an answer) with the store's own, and returns it
    /// as an answer shows it (store root redacted).
    /// </summary>
    public string Warn(StoreWarning warning)
    {
        Remember(warning);
        return Redactor.Redact(warning.ToString());
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
