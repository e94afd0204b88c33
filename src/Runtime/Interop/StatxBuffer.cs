namespace Qlib.Tracked.Interop;

/// <summary>The parts of <c>struct statx</c> the runtime reads (<c>linux/stat.h</c>; one layout on every architecture).</summary>
internal static class StatxBuffer
{
    /// <summary>Bytes to reserve for one <c>struct statx</c> (256 in the kernel's headers).</summary>
    public const int Size = 256;

    /// <summary>Offsets of <c>stx_mode</c> (u16), <c>stx_size</c> (u64) and <c>stx_mtime</c> (a statx_timestamp: i64 seconds, u32 nanoseconds).</summary>
    public const int ModeOffset = 28, SizeOffset = 40, MtimeOffset = 112;

    /// <summary><c>stx_mask</c> bits to ask for: the file type, the modification time, the size.</summary>
    public const uint Type = 0x1, Mtime = 0x40, FileSize = 0x200;

    /// <summary><c>S_IFMT</c> and the two file types a store holds (<c>S_IFREG</c>, <c>S_IFDIR</c>).</summary>
    public const int TypeMask = 0xF000, RegularFile = 0x8000, Directory = 0x4000;
}
