namespace Qlib.Tracked.Cli.Tests;

public sealed class ExperimentsCommandTests : IDisposable
{
    private readonly TempStore _store = new(copyFixture: true);

    public void Dispose() => _store.Dispose();

    [Fact]
    public void Json_ListsActiveExperimentsInMlflowOrder_WithActiveRunCounts()
    {
        using var json = CliRunner.Run("experiments", "--store", _store.Store, "--format", "json").Json();
        var listed = json.RootElement.EnumerateArray().ToArray();

        // MLflow's file-store order: creation_time DESC, experiment_id ASC.
        var expected = MlflowExpected.Experiments.Where(e => e.GetProperty("lifecycle_stage").GetString() == "active")
            .OrderByDescending(e => e.GetProperty("creation_time").GetInt64())
            .ThenBy(e => e.GetProperty("experiment_id").GetString(), StringComparer.Ordinal)
            .ToArray();
        Assert.Equal(expected.Select(e => e.GetProperty("name").GetString()), listed.Select(e => e.GetProperty("name").GetString()));
        foreach (var (mlflow, ours) in expected.Zip(listed))
        {
            Assert.Equal(mlflow.GetProperty("experiment_id").GetString(), ours.GetProperty("experiment_id").GetString());
            var activeRuns = mlflow.GetProperty("runs").EnumerateArray().Count(r => r.GetProperty("lifecycle_stage").GetString() == "active");
            Assert.Equal(activeRuns, ours.GetProperty("run_count").GetInt32());
            Assert.Equal(mlflow.GetProperty("creation_time").GetInt64(), ours.GetProperty("creation_time").GetInt64());
        }
    }

    [Fact]
    public void ViewAll_IncludesTheDeletedExperiment()
    {
        var active = CliRunner.Run("experiments", "--store", _store.Store);
        var all = CliRunner.Run("experiments", "--store", _store.Store, "--view", "all");
        Assert.Equal(0, all.ExitCode);
        Assert.DoesNotContain("qlib_ref_deleted", active.Out);
        Assert.Contains("qlib_ref_deleted", all.Out);
    }

    [Fact]
    public void Table_HasAHeaderAndAlignedColumns()
    {
        var result = CliRunner.Run("experiments", "--store", _store.Store);
        Assert.Equal(0, result.ExitCode);
        var lines = result.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("experiment_id", lines[0]);
        Assert.Matches("^-+  -+", lines[1]);
        // Every row's "name" column starts where the header's does.
        var nameAt = lines[0].IndexOf("name", StringComparison.Ordinal);
        foreach (var row in lines.Skip(2))
        {
            Assert.Equal(' ', row[nameAt - 1]);
            Assert.NotEqual(' ', row[nameAt]);
        }
        Assert.Equal(3 + 2, lines.Length); // Default, alpha, beta
    }

    [Fact]
    public void StoreComesFromTheEnvironment_WhenNotGiven()
    {
        var result = CliRunner.RunWithEnvironment(name => name == "QLIB_MLFLOW_URI" ? "file://" + _store.Store : null, "experiments");
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("qlib_ref_alpha", result.Out);
    }

    [Fact]
    public void AMissingStore_IsExitCode1_AndIsNotCreated()
    {
        var missing = _store.Combine("no-such-store");
        var result = CliRunner.Run("experiments", "--store", missing);
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("no-such-store", result.Error);
        Assert.Equal("", result.Out);
        Assert.False(Directory.Exists(missing));
    }

    [Fact]
    public void Csv_HasTheJsonFieldsButTags_InTheSameOrder_WithEpochTimes()
    {
        using var json = CliRunner.Run("experiments", "--store", _store.Store, "--view", "all", "--format", "json").Json();
        var csv = CliRunner.Run("experiments", "--store", _store.Store, "--view", "all", "--format", "csv");
        Assert.True(csv.ExitCode == 0, csv.Error);
        var lines = csv.Out.Split('\n');
        Assert.Equal("experiment_id,name,artifact_location,lifecycle_stage,creation_time,last_update_time,run_count", lines[0]);
        Assert.Equal("", lines[^1]); // every row ends with \n
        var rows = lines[1..^1];
        var expected = json.RootElement.EnumerateArray().Select(e => string.Join(',',
            e.GetProperty("experiment_id").GetString(), e.GetProperty("name").GetString(), e.GetProperty("artifact_location").GetString(),
            e.GetProperty("lifecycle_stage").GetString(), e.GetProperty("creation_time").GetInt64(), e.GetProperty("last_update_time").GetInt64(),
            e.GetProperty("run_count").GetInt32())).ToArray();
        Assert.Equal(expected, rows);
        Assert.Equal(MlflowExpected.Experiments.Count(), rows.Length);
        Assert.Contains(rows, r => r.StartsWith("458801662008474272,qlib_ref_deleted,", StringComparison.Ordinal) && r.Contains(",deleted,"));
    }
}
