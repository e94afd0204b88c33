using Qlib.Tracked.Entities;

namespace Qlib.Tracked;

/// <summary>
/// The C# shape of Qlib's <c>with R.start(...) as exp:</c> block: an active experiment and its recorder,
/// ended when the scope is disposed.
/// </summary>
/// <remarks>
/// <para>C# cannot see, from <c>Dispose</c>, whether an exception is escaping the block, so the scope uses
/// <c>TransactionScope</c> semantics: call <see cref="Complete"/> as the last statement of the block.</para>
/// <list type="bullet">
/// <item>Disposed after <see cref="Complete"/> → the run ends <c>FINISHED</c>.</item>
/// <item>Disposed without <see cref="Complete"/> (an exception escaped, or the block returned early) → the run ends <c>FAILED</c>.</item>
/// </list>
/// <para><see cref="R.Run"/> and <see cref="R.RunAsync"/> call <see cref="Complete"/> for you and are the
/// recommended shape. Disposing waits for queued logging; if queued data could not be written the run is
/// recorded FAILED and the write error is thrown from <c>Dispose</c>.</para>
/// <code>
/// using (var scope = R.Start(experimentName: "demo"))
/// {
///     R.LogMetrics(("ic", 0.05));
///     scope.Complete();
/// }
/// </code>
/// </remarks>
public sealed class RunScope : IDisposable, IAsyncDisposable
{
    private readonly QlibRecorder _owner;
    private bool _completed;
    private bool _disposed;

    internal RunScope(QlibRecorder owner, Experiment experiment, Recorder recorder)
    {
        _owner = owner;
        Experiment = experiment;
        Recorder = recorder;
    }

    /// <summary>The active experiment (what Qlib's <c>with R.start() as exp</c> yields).</summary>
    public Experiment Experiment { get; }

    /// <summary>The recorder (run) this scope started or resumed.</summary>
    public Recorder Recorder { get; }

    /// <summary>Marks the block as having completed normally, so disposal ends the run FINISHED.</summary>
    public void Complete() => _completed = true;

    /// <summary>Ends the run: FINISHED after <see cref="Complete"/>, otherwise FAILED.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _owner.EndScope(this, _completed ? RunStatus.Finished : RunStatus.Failed);
    }

    /// <summary>As <see cref="Dispose"/>; the final flush runs off the caller's thread.</summary>
    public ValueTask DisposeAsync()
    {
        if (_disposed) return ValueTask.CompletedTask;
        return new ValueTask(Task.Run(Dispose));
    }
}
