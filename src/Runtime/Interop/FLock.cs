using System.Runtime.InteropServices;

namespace Qlib.Tracked.Interop;

/// <summary><c>struct flock</c> of 64-bit Linux (x86-64, AArch64): offsets are 64-bit.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct FLock
{
    public short Type;
    public short Whence;
    public long Start;
    public long Length;
    public int Pid; // 0: required for open-file-description locks
}
