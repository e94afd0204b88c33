using Qlib.Tracked.Artifacts;

namespace Qlib.Tracked.Tests.Artifacts;

public class LocalArtifactRepositoryTests
{
    private static LocalArtifactRepository Repo(TempDir dir) => new("file://" + dir.Root, dir.Root);

    [Theory]
    [InlineData("../x")]
    [InlineData("/etc/passwd")]
    [InlineData("a/../../x")]
    [InlineData("..")]
    [InlineData("a\\..\\..\\x")]
    [InlineData("a\\b")]
    public void Write_PathLeavingRoot_IsRejectedAndNothingWritten(string path)
    {
        using var dir = new TempDir();
        var before = dir.AllFiles();
        var e = Assert.Throws<TrackingException>(() => Repo(dir).Write(path, "x"u8));
        Assert.Equal(ErrorCode.InvalidParameterValue, e.Code);
        Assert.Contains(path, e.Message);
        Assert.Equal(before, dir.AllFiles());
        Assert.False(Directory.Exists(dir.Root)); // nothing created, not even the root
    }

    [Theory]
    [InlineData("../outside/secret.txt")]
    [InlineData("/etc/passwd")]
    public void ReadOperations_PathLeavingRoot_AreRejected(string path)
    {
        using var dir = new TempDir();
        var repo = Repo(dir);
        Assert.Equal(ErrorCode.InvalidParameterValue, Assert.Throws<TrackingException>(() => repo.OpenRead(path)).Code);
        Assert.Equal(ErrorCode.InvalidParameterValue, Assert.Throws<TrackingException>(() => repo.Exists(path)).Code);
        Assert.Equal(ErrorCode.InvalidParameterValue, Assert.Throws<TrackingException>(() => repo.List(path)).Code);
        Assert.Equal(ErrorCode.InvalidParameterValue, Assert.Throws<TrackingException>(() => repo.Download(path)).Code);
        Assert.Equal(ErrorCode.InvalidParameterValue, Assert.Throws<TrackingException>(() => repo.LogArtifact(Path.Combine(dir.Outside, "secret.txt"), path)).Code);
    }

    [Fact]
    public void DotDotInsideRoot_IsNormalised()
    {
        using var dir = new TempDir();
        var repo = Repo(dir);
        repo.Write("a/../b.txt", "hi"u8);
        Assert.True(File.Exists(Path.Combine(dir.Root, "b.txt")));
        Assert.True(repo.Exists("./b.txt"));
    }

    [Fact]
    public void SymlinkedFilePointingOutside_IsRejectedForReadAndWrite()
    {
        using var dir = new TempDir();
        Directory.CreateDirectory(dir.Root);
        var secret = Path.Combine(dir.Outside, "secret.txt");
        File.CreateSymbolicLink(Path.Combine(dir.Root, "link.txt"), secret);
        var repo = Repo(dir);

        var e = Assert.Throws<TrackingException>(() => repo.Write("link.txt", "overwritten"u8));
        Assert.Equal(ErrorCode.InvalidParameterValue, e.Code);
        Assert.Contains("link.txt", e.Message);
        Assert.Throws<TrackingException>(() => repo.OpenRead("link.txt"));
        Assert.Equal("secret", File.ReadAllText(secret));
        Assert.DoesNotContain(repo.List(), a => a.Path == "link.txt"); // not advertised either
    }

    [Fact]
    public void SymlinkedDirectoryPointingOutside_IsRejectedAndNothingWrittenOutside()
    {
        using var dir = new TempDir();
        Directory.CreateDirectory(dir.Root);
        Directory.CreateSymbolicLink(Path.Combine(dir.Root, "sub"), dir.Outside);
        var repo = Repo(dir);
        var before = Directory.GetFiles(dir.Outside);

        var e = Assert.Throws<TrackingException>(() => repo.Write("sub/new.txt", "x"u8));
        Assert.Equal(ErrorCode.InvalidParameterValue, e.Code);
        Assert.Throws<TrackingException>(() => repo.OpenRead("sub/secret.txt"));
        Assert.Throws<TrackingException>(() => repo.List("sub"));
        Assert.Throws<TrackingException>(() => repo.LogArtifact(Path.Combine(dir.Outside, "secret.txt"), "sub"));
        Assert.Equal(before, Directory.GetFiles(dir.Outside));
    }

    [Fact]
    public void SymlinkInsideRoot_IsAllowed()
    {
        using var dir = new TempDir();
        var repo = Repo(dir);
        repo.Write("real/a.txt", "in"u8);
        Directory.CreateSymbolicLink(Path.Combine(dir.Root, "alias"), Path.Combine(dir.Root, "real"));
        using var reader = new StreamReader(repo.OpenRead("alias/a.txt"));
        Assert.Equal("in", reader.ReadToEnd());
    }

    [Fact]
    public void Download_FolderContainingOutsideLink_IsRejected()
    {
        using var dir = new TempDir();
        var repo = Repo(dir);
        repo.Write("folder/ok.txt", "ok"u8);
        File.CreateSymbolicLink(Path.Combine(dir.Root, "folder", "leak.txt"), Path.Combine(dir.Outside, "secret.txt"));
        var e = Assert.Throws<TrackingException>(() => repo.Download("folder", Path.Combine(dir.Path, "dl")));
        Assert.Contains("leak.txt", e.Message);
    }

    [Fact]
    public void List_IsOneLevelWithMlflowShape()
    {
        using var dir = new TempDir();
        var repo = Repo(dir);
        repo.Write("pred.pkl", new byte[10]);
        repo.Write("portfolio_analysis/report_normal_1day.pkl", new byte[7]);
        repo.Write("portfolio_analysis/positions_normal_1day.pkl", new byte[3]);
        repo.Write("portfolio_analysis/deep/x.bin", new byte[1]);
        repo.Write("code_diff.txt", "d"u8);

        Assert.Equal(
            [
                new("code_diff.txt", false, 1),
                new("portfolio_analysis", true, null),
                new("pred.pkl", false, 10),
            ],
            repo.List());
        Assert.Equal(
            [
                new("portfolio_analysis/deep", true, null),
                new("portfolio_analysis/positions_normal_1day.pkl", false, 3),
                new("portfolio_analysis/report_normal_1day.pkl", false, 7),
            ],
            repo.List("portfolio_analysis"));
        Assert.Equal(repo.List("portfolio_analysis"), repo.List("portfolio_analysis/"));
    }

    [Fact]
    public void List_MissingFolderOrFile_IsEmpty()
    {
        using var dir = new TempDir();
        var repo = Repo(dir);
        Assert.Empty(repo.List());
        Assert.Empty(repo.List("nope"));
        repo.Write("f.txt", "x"u8);
        Assert.Empty(repo.List("f.txt"));
    }

    [Fact]
    public void OpenWrite_NameAppearsOnlyOnDispose()
    {
        using var dir = new TempDir();
        var repo = Repo(dir);
        var stream = repo.OpenWrite("model.bin");
        stream.Write([1, 2, 3]);
        Assert.False(repo.Exists("model.bin"));
        Assert.Empty(repo.List()); // the temp file is not listed
        stream.Dispose();
        Assert.Equal([1, 2, 3], File.ReadAllBytes(Path.Combine(dir.Root, "model.bin")));
    }

    [Fact]
    public async Task OpenWrite_DisposeAsync_Commits()
    {
        using var dir = new TempDir();
        var repo = Repo(dir);
        await using (var stream = repo.OpenWrite("async.bin"))
            await stream.WriteAsync(new byte[] { 9, 8 });
        Assert.Equal([9, 8], File.ReadAllBytes(Path.Combine(dir.Root, "async.bin")));
    }

    [Fact]
    public void AbortedWrite_LeavesNoFileUnderTheRealName()
    {
        using var dir = new TempDir();
        var repo = Repo(dir);
        Assert.Throws<InvalidOperationException>(void () =>
        {
            using var stream = (AtomicWriteStream)repo.OpenWrite("half.bin");
            try
            {
                stream.Write(new byte[1000]);
                throw new InvalidOperationException("crash mid-write");
            }
            catch
            {
                stream.Abort();
                throw;
            }
        });
        Assert.False(repo.Exists("half.bin"));
        Assert.Empty(Directory.GetFiles(dir.Root)); // no temp file left behind either
    }

    [Fact]
    public void FailedSave_KeepsOldContentIntact()
    {
        using var dir = new TempDir();
        var repo = Repo(dir);
        ArtifactObjects.Save(repo, "pred.txt", "old content");
        Assert.Throws<InvalidOperationException>(() => ArtifactObjects.Save(repo, "pred.txt", "new", new ThrowingSerializer()));
        Assert.Equal("old content", ArtifactObjects.Load<string>(repo, "pred.txt"));
        Assert.Single(Directory.GetFiles(dir.Root));
    }

    [Fact]
    public void Write_OverwritesExistingArtifact()
    {
        using var dir = new TempDir();
        var repo = Repo(dir);
        repo.Write("a.txt", "first"u8);
        repo.Write("a.txt", "second"u8);
        Assert.Equal("second", File.ReadAllText(Path.Combine(dir.Root, "a.txt")));
    }

    [Fact]
    public void Write_OverAFolderOrThroughAFile_IsRejected()
    {
        using var dir = new TempDir();
        var repo = Repo(dir);
        repo.Write("d/x.txt", "x"u8);
        Assert.Equal(ErrorCode.InvalidParameterValue, Assert.Throws<TrackingException>(() => repo.Write("d", "y"u8)).Code);
        Assert.Equal(ErrorCode.InvalidParameterValue, Assert.Throws<TrackingException>(() => repo.Write("d/x.txt/z", "y"u8)).Code);
        Assert.Equal(ErrorCode.InvalidParameterValue, Assert.Throws<TrackingException>(() => repo.Write("", "y"u8)).Code);
    }

    [Fact]
    public void OpenRead_Missing_IsResourceDoesNotExist()
    {
        using var dir = new TempDir();
        var e = Assert.Throws<TrackingException>(() => Repo(dir).OpenRead("nope.bin"));
        Assert.Equal(ErrorCode.ResourceDoesNotExist, e.Code);
        Assert.Contains("nope.bin", e.Message);
    }

    [Fact]
    public void LogArtifact_File_IsCopiedUnderItsNameIntoArtifactPath()
    {
        using var dir = new TempDir();
        var repo = Repo(dir);
        var local = Path.Combine(dir.Path, "code_diff.txt");
        File.WriteAllText(local, "diff");
        repo.LogArtifact(local);
        repo.LogArtifact(local, "sub/dir");
        Assert.Equal("diff", File.ReadAllText(Path.Combine(dir.Root, "code_diff.txt")));
        Assert.Equal("diff", File.ReadAllText(Path.Combine(dir.Root, "sub", "dir", "code_diff.txt")));
    }

    [Fact]
    public void LogArtifact_Directory_CopiesItsContentsRecursively()
    {
        using var dir = new TempDir();
        var repo = Repo(dir);
        var local = Path.Combine(dir.Path, "local");
        Directory.CreateDirectory(Path.Combine(local, "nested", "empty"));
        File.WriteAllText(Path.Combine(local, "a.txt"), "a");
        File.WriteAllText(Path.Combine(local, "nested", "b.txt"), "b");

        repo.LogArtifact(local, "sig_analysis");

        Assert.Equal(
            [new("sig_analysis/a.txt", false, 1), new("sig_analysis/nested", true, null)],
            repo.List("sig_analysis"));
        Assert.Equal("b", File.ReadAllText(Path.Combine(dir.Root, "sig_analysis", "nested", "b.txt")));
        Assert.True(Directory.Exists(Path.Combine(dir.Root, "sig_analysis", "nested", "empty")));
        Assert.False(Directory.Exists(Path.Combine(dir.Root, "sig_analysis", "local"))); // contents, not the folder
    }

    [Fact]
    public void LogArtifact_MissingSource_IsTypedError()
    {
        using var dir = new TempDir();
        var e = Assert.Throws<TrackingException>(() => Repo(dir).LogArtifact(Path.Combine(dir.Path, "ghost")));
        Assert.Equal(ErrorCode.ResourceDoesNotExist, e.Code);
        Assert.Contains("ghost", e.Message);
    }

    [Fact]
    public void Download_CopiesFileAndFolderKeepingRelativePath()
    {
        using var dir = new TempDir();
        var repo = Repo(dir);
        repo.Write("pa/r.pkl", "r"u8);
        repo.Write("pa/s/t.pkl", "t"u8);
        var dest = Path.Combine(dir.Path, "dl");

        var file = repo.Download("pa/r.pkl", dest);
        Assert.Equal(Path.Combine(dest, "pa", "r.pkl"), file);
        Assert.Equal("r", File.ReadAllText(file));

        var folder = repo.Download("pa");
        try
        {
            Assert.Equal("t", File.ReadAllText(Path.Combine(folder, "s", "t.pkl")));
            Assert.False(folder.StartsWith(dir.Root, StringComparison.Ordinal)); // a copy, not the original
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(folder)!, recursive: true);
        }
        Assert.Equal(ErrorCode.ResourceDoesNotExist, Assert.Throws<TrackingException>(() => repo.Download("missing")).Code);
    }

    [Fact]
    public void GetLocalPath_IsBelowRoot()
    {
        using var dir = new TempDir();
        var repo = Repo(dir);
        Assert.Equal(Path.Combine(dir.Root, "a", "b.txt"), repo.GetLocalPath("a/b.txt"));
        Assert.Equal(dir.Root, repo.GetLocalPath(""));
    }

    private sealed class ThrowingSerializer : IArtifactSerializer<string>
    {
        public string Format => "text";

        public void Serialize(Stream destination, string value)
        {
            destination.Write(new byte[100]);
            throw new InvalidOperationException("serializer failed mid-write");
        }

        public string Deserialize(Stream source, string artifactName) => throw new NotSupportedException();
    }
}
