using System.Diagnostics;

namespace Qlib.Tracked.Tests.Workflow;

/// <summary>Git capture at run start. Runs git only when it is installed (otherwise the tests pass trivially).</summary>
public sealed class SourceCaptureTests : IDisposable
{
    private readonly TempStore _store = new();

    public void Dispose() => _store.Dispose();

    private static string? Git(string dir, params string[] args)
    {
        var psi = new ProcessStartInfo("git") { WorkingDirectory = dir, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        try
        {
            using var p = Process.Start(psi)!;
            var output = p.StandardOutput.ReadToEnd();
            p.WaitForExit();
            return p.ExitCode == 0 ? output : null;
        }
        catch (System.ComponentModel.Win32Exception) { return null; }
    }

    [Fact]
    public void InsideAGitWorkTree_CommitTag_AndQlibsThreeCodeFiles()
    {
        var repo = Path.Combine(_store.Folder, "repo");
        Directory.CreateDirectory(repo);
        if (Git(repo, "init", "-q") is null) return; // no git here
        Git(repo, "-c", "user.email=t@example.com", "-c", "user.name=t", "commit", "-q", "--allow-empty", "-m", "init");
        File.WriteAllText(Path.Combine(repo, "model.py"), "lr = 0.1\n");
        Git(repo, "add", "model.py");
        Git(repo, "-c", "user.email=t@example.com", "-c", "user.name=t", "commit", "-q", "-m", "model");
        File.WriteAllText(Path.Combine(repo, "model.py"), "lr = 0.2\n");
        File.WriteAllText(Path.Combine(repo, "staged.py"), "x = 1\n");
        Git(repo, "add", "staged.py");
        var head = Git(repo, "rev-parse", "HEAD")!.Trim();

        var manager = _store.Manager(new RecorderOptions { CaptureSource = true, SourceDirectory = repo });
        var rec = manager.GetExp().Start();
        Assert.Equal(head, rec.ListTags()["mlflow.source.git.commit"]);
        Assert.Contains("code_diff.txt", rec.ListArtifacts());
        Assert.Contains("code_status.txt", rec.ListArtifacts());
        Assert.Contains("code_cached.txt", rec.ListArtifacts());
        var dir = Path.Combine(rec.GetLocalDir(), "artifacts");
        Assert.Contains("lr = 0.2", File.ReadAllText(Path.Combine(dir, "code_diff.txt")));
        Assert.Contains("staged.py", File.ReadAllText(Path.Combine(dir, "code_status.txt")));
        Assert.Contains("x = 1", File.ReadAllText(Path.Combine(dir, "code_cached.txt")));
        manager.EndExp();
    }

    [Fact]
    public void OutsideAWorkTree_NothingFails_AndNoGitData()
    {
        var plain = Path.Combine(_store.Folder, "plain");
        Directory.CreateDirectory(plain);
        var manager = _store.Manager(new RecorderOptions { CaptureSource = true, SourceDirectory = plain });
        var rec = manager.GetExp().Start();
        Assert.False(rec.ListTags().ContainsKey("mlflow.source.git.commit"));
        Assert.DoesNotContain("code_diff.txt", rec.ListArtifacts());
        Assert.Equal("LOCAL", rec.ListTags()["mlflow.source.type"]);
        manager.EndExp();
    }

    [Fact]
    public void CaptureSource_DefaultFollowsTheEnvironmentVariable() =>
        Assert.Equal(Environment.GetEnvironmentVariable(RecorderOptions.CaptureSourceEnvironmentVariable) is not ("0" or "false"),
            new RecorderOptions().CaptureSource);
}
