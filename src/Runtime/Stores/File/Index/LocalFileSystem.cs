using Qlib.Tracked.Interop;

namespace Qlib.Tracked.Stores.FileBacked.Index;

/// <summary>
/// Whether a folder lives on a file system whose every writer raises inotify events, i.e. a local one. On a
/// network or user-space file system a write made by another machine (or by the FUSE server itself) changes the
/// files without any event here, so watching there would answer stale: such folders are verified by stats.
/// </summary>
/// <remarks>
/// Refused (<c>statfs</c> <c>f_type</c> magic numbers from Linux's <c>magic.h</c> and the file systems' sources):
/// NFS 0x6969, SMB 0x517B, SMB2 0xFE534D42, CIFS 0xFF534D42, FUSE (sshfs, s3fs, gcsfuse, rclone…) 0x65735546,
/// 9p (WSL2's Windows drives, VM shares) 0x01021997, Ceph 0x00C36400, Coda 0x73757245, AFS 0x5346414F and
/// 0x6B414653, NCP 0x564C, OCFS2 0x7461636F, GFS2 0x01161970, Lustre 0x0BD00BD0, GPFS 0x47504653, VirtualBox shared
/// folders 0x786F4256, Hyper-V/Plan 9 (v9fs is 9p) and any folder <c>statfs</c> fails on. Everything else (ext4, xfs,
/// btrfs, tmpfs, overlayfs, zfs…) counts as local.
/// </remarks>
internal static class LocalFileSystem
{
    private static readonly HashSet<long> Remote =
    [
        0x6969, 0x517B, 0xFE534D42, 0xFF534D42, 0x65735546, 0x01021997, 0x00C36400, 0x73757245, 0x5346414F,
        0x6B414653, 0x564C, 0x7461636F, 0x01161970, 0x0BD00BD0, 0x47504653, 0x786F4256,
    ];

    /// <summary>True when <paramref name="folder"/> is on a local file system (Linux only; false elsewhere, when unknown or when <see cref="NativeCalls.ForcePortable"/>).</summary>
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
