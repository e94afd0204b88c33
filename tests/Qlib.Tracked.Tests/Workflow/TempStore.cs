using Qlib.Tracked.Stores;

namespace Qlib.Tracked.Tests.Workflow;

/// <summary>A fresh mlruns folder under the temp directory, deleted afterwards.</summary>
internal sealed class TempStore : IDisposable
{
    public TempStore()
    {
        Folder = Path.Combine(Path.GetTempPath(), "qtrk-api-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(Folder);
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

    public void Dispose()
    {
        try { MakeWritable(Folder); Directory.Delete(Folder, recursive: true); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }

    private static void MakeWritable(string folder)
    {
        if (OperatingSystem.IsWindows() || !Directory.Exists(folder)) return;
        foreach (var d in Directory.EnumerateDirectories(folder, "*", SearchOption.AllDirectories).Prepend(folder))
            File.SetUnixFileMode(d, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }
}
