using System.Runtime.CompilerServices;

namespace Qlib.Tracked.TestSupport;

/// <summary>
/// The temp folder of every test project (linked into each): a fresh folder under the system temp folder named after
/// the test that made it — <c>qtrk-tests/&lt;TestClass&gt;.&lt;Test&gt;-&lt;12 hex&gt;</c>, so a leftover says whose it is —
/// deleted with everything in it on dispose, read-only folders included.
/// </summary>
public sealed class TempDirectory : IDisposable
{
    /// <summary>The folder every test's temp folder is made in.</summary>
    public static string Parent { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "qtrk-tests");

    /// <summary>Creates the folder; <paramref name="label"/> is added to its name (a test with several folders).</summary>
    /// <param name="label">Optional extra word for the folder name.</param>
    /// <param name="callerFile">Filled in by the compiler: the test class's file, which names the class.</param>
    /// <param name="caller">Filled in by the compiler: the test method (left out for a constructor or field initializer, i.e. a per-test fixture).</param>
    public TempDirectory(string? label = null, [CallerFilePath] string callerFile = "", [CallerMemberName] string caller = "")
    {
        var name = System.IO.Path.GetFileNameWithoutExtension(callerFile);
        // A constructor (".ctor") or a field initializer ("_temp") is a per-test fixture: the class names it.
        if (caller.Length > 0 && caller[0] is not ('.' or '_')) name += "." + caller;
        if (label is not null) name += "." + label;
        Path = System.IO.Path.Combine(Parent, $"{name}-{Guid.NewGuid().ToString("N")[..12]}");
        Directory.CreateDirectory(Path);
    }

    /// <summary>The folder's full path.</summary>
    public string Path { get; }

    /// <summary>A path inside the folder.</summary>
    public string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    /// <summary>
    /// A copy of the store real MLflow 2.12 wrote (the test output's <c>Fixtures/mlflow-filestore-reference/mlruns</c>)
    /// at <c>&lt;this folder&gt;/mlruns</c>; fixtures are never used in place, so tests cannot change them.
    /// </summary>
    public string CopyMlflowFixture()
    {
        var root = Combine("mlruns");
        CopyTree(System.IO.Path.Combine(AppContext.BaseDirectory, "Fixtures", "mlflow-filestore-reference", "mlruns"), root);
        return root;
    }

    /// <summary>Copies a folder tree, symlinks re-created as links.</summary>
    public static void CopyTree(string source, string destination)
    {
        Directory.CreateDirectory(destination);
        foreach (var entry in new DirectoryInfo(source).EnumerateFileSystemInfos())
        {
            var target = System.IO.Path.Combine(destination, entry.Name);
            if (entry.LinkTarget is { } link)
            {
                if (entry is DirectoryInfo) Directory.CreateSymbolicLink(target, link);
                else File.CreateSymbolicLink(target, link);
            }
            else if (entry is DirectoryInfo) CopyTree(entry.FullName, target);
            else File.Copy(entry.FullName, target);
        }
    }

    /// <summary>Deletes the folder; a test that made part of it read-only (permission tests) does not leave it behind.</summary>
    public void Dispose()
    {
        try
        {
            MakeWritable(Path);
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }

    private static void MakeWritable(string folder)
    {
        if (OperatingSystem.IsWindows() || !Directory.Exists(folder)) return;
        var options = new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = FileAttributes.ReparsePoint, IgnoreInaccessible = false };
        foreach (var d in Directory.EnumerateDirectories(folder, "*", options).Prepend(folder))
            File.SetUnixFileMode(d, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }
}
