using Qlib.Tracked.Entities;
using Qlib.Tracked.Stores;
using Qlib.Tracked.Client;

namespace Qlib.Tracked.Tests.Stores;

/// <summary>
/// Stores release their OS resources when disposed of, not when collected: the file store its inotify instance, the
/// SQL store its connections (so the SQLite file can be deleted at once); and whoever opened a store disposes of it.
/// </summary>
public sealed class StoreDisposalTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private static string? LinkOf(int fd)
    {
        try { return new FileInfo($"/proc/self/fd/{fd}").LinkTarget; }
        catch (IOException) { return null; }
    }

    /// <summary>How many of this process's file descriptors point at <paramref name="path"/> (its SQLite journal files included).</summary>
    internal static int OpenDescriptorsOf(string path) =>
        Directory.EnumerateFiles("/proc/self/fd").Count(fd =>
        {
            try { return new FileInfo(fd).LinkTarget is { } target && target.StartsWith(path, StringComparison.Ordinal); }
            catch (IOException) { return false; } // closed while listed
        });

    [Fact]
    public void A_disposed_file_store_closes_its_inotify_instance_and_refuses_further_searches()
    {
        if (!OperatingSystem.IsLinux()) return; // inotify is Linux's
        var root = _temp.Combine("mlruns");
        var store = new FileStore(root, new FileStoreOptions { RunIndexWatch = RunIndexWatch.Always });
        var experimentId = store.CreateExperiment("watched");
        var runId = store.CreateRun(experimentId, "u", 100, [], "r").Info.RunId;
        store.LogBatch(runId, [new Metric("m", 1, 1, 0)], [], []);
        RunIndexTestKit.Age(root);
        store.SearchRuns([experimentId], null, ViewType.ActiveOnly, 10, [], null);
        store.SearchRuns([experimentId], null, ViewType.ActiveOnly, 10, [], null);

        var fd = store.RunIndexWatchDescriptor();
        Assert.True(fd >= 0, "the store should be watching its runs before it is disposed of");
        Assert.Equal("anon_inode:inotify", LinkOf(fd));
        Assert.True(store.RunIndexCounters().Watches > 0);

        store.Dispose();

        Assert.Equal(-1, store.RunIndexWatchDescriptor());
        Assert.Equal(0, store.RunIndexCounters().Watches);
        Assert.Throws<ObjectDisposedException>(() => store.SearchRuns([experimentId], null, ViewType.ActiveOnly, 10, [], null));
        store.Dispose(); // twice is harmless
    }

    [Fact]
    public void A_disposed_file_store_unmaps_the_run_index_it_loaded()
    {
        if (!OperatingSystem.IsLinux()) return; // /proc/self/maps
        var root = _temp.Combine("mlruns");
        string experimentId;
        using (var writer = new FileStore(root))
        {
            experimentId = writer.CreateExperiment("indexed");
            for (var i = 0; i < 3; i++) writer.CreateRun(experimentId, "u", 100 + i, [], "r" + i);
            writer.SearchRuns([experimentId], null, ViewType.ActiveOnly, 10, [], null); // builds and saves the index
        }
        var indexFile = Path.Combine(root, experimentId, ".qtrk-run-index");
        Assert.True(File.Exists(indexFile), "the first search should have saved the run index");

        // Matched by folder, not by name: when the reader saves a newer index, the mapped old file is swapped out under
        // a temp name (and deleted), and /proc/self/maps shows that name.
        var experimentFolder = Path.Combine(root, experimentId) + "/";
        var reader = new FileStore(root);
        Assert.Equal(3, reader.SearchRuns([experimentId], null, ViewType.ActiveOnly, 10, [], null).Items.Count);
        Assert.Contains(experimentFolder, File.ReadAllText("/proc/self/maps"), StringComparison.Ordinal);
        reader.Dispose();
        Assert.DoesNotContain(experimentFolder, File.ReadAllText("/proc/self/maps"), StringComparison.Ordinal);
    }

    [Fact]
    public void A_disposed_sqlite_store_lets_its_database_file_be_deleted_and_reopened()
    {
        var database = _temp.Combine("mlflow.db");
        var uri = "sqlite:///" + database;
        var store = TrackingStoreRegistry.Open(uri, new TrackingStoreOptions { DefaultArtifactRoot = _temp.Combine("artifacts") });
        var experimentId = store.CreateExperiment("kept");
        if (OperatingSystem.IsLinux()) Assert.True(OpenDescriptorsOf(database) > 0, "an open store should hold its database file");
        store.Dispose();
        store.Dispose(); // twice is harmless
        Assert.Throws<ObjectDisposedException>(() => store.GetExperiment(experimentId));

        // No connection (pooled or not) still holds the file: no descriptor of this process points at it.
        if (OperatingSystem.IsLinux()) Assert.Equal(0, OpenDescriptorsOf(database));
        using (var reopened = TrackingStoreRegistry.Open(uri))
            Assert.Equal("kept", reopened.GetExperiment(experimentId).Name);
        File.Delete(database);
        Assert.False(File.Exists(database));
        using var fresh = TrackingStoreRegistry.Open(uri);
        Assert.Null(fresh.GetExperimentByName("kept"));
    }

    [Fact]
    public void A_client_disposes_of_the_store_it_opened_but_not_one_it_was_handed()
    {
        var uri = "sqlite:///" + _temp.Combine("client.db");
        var owned = new TrackingClient(uri, new TrackingStoreOptions { DefaultArtifactRoot = _temp.Combine("a") });
        owned.CreateExperiment("e");
        owned.Dispose();
        Assert.Throws<ObjectDisposedException>(() => owned.Store.GetExperimentByName("e"));

        using var store = TrackingStoreRegistry.Open(uri, new TrackingStoreOptions { DefaultArtifactRoot = _temp.Combine("a") });
        new TrackingClient(store).Dispose();
        Assert.Equal("e", store.GetExperimentByName("e")!.Name);
    }

    [Fact]
    public void An_experiment_manager_disposes_of_every_store_it_opened()
    {
        var uri = "sqlite:///" + _temp.Combine("manager.db");
        var manager = new ExperimentManager(uri, options: new RecorderOptions { StoreOptions = new TrackingStoreOptions { DefaultArtifactRoot = _temp.Combine("a") } });
        var store = manager.Client.Store;
        store.CreateExperiment("e");
        manager.Dispose();
        Assert.Throws<ObjectDisposedException>(() => store.GetExperimentByName("e"));
        // Used again, it opens the store afresh.
        Assert.Equal("e", manager.Client.Store.GetExperimentByName("e")!.Name);
        manager.Dispose();
    }
}
