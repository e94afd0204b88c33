namespace Qlib.Tracked.Interop;

/// <summary>The parts of <c>struct statx</c> the runtime reads (<c>linux/stat.h</c>; one layout on every architecture).</summary>
internal static class StatxBuffer
{
    /// <summary>Bytes to reserve for one <c>struct statx</c> (256 in the kernel's headers).</summary>
    public const int Size = 256;

    /// <summary>Offset of <c>stx_mode</c> (u16).</summary>
    public const int ModeOffset = 28;

    /// <summary>The <c>stx_mask</c> bit asking for the file type.</summary>
    public const uint Type = 0x1;

    /// <summary><c>S_IFMT</c> and the two file types a store holds (<c>S_IFREG</c>, <c>S_IFDIR</c>).</summary>
    public const int TypeMask = 0xF000, RegularFile = 0x8000, Directory = 0x4000;
}
