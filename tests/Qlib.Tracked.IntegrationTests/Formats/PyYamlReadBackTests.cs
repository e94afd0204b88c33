using System.Diagnostics;
using QuickStart;

namespace Qlib.Tracked.IntegrationTests;

/// <summary>
/// MLflow itself cannot be installed on these machines (no PyPI), but the library MLflow's file store
/// reads and writes meta.yaml with, PyYAML, often is. This test hands a store that QuickStart wrote to
/// PyYAML (see pyyaml_check.py) and asserts it reads every file with MLflow's types and would write
/// each one back byte for byte. It is skipped, visibly, where python3 with PyYAML is missing.
/// </summary>
[Collection("ambient R")]
public class PyYamlReadBackTests
{
    [SkippableFact]
    public void QuickStartStore_IsReadAndRewrittenIdenticallyByPyYaml()
    {
        Skip.IfNot(PythonWithYaml(), "python3 with PyYAML is not installed on this machine.");
        using var store = new TempStore();
        QuickStartWorkflow.Run(new QuickStartOptions { Uri = store.Uri, Instruments = 30, Days = 40, ExperimentName = "py yaml: 'check'" });

        var (code, output) = RunPython(Path.Combine(AppContext.BaseDirectory, "pyyaml_check.py"), store.Root);
        Assert.True(code == 0, output);
        Assert.Matches(@"checked (\d{2,}) files", output);
    }

    private static bool PythonWithYaml()
    {
        try { return RunPython("-c", "import yaml").Code == 0; }
        catch (System.ComponentModel.Win32Exception) { return false; }
    }

    private static (int Code, string Output) RunPython(params string[] args)
    {
        var info = new ProcessStartInfo("python3") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) info.ArgumentList.Add(a);
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output);
    }
}
