using System.Runtime.InteropServices;

namespace Qlib.Tracked.Interop;

/// <summary>An inotify descriptor; closed (freeing every watch in the kernel) when its store is disposed of or collected.</summary>
internal sealed class InotifyHandle : SafeHandle
{
    public InotifyHandle(int fd) : base(-1, ownsHandle: true) => SetHandle(fd);

    public InotifyHandle() : base(-1, ownsHandle: true) { } // for the marshaller

    public override bool IsInvalid => handle == -1;

    protected override bool ReleaseHandle() => Libc.Close((int)handle) == 0;
}
