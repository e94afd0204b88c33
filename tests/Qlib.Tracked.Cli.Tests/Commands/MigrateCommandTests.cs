using System.Text.Json;
using Microsoft.Data.Sqlite;
using Qlib.Tracked.Entities;
using Qlib.Tracked.Stores;
using Qlib.Tracked.Tests.Stores.Contract;
using Qlib.Tracked.Tool.Migrate;

namespace Qlib.Tracked.Cli.Tests;

/// <summary><c>qtrack migrate</c> between real stores: file folders, SQLite files and a real PostgreSQL server.</summary>
[Collection(PostgresCollection.Name)]
public sealed class MigrateCommandTests(PostgresCluster cluster)
{
    [SkippableFact]
    public void File_to_SQLite_to_PostgreSQL_to_file_gives_back_the_original_store()
    {
        Skip.If(cluster.Unavailable is not null, cluster.Unavailable);
        using var temp = MigrateSourceStore.Create();
        var sqlite = "sqlite:///" + temp.Combine("mlflow.db");
        var sqliteArtifacts = temp.Combine("sqlite-artifacts");
        var postgresArtifacts = temp.Combine("postgres-artifacts");
        var postgres = cluster.CreateDatabase();
        var back = temp.Combine("back");

        Succeeds(CliRunner.Run("migrate", "--from", temp.Store, "--to", sqlite, "--default-artifact-root", sqliteArtifacts));
        Succeeds(CliRunner.Run("migrate", "--from", sqlite, "--to", postgres, "--artifact-root", sqliteArtifacts,
            "--default-artifact-root", postgresArtifacts, "--map", temp.Combine("postgres-map.json")));
        Succeeds(CliRunner.Run("migrate", "--from", postgres, "--to", back, "--artifact-root", postgresArtifacts));

        var original = StoreSnapshot.Of(temp.Store);
        // The comparison covers what matters: these are in the original, so a store that dropped them would differ.
        Assert.Contains("metric odd: NaN@1700000000100#0 Infinity@1700000000101#1 -Infinity@1700000000102#2 1E+300@1700000000103#3 5E-324@1700000000104#2", original);
        Assert.Contains("artifact model/weights.bin", original);
        Assert.Contains("experiment migrate_gone Deleted", original);
        Assert.Contains("input Dataset { Name = train_ds", original);
        Assert.Equal(original, StoreSnapshot.Of(back));
    }

    [Fact]
    public void File_to_SQLite_assigns_new_experiment_ids_and_prints_and_saves_the_mapping()
    {
        using var temp = MigrateSourceStore.Create();
        var database = temp.Combine("mlflow.db");
        var result = CliRunner.Run("migrate", "--from", temp.Store, "--to", "sqlite:///" + database, "--default-artifact-root", temp.Combine("artifacts"));
        Succeeds(result);

        using var map = JsonDocument.Parse(File.ReadAllText(database + ".migrate-map.json"));
        var experiments = map.RootElement.GetProperty("experiments").EnumerateArray().ToList();
        var source = new FileStore(temp.Store);
        using var destination = (SqlStore)TrackingStoreRegistry.Open("sqlite:///" + database);
        Assert.Equal(source.SearchExperiments(ViewType.All).Count, experiments.Count);
        foreach (var entry in experiments)
        {
            var name = entry.GetProperty("name").GetString()!;
            var sourceId = entry.GetProperty("source_id").GetString()!;
            var destinationId = entry.GetProperty("destination_id").GetString()!;
            Assert.Equal(name, source.GetExperiment(sourceId).Name);
            Assert.Equal(name, destination.GetExperiment(destinationId).Name);
            Assert.True(int.TryParse(destinationId, out _), $"{destinationId} is not an SQL INTEGER id");
            Assert.Contains($"experiment {sourceId} -> {destinationId}  {name}", result.Out);
        }
        Assert.Contains(experiments, e => e.GetProperty("source_id").GetString()!.Length == 18);
        Assert.Equal(StoreSnapshot.Of(temp.Store), StoreSnapshot.Of("sqlite:///" + database, temp.Combine("artifacts")));
    }

    [Fact]
    public void An_interrupted_migrate_rerun_gives_what_an_uninterrupted_one_gives_without_duplicate_points()
    {
        using var temp = MigrateSourceStore.Create();
        var reference = temp.Combine("reference.db");
        Succeeds(CliRunner.Run("migrate", "--from", temp.Store, "--to", "sqlite:///" + reference, "--default-artifact-root", temp.Combine("a1")));

        var resumed = temp.Combine("resumed.db");
        var options = new TrackingStoreOptions { DefaultArtifactRoot = temp.Combine("a2") };
        var source = new FileStore(temp.Store);
        MigrateSummary partial;
        using (var destination = (SqlStore)TrackingStoreRegistry.Open("sqlite:///" + resumed, options))
        using (var stop = new CancellationTokenSource())
        {
            partial = new StoreMigrator(source, destination, new MigrateOptions(Merge: false, KeepArtifactLocations: false))
                .Run(null, (summary, _) => { if (summary.RunsCopied >= 4) stop.Cancel(); }, stop.Token);
        }
        Assert.True(partial.Interrupted);
        Assert.InRange(partial.RunsCopied, 4, partial.RunsTotal - 3);

        // The rerun needs no --merge: the destination holds only the source's runs.
        var rerun = CliRunner.Run("migrate", "--from", temp.Store, "--to", "sqlite:///" + resumed, "--default-artifact-root", temp.Combine("a2"));
        Succeeds(rerun);
        Assert.Contains($"{partial.RunsTotal - partial.RunsCopied} run(s) copied", rerun.Out);
        Assert.Contains($"{partial.RunsCopied} already there", rerun.Out);
        Assert.Equal(StoreSnapshot.Of("sqlite:///" + reference, temp.Combine("a1")), StoreSnapshot.Of("sqlite:///" + resumed, temp.Combine("a2")));
        Assert.Equal(CountRows(reference, "metrics"), CountRows(resumed, "metrics"));
        Assert.Equal(CountRows(reference, "experiments"), CountRows(resumed, "experiments"));
    }

    [Fact]
    public void A_file_store_destination_left_with_a_half_written_run_is_finished_by_the_rerun()
    {
        using var temp = MigrateSourceStore.Create();
        var destination = temp.Combine("copy");
        var source = new FileStore(temp.Store);
        using (var stop = new CancellationTokenSource())
        {
            new StoreMigrator(source, new FileStore(destination), new MigrateOptions(false, false))
                .Run(null, (summary, _) => { if (summary.RunsCopied >= 2) stop.Cancel(); }, stop.Token);
        }
        // What a kill in the middle of the next run's import leaves: its hidden staging folder, half written.
        var experiment = new FileStore(destination).GetExperimentByName("Default")!.ExperimentId;
        var pending = source.SearchRuns([source.GetExperimentByName("migrate_extra")!.ExperimentId], null, ViewType.All, 100, null, null).Items[0].Info.RunId;
        Directory.CreateDirectory(Path.Combine(destination, experiment, ".qtrk-import-" + pending, "metrics"));
        File.WriteAllText(Path.Combine(destination, experiment, ".qtrk-import-" + pending, "metrics", "loss"), "1 0.5 0\n1 0.");

        Succeeds(CliRunner.Run("migrate", "--from", temp.Store, "--to", destination));
        Assert.Equal(StoreSnapshot.Of(temp.Store), StoreSnapshot.Of(destination));
        Succeeds(CliRunner.Run("migrate", "--from", temp.Store, "--to", destination)); // idempotent: a third run changes nothing
        Assert.Equal(StoreSnapshot.Of(temp.Store), StoreSnapshot.Of(destination));
    }

    [Fact]
    public void A_rerun_finishes_an_artifact_copy_that_was_cut_short()
    {
        using var temp = MigrateSourceStore.Create();
        var destination = temp.Combine("copy");
        Succeeds(CliRunner.Run("migrate", "--from", temp.Store, "--to", destination));
        var copy = new FileStore(destination);
        var run = copy.SearchRuns([copy.GetExperimentByName("migrate_extra")!.ExperimentId], "attributes.run_name = 'finished'", ViewType.All, 10, null, null).Items.Single();
        var artifacts = copy.GetArtifactRepository(run.Info.RunId);
        File.Delete(artifacts.GetLocalPath("model/weights.bin")!);
        File.WriteAllText(artifacts.GetLocalPath("notes.txt")!, "hel");

        var rerun = CliRunner.Run("migrate", "--from", temp.Store, "--to", destination);
        Succeeds(rerun);
        Assert.Contains("0 run(s) copied", rerun.Out);
        Assert.Contains("2 artifact file(s) copied", rerun.Out);
        Assert.Equal(StoreSnapshot.Of(temp.Store), StoreSnapshot.Of(destination));
    }

    [Fact]
    public void A_destination_holding_other_runs_is_refused_unless_merge_is_given()
    {
        using var temp = MigrateSourceStore.Create();
        var destinationFolder = temp.Combine("team");
        var destination = new FileStore(destinationFolder);
        var theirs = destination.CreateRun(destination.CreateExperiment("their_work"), "eve", 1_600_000_000_000, null, "theirs").Info.RunId;
        var before = StoreSnapshot.Of(destinationFolder);

        var refused = CliRunner.Run("migrate", "--from", temp.Store, "--to", destinationFolder);
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("already holds 1 run(s) that are not in the source", refused.Error);
        Assert.Contains(theirs, refused.Error);
        Assert.Contains("--merge", refused.Error);
        Assert.Equal(before, StoreSnapshot.Of(destinationFolder));

        Succeeds(CliRunner.Run("migrate", "--from", temp.Store, "--to", destinationFolder, "--merge"));
        var merged = StoreSnapshot.Of(destinationFolder);
        Assert.Contains($"run {theirs} name=theirs", merged);
        Assert.Contains("experiment migrate_extra", merged);
    }

    [Fact]
    public void Keep_artifact_locations_references_the_source_artifacts_where_the_destination_allows_them()
    {
        using var temp = MigrateSourceStore.Create();
        var database = "sqlite:///" + temp.Combine("mlflow.db");
        var refused = CliRunner.Run("migrate", "--from", temp.Store, "--to", database, "--keep-artifact-locations", "--default-artifact-root", temp.Combine("unused"));
        Assert.NotEqual(0, refused.ExitCode);
        Assert.Contains(temp.Store, refused.Error);

        Succeeds(CliRunner.Run("migrate", "--from", temp.Store, "--to", database, "--keep-artifact-locations", "--artifact-root", temp.Store,
            "--default-artifact-root", temp.Combine("unused")));
        var source = new FileStore(temp.Store);
        using var destination = (SqlStore)TrackingStoreRegistry.Open(database, new TrackingStoreOptions { ArtifactRoots = [temp.Store] });
        var run = source.SearchRuns([source.GetExperimentByName("migrate_extra")!.ExperimentId], "attributes.run_name = 'finished'", ViewType.All, 10, null, null).Items.Single();
        Assert.Equal(run.Info.ArtifactUri, destination.GetRun(run.Info.RunId).Info.ArtifactUri);
        using (var read = new StreamReader(destination.GetArtifactRepository(run.Info.RunId).OpenRead("notes.txt"))) Assert.Equal("hello", read.ReadToEnd());
        Assert.False(Directory.Exists(temp.Combine("unused")) && Directory.EnumerateFiles(temp.Combine("unused"), "*", SearchOption.AllDirectories).Any());
    }

    [Fact]
    public void A_run_the_destination_cannot_hold_is_named_and_the_others_are_copied()
    {
        using var temp = MigrateSourceStore.Create();
        var source = new FileStore(temp.Store);
        var experiment = source.GetExperimentByName("migrate_extra")!.ExperimentId;
        var tooLong = source.CreateRun(experiment, "u", 1_700_000_500_000, [new RunTag("long", new string('x', 5_001))], "long-tag").Info.RunId;
        var database = "sqlite:///" + temp.Combine("mlflow.db");

        var result = CliRunner.Run("migrate", "--from", temp.Store, "--to", database, "--default-artifact-root", temp.Combine("artifacts"));
        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"run {tooLong} 'long-tag' of experiment 'migrate_extra' not copied: Tag value for key 'long' is 5001 characters long", result.Error);
        using var destination = (SqlStore)TrackingStoreRegistry.Open(database);
        var copied = destination.SearchRuns([destination.GetExperimentByName("migrate_extra")!.ExperimentId], null, ViewType.All, 100, null, null).Items;
        Assert.Equal(["failed", "finished", "still-running"], copied.Select(r => r.Info.RunName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void A_database_real_MLflow_wrote_migrates_to_a_file_store_and_back_unchanged()
    {
        using var temp = new TempStore(copyFixture: false);
        var database = temp.Combine("mlflow.db");
        File.Copy(Path.Combine(AppContext.BaseDirectory, "Fixtures", "mlflow-sqlite-reference", "mlflow.db"), database);
        var again = "sqlite:///" + temp.Combine("again.db");

        // MLflow recorded its artifacts under /home/researcher/…, which this store may not read: each such run is
        // named, the rest of it is copied, and the exit code says something was left behind.
        var toFile = CliRunner.Run("migrate", "--from", "sqlite:///" + database, "--to", temp.Store);
        Assert.Equal(1, toFile.ExitCode);
        Assert.Contains("artifacts not copied: Run '", toFile.Error);
        Assert.Contains("/home/researcher/qlib-sqlite/mlruns", toFile.Error);
        Succeeds(CliRunner.Run("migrate", "--from", temp.Store, "--to", again, "--default-artifact-root", temp.Combine("artifacts")));

        var original = WithoutArtifacts(StoreSnapshot.Of("sqlite:///" + database));
        Assert.Contains("1.7976931348623157E+308", original); // MLflow's stored ±inf: carried as the number it is
        Assert.Contains("NaN@", original);
        Assert.Equal(original, WithoutArtifacts(StoreSnapshot.Of(temp.Store)));
        Assert.Equal(original, WithoutArtifacts(StoreSnapshot.Of(again)));
    }

    private static string WithoutArtifacts(string snapshot) =>
        string.Join('\n', snapshot.Split('\n').Where(line => !line.StartsWith("    artifact", StringComparison.Ordinal)));

    [Fact]
    public void A_missing_source_is_an_error_that_creates_nothing()
    {
        using var temp = new TempStore(copyFixture: false);
        var result = CliRunner.Run("migrate", "--from", temp.Combine("typo"), "--to", "sqlite:///" + temp.Combine("new.db"));
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("No source store at --from", result.Error);
        Assert.False(Directory.Exists(temp.Combine("typo")));
        Assert.False(File.Exists(temp.Combine("new.db")));

        var badScheme = CliRunner.Run("migrate", "--from", temp.Combine("typo"), "--to", "s3://bucket/mlruns");
        Assert.NotEqual(0, badScheme.ExitCode);
        Assert.Contains("--from", badScheme.Error);
        Directory.CreateDirectory(temp.Combine("empty"));
        var unsupported = CliRunner.Run("migrate", "--from", temp.Combine("empty"), "--to", "s3://bucket/mlruns");
        Assert.NotEqual(0, unsupported.ExitCode);
        Assert.Contains("Invalid --to 's3://bucket/mlruns'", unsupported.Error);
    }

    private static void Succeeds(CliResult result) => Assert.True(result.ExitCode == 0, $"qtrack migrate exited {result.ExitCode}:\n{result.Error}\n{result.Out}");

    private static long CountRows(string database, string table)
    {
        using var connection = new SqliteConnection($"Data Source={database};Pooling=false");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT COUNT(*) FROM {table}";
        return (long)command.ExecuteScalar()!;
    }
}
