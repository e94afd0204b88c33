using System.Runtime.CompilerServices;

namespace Qlib.Tracked.IntegrationTests;

/// <summary>A store path (<c>mlruns</c>, not yet created) in a fresh <see cref="TempDirectory"/>, removed when the test ends.</summary>
public sealed class TempStore : IDisposable
{
    private readonly TempDirectory _temp;

    public TempStore([CallerFilePath] string callerFile = "", [CallerMemberName] string caller = "")
    {
        _temp = new TempDirectory(null, callerFile, caller);
        Root = _temp.Combine("mlruns");
        Uri = "file:" + Root;
    }

    public string Root { get; }
    public string Uri { get; }

    public void Dispose() => _temp.Dispose();
}
