using Qlib.Tracked.Artifacts;
using Qlib.Tracked.Compare;
using Qlib.Tracked.Entities;
using Qlib.Tracked.Stores;
using Qlib.Tracked.TestCorpus;
using Qlib.Tracked.Client;

namespace Qlib.Tracked.Tests.Artifacts;

/// <summary>
/// A run's artifact root itself (not only links inside it) must lie inside the store's artifact roots: every
/// runtime route that reads artifacts refuses the crafted runs of <see cref="EscapingArtifactStore"/> with a typed
/// error naming the run and the location, and never returns the secret.
/// </summary>
public sealed class ArtifactRootConfinementTests : IDisposable
{
    private readonly EscapingArtifactStore _corpus = new();

    public void Dispose() => _corpus.Dispose();

    public static TheoryData<string> Escapes() =>
    [
        "artifacts folder is a symlink", "file:// URI outside", "plain path outside", "dot-dot out of the store",
        "percent-encoded dot-dot", "run folder is a symlink", "file: URI naming a remote host",
        "experiment location outside, not configured",
    ];

    [Theory]
    [MemberData(nameof(Escapes))]
    public void Store_RefusesTheRepository_NamingRunAndLocation(string escape)
    {
        var runId = _corpus.EscapingRuns[escape];
        var store = new FileStore(_corpus.Root);
        var error = Assert.Throws<ArtifactLocationNotAllowedException>(() => store.GetArtifactRepository(runId));
        Assert.Equal(ErrorCode.PermissionDenied, error.Code);
        Assert.Equal("PERMISSION_DENIED", error.MlflowErrorCode);
        Assert.Contains($"Run '{runId}'", error.Message);
        Assert.Contains(store.GetRun(runId).Info.ArtifactUri, error.Message);
        Assert.Contains("--artifact-root", error.Message);
    }

    [Theory]
    [MemberData(nameof(Escapes))]
    public void ClientAndRecorder_NeverReturnTheSecret(string escape)
    {
        var runId = _corpus.EscapingRuns[escape];
        var client = new TrackingClient(TrackingStoreRegistry.Open(_corpus.Root));
        Assert.Throws<ArtifactLocationNotAllowedException>(() => client.ListArtifacts(runId));
        var destination = Path.Combine(_corpus.Folder, "download-" + Guid.NewGuid().ToString("N"));
        Assert.Throws<ArtifactLocationNotAllowedException>(() => client.DownloadArtifacts(runId, EscapingArtifactStore.SecretName, destination));
        Assert.False(Directory.Exists(destination));

        var manager = new ExperimentManager(TrackingUri.FromLocalPath(_corpus.Root), options: new RecorderOptions { CaptureSource = false });
        var recorder = manager.GetExp(experimentId: client.Store.GetRun(runId).Info.ExperimentId).GetRecorder(recorderId: runId, create: false);
        Assert.Throws<ArtifactLocationNotAllowedException>(() => recorder.LoadObject<string>(EscapingArtifactStore.SecretName));
        Assert.Throws<ArtifactLocationNotAllowedException>(() => recorder.ListArtifacts());
    }

    [Fact]
    public void PredictionComparison_RefusesAnEscapingRun()
    {
        var store = new FileStore(_corpus.Root);
        var runId = _corpus.EscapingRuns["file:// URI outside"];
        Assert.Throws<ArtifactLocationNotAllowedException>(() => PredictionCorrelator.HasPredictions(store, runId));
    }

    [Fact]
    public void OrdinaryRuns_KeepWorking_AndAConfiguredRootIsServed()
    {
        var store = new FileStore(_corpus.Root);
        Assert.Equal("fine", Text(store.GetArtifactRepository(_corpus.InsideRunId), "inside.txt"));

        var configured = TrackingStoreRegistry.Open(_corpus.Root, new TrackingStoreOptions { ArtifactRoots = [_corpus.ExternalLocation] });
        Assert.Equal("external model", Text(configured.GetArtifactRepository(_corpus.ExternalRunId), "model.txt"));
        // Allowing one folder allows nothing else.
        Assert.Throws<ArtifactLocationNotAllowedException>(() => configured.GetArtifactRepository(_corpus.EscapingRuns["file:// URI outside"]));

        var manager = new ExperimentManager(TrackingUri.FromLocalPath(_corpus.Root), options: new RecorderOptions
        {
            CaptureSource = false,
            StoreOptions = new TrackingStoreOptions { ArtifactRoots = [TrackingUri.FromLocalPath(_corpus.ExternalLocation)] },
        });
        var recorder = manager.GetExp(experimentId: _corpus.ExternalExperimentId).GetRecorder(recorderId: _corpus.ExternalRunId, create: false);
        Assert.Equal("external model", recorder.LoadObject<string>("model.txt"));
    }

    [Fact]
    public void AStoreOpenedThroughASymlinkedPath_ServesItsOwnRuns()
    {
        var alias = Path.Combine(_corpus.Folder, "alias-of-mlruns");
        Directory.CreateSymbolicLink(alias, _corpus.Root);
        var store = new FileStore(alias);
        Assert.Equal("fine", Text(store.GetArtifactRepository(_corpus.InsideRunId), "inside.txt"));
        Assert.Throws<ArtifactLocationNotAllowedException>(() => store.GetArtifactRepository(_corpus.EscapingRuns["artifacts folder is a symlink"]));
    }

    [Fact]
    public void CreateExperiment_WithALocationOutsideTheRoots_IsRefusedBeforeAnythingIsWritten()
    {
        var store = new FileStore(_corpus.Root);
        var before = Directory.GetDirectories(_corpus.Root).Length;
        var error = Assert.Throws<ArtifactLocationNotAllowedException>(() => store.CreateExperiment("exfiltrate", _corpus.Outside));
        Assert.Contains("Experiment 'exfiltrate'", error.Message);
        Assert.Contains(_corpus.Outside, error.Message);
        Assert.Equal(before, Directory.GetDirectories(_corpus.Root).Length);
        Assert.Null(store.GetExperimentByName("exfiltrate"));

        // Inside the store, and anything that is not a local folder (recorded as MLflow records it), is fine.
        store.CreateExperiment("inside", Path.Combine(_corpus.Root, "shared-artifacts"));
        var s3 = store.CreateExperiment("s3", "s3://bucket/prefix");
        var run = store.CreateRun(s3, "u", 1, [], "r").Info.RunId;
        Assert.Equal(ErrorCode.NotImplemented, Assert.Throws<TrackingException>(() => store.GetArtifactRepository(run)).Code);
    }

    private static string Text(IArtifactRepository repository, string path)
    {
        using var reader = new StreamReader(repository.OpenRead(path));
        return reader.ReadToEnd();
    }
}
