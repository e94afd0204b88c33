using Qlib.Tracked.Interop;

namespace Qlib.Tracked.Stores.FileBacked.Index;

/// <summary>
/// Whether a folder lives on a file system whose every writer raises inotify events, i.e. a local one. On a
/// network or user-space file system a write made by another machine (or by the FUSE server itself) changes the
/// files without any event here, so watching there would answer stale: such folders are verified by stats.
/// </summary>
internal static class LocalFileSystem
{
    // statfs f_type magic numbers (Linux's magic.h, the file systems' sources); anything else (ext4, xfs, btrfs, tmpfs,
    // overlayfs, zfs…) is local, and any folder statfs fails on is not.
    private static readonly HashSet<long> Remote =
    [
        0x6969 /* NFS */, 0x517B /* SMB */, 0xFE534D42 /* SMB2 */, 0xFF534D42 /* CIFS */, 0x65735546 /* FUSE */,
        0x01021997 /* 9p: WSL2 drives, VM shares */, 0x00C36400 /* Ceph */, 0x73757245 /* Coda */, 0x5346414F, 0x6B414653 /* AFS */,
        0x564C /* NCP */, 0x7461636F /* OCFS2 */, 0x01161970 /* GFS2 */, 0x0BD00BD0 /* Lustre */, 0x47504653 /* GPFS */, 0x786F4256 /* vboxsf */,
    ];

    /// <summary>False off Linux, when unknown, and under <see cref="NativeCalls.ForcePortable"/>.</summary>
    public static unsafe bool IsLocal(string folder)
    {
        if (!NativeCalls.Usable) return false;
        // struct statfs is 120 bytes on 64-bit Linux; f_type (a C long) comes first on every architecture.
        var buffer = stackalloc byte[256];
        int result;
        try { result = Libc.StatFs(folder, buffer); }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException) { return false; }
        if (result != 0) return false;
        long type = IntPtr.Size == 8 ? *(long*)buffer : *(int*)buffer;
        return !Remote.Contains(type & 0xFFFFFFFF);
    }
}
