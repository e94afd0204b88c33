using System.Security.Cryptography;
using Qlib.Tracked.Artifacts;
using Qlib.Tracked.Stores;
using Qlib.Tracked.Stores.Rest;

namespace Qlib.Tracked.Tests.Stores.Rest;

/// <summary>
/// Artifacts of runs on a tracking server with <c>--serve-artifacts</c> (mlflow-artifacts:/ URIs), through the test
/// server's artifact proxy over real HTTP: objects saved and loaded, folders logged and downloaded, big files streamed
/// both ways without being held in memory, and artifact URIs of other schemes refused with what to do.
/// </summary>
public sealed class ProxiedArtifactTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly FileStore _backend;
    private readonly TestMlflowServer _server;
    private readonly RestStore _store;

    public ProxiedArtifactTests()
    {
        _backend = new FileStore(_temp.Combine("mlruns"), new FileStoreOptions { DefaultArtifactRoot = _temp.Combine("proxied") });
        _server = new TestMlflowServer(_backend, _temp.Combine("proxied"));
        _store = new RestStore(_server.Uri, new TrackingStoreOptions { Http = new RestClientSettings { MaxRetries = 0 } });
    }

    public void Dispose()
    {
        _store.Dispose();
        _server.Dispose();
        _backend.Dispose();
        _temp.Dispose();
    }

    private (string RunId, IArtifactRepository Repository) NewRun()
    {
        var run = _store.CreateRun("0", null, 1_700_000_000_000, null, "artifacts");
        Assert.StartsWith("mlflow-artifacts:/0/", run.Info.ArtifactUri);
        return (run.Info.RunId, _store.GetArtifactRepository(run.Info.RunId));
    }

    private string OnServer(string runId, string path) => _temp.Combine("proxied", "0", runId, "artifacts", path);

    [Fact]
    public void SaveObjectAndLoadObject_RoundTripThroughTheServer()
    {
        var (runId, repository) = NewRun();
        Assert.IsType<ProxiedArtifactRepository>(repository);
        ArtifactObjects.Save(repository, "pred/scores.txt", "0.1,0.2,0.3");
        Assert.Equal("0.1,0.2,0.3", File.ReadAllText(OnServer(runId, "pred/scores.txt")));
        Assert.Equal("0.1,0.2,0.3", ArtifactObjects.Load<string>(repository, "pred/scores.txt"));
        // A second repository for the run (a later process) reads the same.
        Assert.Equal("0.1,0.2,0.3", ArtifactObjects.Load<string>(_store.GetArtifactRepository(runId), "pred/scores.txt"));
        var missing = Assert.Throws<TrackingException>(() => ArtifactObjects.Load<string>(repository, "pred/scores"));
        Assert.Equal(ErrorCode.ResourceDoesNotExist, missing.Code);
        Assert.Contains("Did you mean 'pred/scores.txt'?", missing.Message);
    }

    [Fact]
    public void FoldersAreLoggedListedAndDownloaded_ByteForByte()
    {
        var (_, repository) = NewRun();
        var source = _temp.Combine("report");
        Directory.CreateDirectory(Path.Combine(source, "nested"));
        File.WriteAllText(Path.Combine(source, "a.csv"), "x,y\n1,2\n");
        File.WriteAllBytes(Path.Combine(source, "nested", "b.bin"), [0, 1, 2, 255]);
        repository.LogArtifact(source, "portfolio");
        Assert.Equal(["portfolio"], repository.List().Select(e => e.Path));
        Assert.Equal([("portfolio/a.csv", false, (long?)8), ("portfolio/nested", true, null)],
            repository.List("portfolio").Select(e => (e.Path, e.IsDir, e.FileSize)));
        Assert.True(repository.Exists("portfolio/nested/b.bin"));
        Assert.False(repository.Exists("portfolio/nested/c.bin"));
        var downloaded = repository.Download("portfolio", _temp.Combine("out"));
        Assert.Equal("x,y\n1,2\n", File.ReadAllText(Path.Combine(downloaded, "a.csv")));
        Assert.Equal(new byte[] { 0, 1, 2, 255 }, File.ReadAllBytes(Path.Combine(downloaded, "nested", "b.bin")));
        Assert.Null(repository.GetLocalPath("portfolio/a.csv"));
    }

    [Fact]
    public void AnAbortedWrite_UploadsNothing_AndBadPathsAreRefusedBeforeAnythingIsSent()
    {
        var (runId, repository) = NewRun();
        ArtifactObjects.Save(repository, "model.txt", "v1");
        var stream = repository.OpenWrite("model.txt");
        stream.Write("v2-half"u8);
        ((IAbortableWriteStream)stream).Abort();
        stream.Dispose();
        Assert.Equal("v1", File.ReadAllText(OnServer(runId, "model.txt")));

        var before = _server.Requests.Values.Sum();
        foreach (var bad in new[] { "../escape.txt", "/abs.txt", "a\\b.txt" })
            Assert.Equal(ErrorCode.InvalidParameterValue, Assert.ThrowsAny<TrackingException>(() => repository.Write(bad, "x"u8)).Code);
        Assert.Equal(before, _server.Requests.Values.Sum());
        Assert.Equal(ErrorCode.ResourceDoesNotExist, Assert.ThrowsAny<TrackingException>(() => repository.OpenRead("nothing.txt").Dispose()).Code);
    }

    [Fact]
    public void AMissingArtifact_WhichMlflowsProxyAnswersWith500_IsReportedAtOnceNotRetried()
    {
        using var patient = new RestStore(_server.Uri, new TrackingStoreOptions { Http = new RestClientSettings { MaxRetries = 5, BackoffFactor = 2 } });
        var run = patient.CreateRun("0", null, 1, null, "r");
        var repository = patient.GetArtifactRepository(run.Info.RunId);
        ArtifactObjects.Save(repository, "folder/present.txt", "here");
        var started = System.Diagnostics.Stopwatch.StartNew();
        var e = Assert.ThrowsAny<TrackingException>(() => repository.OpenRead("folder/absent.txt").Dispose());
        Assert.Equal(ErrorCode.ResourceDoesNotExist, e.Code);
        Assert.Contains("'folder/absent.txt' does not exist", e.Message);
        Assert.Equal(ErrorCode.InvalidParameterValue, Assert.ThrowsAny<TrackingException>(() => repository.OpenRead("folder").Dispose()).Code);
        // Retrying the 500 would have waited 4 + 8 + 16 + 32 s.
        Assert.True(started.Elapsed < TimeSpan.FromSeconds(3), $"took {started.Elapsed}");
    }

    [Fact]
    public void ABigArtifact_IsStreamedBothWays_NotHeldInMemory()
    {
        const int size = 48 << 20;
        var (runId, repository) = NewRun();
        var chunk = new byte[1 << 20];
        new Random(7).NextBytes(chunk);
        using var expectedHash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        using (var upload = repository.OpenWrite("big.bin"))
        {
            for (var written = 0; written < size; written += chunk.Length)
            {
                chunk[0] = (byte)written;
                upload.Write(chunk);
                expectedHash.AppendData(chunk);
            }
        }
        using var actualHash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        long read = 0;
        using (var download = repository.OpenRead("big.bin"))
        {
            int n;
            while ((n = download.Read(chunk)) > 0)
            {
                actualHash.AppendData(chunk.AsSpan(0, n));
                read += n;
            }
        }
        var allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;
        Assert.Equal(size, read);
        Assert.Equal(size, new FileInfo(OnServer(runId, "big.bin")).Length);
        Assert.Equal(expectedHash.GetHashAndReset(), actualHash.GetHashAndReset());
        // Buffers of a few hundred KB come and go; holding the artifact would allocate its size at least once.
        Assert.True(allocated < size / 4, $"{allocated:N0} bytes allocated to move {size:N0}");
    }

    [Fact]
    public void ArtifactUris_PickTheirRepositoryByScheme_AndUnsupportedOnesSayWhatToDo()
    {
        string Local(string location) => TrackingUri.ToLocalPath(location);
        Assert.IsType<LocalArtifactRepository>(ArtifactRepositoryRegistry.Open("Run 'r'", _temp.Path, Local, null));
        Assert.IsType<LocalArtifactRepository>(ArtifactRepositoryRegistry.Open("Run 'r'", TrackingUri.FromLocalPath(_temp.Path), Local, null));
        using var client = new MlflowHttpClient(RestEndpoint.Parse(_server.Uri), new RestClientSettings());
        Assert.IsType<ProxiedArtifactRepository>(ArtifactRepositoryRegistry.Open("Run 'r'", "mlflow-artifacts:/0/r/artifacts", Local, _ => client));
        Assert.IsType<ProxiedArtifactRepository>(ArtifactRepositoryRegistry.Open("Run 'r'", _server.Uri + "/api/2.0/mlflow-artifacts/artifacts/0/r/artifacts", Local, _ => client));

        var s3 = Assert.Throws<TrackingException>(() => ArtifactRepositoryRegistry.Open("Run 'r'", "s3://bucket/0/r/artifacts", Local, _ => client));
        Assert.Equal(ErrorCode.NotImplemented, s3.Code);
        Assert.Contains("'s3:' is not supported", s3.Message);
        Assert.Contains("--serve-artifacts", s3.Message);
        var plainHttp = Assert.Throws<TrackingException>(() => ArtifactRepositoryRegistry.Open("Run 'r'", "https://files.example/r", Local, _ => client));
        Assert.Equal(ErrorCode.NotImplemented, plainHttp.Code);
        var noServer = Assert.Throws<TrackingException>(() => ArtifactRepositoryRegistry.Open("Run 'r'", "mlflow-artifacts:/0/r/artifacts", Local, null));
        Assert.Contains("only a tracking server can reach", noServer.Message);
    }

    [Fact]
    public void ALocalArtifactLocation_ThisMachineCannotReach_IsRefused()
    {
        using var backend = new FileStore(_temp.Combine("other"), new FileStoreOptions { DefaultArtifactRoot = "/nonexistent-qtrk/deep/root" });
        using var server = new TestMlflowServer(backend, _temp.Combine("unused"), proxyArtifacts: false);
        using var store = new RestStore(server.Uri, new TrackingStoreOptions { Http = new RestClientSettings { MaxRetries = 0 } });
        var run = store.CreateRun(store.CreateExperiment("far"), null, 1, null, "r");
        Assert.StartsWith("/nonexistent-qtrk/deep/root/", run.Info.ArtifactUri.Replace("file://", ""));
        var e = Assert.Throws<TrackingException>(() => store.GetArtifactRepository(run.Info.RunId));
        Assert.Equal(ErrorCode.NotImplemented, e.Code);
        Assert.Contains("not reachable here", e.Message);
        Assert.Contains("--serve-artifacts", e.Message);
    }
}
