namespace Qlib.Tracked.Artifacts;

/// <summary>
/// Runs Parquet.Net's async-only API behind our synchronous serializer interface.
/// </summary>
internal static class AsyncBridge
{
    /// <summary>
    /// Blocks on <paramref name="work"/> started on the thread pool. Task.Run matters: pool threads
    /// have no SynchronizationContext, so the awaits inside never try to resume on the caller's
    /// (blocked) thread, which is what deadlocks sync-over-async under a UI or legacy ASP.NET context.
    /// GetResult rethrows the original exception rather than an AggregateException.
    /// </summary>
    public static void Run(Func<Task> work) => Task.Run(work).GetAwaiter().GetResult();

    public static T Run<T>(Func<Task<T>> work) => Task.Run(work).GetAwaiter().GetResult();
}
