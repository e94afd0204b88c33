namespace Qlib.Tracked.Tool;

/// <summary>
/// qtrack's exit codes, following the dotnet tools' convention that 0 is success and non-zero a failure,
/// with usage mistakes told apart from failures so scripts can react differently.
/// </summary>
public static class ExitCodes
{
    /// <summary>The command did what was asked.</summary>
    public const int Success = 0;

    /// <summary>
    /// The command was well formed but could not be carried out: the store, an experiment or a run does
    /// not exist, a file could not be read or written.
    /// </summary>
    public const int Failure = 1;

    /// <summary>The command line itself is wrong: an unknown option, a bad value, an invalid filter or order-by.</summary>
    public const int UsageError = 2;

    /// <summary>
    /// The user pressed Ctrl+C and the command stopped early at a consistent point (128 + SIGINT, as
    /// shells and <c>dotnet</c> itself report an interrupted process).
    /// </summary>
    public const int Interrupted = 130;
}
