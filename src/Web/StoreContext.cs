using Qlib.Tracked.Entities;
using Qlib.Tracked.Stores;

namespace Qlib.Tracked.Web;

/// <summary>
/// The one store the app serves (any backend, opened from its URI through <see cref="TrackingStoreRegistry"/>), with
/// the options it was started with and the path redactor. Disposed of with the app, which closes the store.
/// </summary>
internal sealed class StoreContext : IDisposable
{
    private readonly object _warningsLock = new();
    private readonly Queue<StoreWarning> _recentWarnings = new();
    private int _warming;

    public StoreContext(WebOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrWhiteSpace(options.StorePath);
        Options = options;
        // Opening a missing folder or SQLite file would create an empty store; a UI pointed at a typo should say so instead.
        if (ExistingStore.Problem(options.StorePath) is { } problem)
            throw TrackingException.DoesNotExist($"No store at '{options.StorePath}': {problem}.");
        Store = TrackingStoreRegistry.Open(options.StorePath, new TrackingStoreOptions { ArtifactRoots = options.ArtifactRoots });
        Redactor = Initialise(options, Store);
    }

    /// <summary>
    /// Over a store already opened (<c>qtrack server</c>, which creates a missing store as MLflow's server does, and
    /// shares it with its tracking routes). The context owns it from here: disposing of the context disposes of it.
    /// </summary>
    public StoreContext(WebOptions options, ITrackingStore store)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(store);
        Options = options;
        Store = store;
        Redactor = Initialise(options, store);
    }

    private PathRedactor Initialise(WebOptions options, ITrackingStore store)
    {
        PathRedactor redactor;
        try
        {
            redactor = RedactorFor(options.StorePath, store);
        }
        catch
        {
            store.Dispose();
            throw;
        }
        store.Warning += Remember;
        return redactor;
    }

    /// <summary>
    /// A file store's folder is what answers show as <c>&lt;store&gt;</c>. A database store has two places on this
    /// machine: the database file (a SQLite store; a server's is not local) and the artifact root runs keep their files
    /// under, which answers show artifact locations relative to, as they are for a file store.
    /// </summary>
    private static PathRedactor RedactorFor(string uri, ITrackingStore store)
    {
        var local = ExistingStore.LocalData(uri);
        if (local is { Kind: "folder" } folder) return new PathRedactor(folder.Path);
        var artifactRoot = TrackingUri.GetScheme(store.DefaultArtifactRoot) == "file" ? TrackingUri.ToLocalPath(store.DefaultArtifactRoot) : null;
        string[] database = local is { } file ? [file.Path, store.TrackingUri, uri] : [store.TrackingUri, uri];
        return new PathRedactor(artifactRoot, database);
    }

    /// <summary>
    /// Counts every active experiment's runs once (what the experiments page asks first), which loads and checks
    /// the run indexes in the background. Failures are left to the requests that will meet them.
    /// </summary>
    public void WarmRunIndex(CancellationToken stopping)
    {
        Interlocked.Exchange(ref _warming, 1);
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
    public ITrackingStore Store { get; }
    public PathRedactor Redactor { get; }

    /// <summary>
    /// Closes the store. The warm-up may still be counting runs when the host stops (it only checks the stop signal
    /// between experiments), and a store must not be disposed of under a running query: wait for it first.
    /// </summary>
    public void Dispose()
    {
        if (Volatile.Read(ref _warming) != 0) WarmedUp.Task.Wait(TimeSpan.FromSeconds(30));
        Store.Dispose();
    }

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
