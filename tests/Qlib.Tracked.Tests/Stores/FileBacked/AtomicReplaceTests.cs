using Qlib.Tracked.Stores.FileBacked;
using Qlib.Tracked.TestSupport;

namespace Qlib.Tracked.Tests.Stores.FileBacked;

/// <summary>
/// The one atomic-replace writer: a file is replaced whole, no temp file is left either way, and a folder standing where
/// the file should go is refused and left exactly as it was (on Linux the rename is an exchange, which would otherwise
/// move the folder aside).
/// </summary>
public sealed class AtomicReplaceTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void An_existing_file_is_replaced_whole_and_no_temp_file_is_left()
    {
        var target = _temp.Combine("meta.yaml");
        File.WriteAllText(target, "old content that is longer than the new one\n");

        AtomicReplace.WriteAllBytes(target, "new\n"u8);

        Assert.Equal("new\n", File.ReadAllText(target));
        Assert.Equal(["meta.yaml"], Directory.GetFileSystemEntries(_temp.Path).Select(Path.GetFileName));
    }

    [Fact]
    public void A_missing_target_is_created()
    {
        var target = _temp.Combine("fresh");

        AtomicReplace.WriteAllBytes(target, "x"u8);

        Assert.Equal("x", File.ReadAllText(target));
        Assert.Single(Directory.GetFileSystemEntries(_temp.Path));
    }

    [Fact]
    public void A_folder_where_the_file_should_go_is_refused_and_kept_with_its_content()
    {
        var target = _temp.Combine(".qtrk-run-index");
        Directory.CreateDirectory(target);
        File.WriteAllText(Path.Combine(target, "keep.txt"), "kept");

        var error = Assert.ThrowsAny<Exception>(() => AtomicReplace.WriteAllBytes(target, "index bytes"u8));

        Assert.True(error is IOException or UnauthorizedAccessException, error.ToString());
        Assert.True(Directory.Exists(target), "the folder must stay where it was");
        Assert.Equal("kept", File.ReadAllText(Path.Combine(target, "keep.txt")));
        Assert.Equal([".qtrk-run-index"], Directory.GetFileSystemEntries(_temp.Path).Select(Path.GetFileName));
    }
}
