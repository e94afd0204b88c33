using Qlib.Tracked.Interop;
using Qlib.Tracked.Stores.FileBacked;

namespace Qlib.Tracked.Tests.Stores;

/// <summary>
/// The run index compares stamps it took with <see cref="FileInfo"/> (folder listings, older persisted indexes)
/// against stamps from its own <c>statx</c> call: both must say the same thing about the same path, or every
/// run would look changed (or worse, unchanged) after an upgrade.
/// </summary>
public sealed class FileStampTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void FileStamp_EqualsTheFileInfoStamp_ForFilesInNestedAndUnicodeFolders()
    {
        var run = _temp.Combine("run é🎉");
        Directory.CreateDirectory(Path.Combine(run, "metrics", "train"));
        File.WriteAllText(Path.Combine(run, "meta.yaml"), "artifact_uri: x\n");
        File.WriteAllText(Path.Combine(run, "metrics", "train", "loss"), "1 0.5 0\n1 0.25 1\n");
        File.SetLastWriteTimeUtc(Path.Combine(run, "meta.yaml"), new DateTime(2021, 3, 4, 5, 6, 7, DateTimeKind.Utc).AddTicks(1234567));

        var meta = FileStamp.OfFile(run, "", "meta.yaml");
        Assert.Equal(FileStamp.Of(new FileInfo(Path.Combine(run, "meta.yaml"))), meta);
        Assert.Equal(16, meta.Length);
        Assert.Equal(new DateTime(2021, 3, 4, 5, 6, 7, DateTimeKind.Utc).AddTicks(1234567).Ticks, meta.WriteTicks);

        var loss = FileStamp.OfFile(run, "metrics", "train/loss");
        Assert.Equal(FileStamp.Of(new FileInfo(Path.Combine(run, "metrics", "train", "loss"))), loss);
        Assert.Equal(FileStamp.Of(Path.Combine(run, "metrics", "train", "loss")), loss);
    }

    [Fact]
    public void FolderStamp_EqualsTheDirectoryInfoStamp_AndChangesWhenAnEntryIsAdded()
    {
        var run = _temp.Combine("run");
        var parameters = Path.Combine(run, "params");
        Directory.CreateDirectory(parameters);
        Directory.SetLastWriteTimeUtc(parameters, new DateTime(2020, 1, 1, 0, 0, 0, DateTimeKind.Utc));

        var before = FileStamp.OfFolder(run, "params");
        Assert.Equal(FileStamp.Of(new DirectoryInfo(parameters)), before);
        Assert.Equal(FileStamp.Of(new DirectoryInfo(run)), FileStamp.OfFolder(run));

        File.WriteAllText(Path.Combine(parameters, "lr"), "0.1");
        Assert.NotEqual(before, FileStamp.OfFolder(run, "params"));
    }

    [Fact]
    public void MissingPathsAndTheWrongKind_AreMissing_AsFileInfoSaysTheyDoNotExist()
    {
        var run = _temp.Combine("run");
        Directory.CreateDirectory(Path.Combine(run, "tags"));
        File.WriteAllText(Path.Combine(run, "meta.yaml"), "x");

        Assert.Equal(FileStamp.Missing, FileStamp.OfFile(run, "", "nope"));
        Assert.Equal(FileStamp.Missing, FileStamp.OfFile(run, "nofolder", "key"));
        Assert.Equal(FileStamp.Missing, FileStamp.OfFile(run, "meta.yaml", "key")); // a file used as a folder
        Assert.Equal(FileStamp.Missing, FileStamp.OfFile(run, "", "tags")); // a folder is not a file
        Assert.Equal(FileStamp.Missing, FileStamp.OfFolder(run, "meta.yaml")); // a file is not a folder
        Assert.Equal(FileStamp.Missing, FileStamp.OfFolder(run, "missing"));
        Assert.False(FileStamp.Of(new FileInfo(Path.Combine(run, "tags"))).Exists);
        Assert.False(FileStamp.Of(new DirectoryInfo(Path.Combine(run, "meta.yaml"))).Exists);
    }

    [Fact]
    public void FileStamp_SeesAnAppend_ByLength()
    {
        var file = _temp.Combine("score");
        File.WriteAllText(file, "1 0.5 0\n");
        File.SetLastWriteTimeUtc(file, new DateTime(2020, 1, 1, 0, 0, 0, DateTimeKind.Utc));
        var before = FileStamp.OfFile(_temp.Path, "", "score");
        File.AppendAllText(file, "2 0.6 1\n");
        File.SetLastWriteTimeUtc(file, new DateTime(2020, 1, 1, 0, 0, 0, DateTimeKind.Utc)); // same time, longer file
        var after = FileStamp.OfFile(_temp.Path, "", "score");
        Assert.NotEqual(before, after);
        Assert.Equal(16, after.Length);
    }

    [Fact]
    public void LinuxStat_IsUsedOnLinux()
    {
        if (!OperatingSystem.IsLinux()) return;
        var file = _temp.Combine("f");
        File.WriteAllText(file, "abc");
        Assert.True(LinuxStat.TryStat(_temp.Path, "", "f", out var exists, out var isDirectory, out _, out var length));
        Assert.True(exists);
        Assert.False(isDirectory);
        Assert.Equal(3, length);
    }
}
