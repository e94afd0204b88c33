namespace Qlib.Tracked.Interop;

/// <summary>The <c>errno</c> values the runtime tells apart (Linux's numbering, <c>asm-generic/errno-base.h</c>).</summary>
internal static class Errno
{
    public const int EPerm = 1, ENoEnt = 2, EIntr = 4, EAgain = 11, EAcces = 13, EExist = 17, ENotDir = 20, EIsDir = 21,
        EInval = 22, ENoSpc = 28, ENoSys = 38;
}
