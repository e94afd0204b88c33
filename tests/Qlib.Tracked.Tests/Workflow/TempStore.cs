using System.Runtime.CompilerServices;
using Qlib.Tracked.Stores;

namespace Qlib.Tracked.Tests.Workflow;

/// <summary>A fresh mlruns folder under the temp directory, deleted afterwards.</summary>
internal sealed class TempStore : IDisposable
{
    private readonly TempDirectory _temp;

    public TempStore([CallerFilePath] string callerFile = "", [CallerMemberName] string caller = "")
    {
        _temp = new TempDirectory(null, callerFile, caller);
        Folder = _temp.Path;
        Root = Path.Combine(Folder, "mlruns");
        Uri = TrackingUri.FromLocalPath(Root);
    }

    public string Folder { get; }
    public string Root { get; }
    public string Uri { get; }

    /// <summary>Options most tests use: no git processes.</summary>
    public static RecorderOptions NoCapture { get; } = new() { CaptureSource = false };

    public ExperimentManager Manager(RecorderOptions? options = null) => new(Uri, options: options ?? NoCapture);

    public QlibRecorder Recorder(RecorderOptions? options = null) => new(Manager(options));

    public void Dispose() => _temp.Dispose();
}
