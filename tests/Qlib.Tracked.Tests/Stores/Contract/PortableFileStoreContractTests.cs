using Qlib.Tracked.Artifacts;
using Qlib.Tracked.Interop;
using Qlib.Tracked.Stores;
using Qlib.Tracked.Stores.FileBacked;
using Qlib.Tracked.Stores.FileBacked.Index;

namespace Qlib.Tracked.Tests.Stores.Contract;

/// <summary>
/// Holds <see cref="NativeCalls.ForcePortable"/> on while its collection runs. The collection runs alone (no other
/// test class at the same time), so nothing else sees the switch.
/// </summary>
public sealed class PortablePaths : IDisposable
{
    public PortablePaths() => NativeCalls.ForcePortable = true;

    public void Dispose() => NativeCalls.ForcePortable = false;
}

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class PortablePathsCollection : ICollectionFixture<PortablePaths>
{
    public const string Name = "portable fallbacks";
}

/// <summary>
/// The file store's contract with every Linux system call switched off: appends through .NET's FileStream and its
/// region lock, writes and renames through File, stats through FileInfo, no inotify (the index verifies by stats), the
/// index read into memory instead of mapped — the paths macOS and Windows take, run here so they are not untested.
/// </summary>
[Collection(PortablePathsCollection.Name)]
public sealed class PortableFileStoreContractTests : StoreContractTests
{
    protected override bool IsSql => false;

    protected override ITrackingStore OpenStore() =>
        TrackingStoreRegistry.Open(Temp.Combine("mlruns"), new TrackingStoreOptions { DefaultArtifactRoot = ArtifactRoot });

    [Fact]
    public void ForcePortable_TurnsEveryNativePathOff()
    {
        Assert.False(NativeCalls.Usable);
        Assert.False(LinuxAppend.IsSupported);
        Assert.False(LinuxWrite.IsSupported);
        Assert.False(LinuxStat.TryStat(Temp.Path, "", "", out _, out _, out _, out _));
        Assert.Null(Inotify.TryCreate());
        Assert.False(LocalFileSystem.IsLocal(Temp.Path));
        Assert.False(LargeArrays.AdviseHugePages(new double[1 << 20]));
    }
}
