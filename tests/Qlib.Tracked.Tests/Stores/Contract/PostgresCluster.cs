using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace Qlib.Tracked.Tests.Stores.Contract;

/// <summary>
/// A throwaway PostgreSQL server for one test run: Debian's binaries (<c>/usr/lib/postgresql/*/bin</c>), a cluster
/// initialised in a temp folder, listening on 127.0.0.1 at a free port, started with <c>pg_ctl</c> and removed on
/// dispose. <c>initdb</c> refuses to run as root, so as root the cluster runs as the <c>postgres</c> user (through
/// <c>runuser</c>). Without binaries, <see cref="Unavailable"/> says why and the tests skip — except under CI
/// (<c>CI=true</c>), where a missing server is a failure.
/// </summary>
public sealed class PostgresCluster : IDisposable
{
    private readonly TempDirectory? _temp;
    private readonly string? _folder;
    private readonly string? _bin;
    private readonly bool _asPostgresUser;
    private int _databases;

    public PostgresCluster() : this("/usr/lib/postgresql", IsCi)
    {
    }

    /// <param name="versionsFolder">Where Debian keeps one folder per server version, each with <c>bin/initdb</c>.</param>
    /// <param name="ci">True under CI, where missing binaries fail instead of skipping.</param>
    internal PostgresCluster(string versionsFolder, bool ci)
    {
        _bin = Directory.Exists(versionsFolder)
            ? Directory.EnumerateDirectories(versionsFolder).Select(d => Path.Combine(d, "bin"))
                .Where(b => File.Exists(Path.Combine(b, "initdb"))).OrderByDescending(b => b, StringComparer.Ordinal).FirstOrDefault()
            : null;
        if (_bin is null)
        {
            Unavailable = $"no PostgreSQL server binaries ({versionsFolder}/*/bin/initdb); install Debian's postgresql package";
            if (ci) throw new InvalidOperationException($"CI=true but {Unavailable}.");
            return;
        }
        _asPostgresUser = Environment.UserName == "root";
        _temp = new TempDirectory();
        _folder = _temp.Path;
        try
        {
            if (_asPostgresUser) Run("/bin/chown", ["postgres:postgres", _folder], asPostgres: false);
            Port = FreePort();
            var data = Path.Combine(_folder, "data");
            Run(Path.Combine(_bin, "initdb"), ["-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C"], _asPostgresUser);
            Run(Path.Combine(_bin, "pg_ctl"), ["-D", data, "-l", Path.Combine(_folder, "server.log"), "-w", "-t", "60", "-o",
                $"-p {Port} -k {_folder} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off", "start"], _asPostgresUser);
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    private static bool IsCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>Why the cluster could not be started (null when it runs).</summary>
    public string? Unavailable { get; }

    public int Port { get; }

    /// <summary>A fresh, empty database and its <c>postgresql://</c> URI.</summary>
    public string CreateDatabase() => Uri(CreateDatabase("template0"));

    /// <summary>
    /// A fresh, empty schema (MLflow's tables then live there, through libpq's <c>options=-csearch_path</c>) in the
    /// database this cluster keeps for <paramref name="testClass"/>: one database per test class, one schema per test,
    /// which costs a fraction of a database per test.
    /// </summary>
    public string CreateSchema(Type testClass)
    {
        string database;
        lock (_databasesByClass)
        {
            if (!_databasesByClass.TryGetValue(testClass, out database!))
                _databasesByClass[testClass] = database = CreateDatabase("template0");
        }
        var schema = $"s{Interlocked.Increment(ref _schemas)}";
        Execute(database, $"CREATE SCHEMA {schema}");
        return Uri(database) + "?options=-csearch_path%3D" + schema;
    }

    private readonly Dictionary<Type, string> _databasesByClass = [];
    private int _schemas;

    private string Uri(string database) => $"postgresql://postgres:unused@127.0.0.1:{Port}/{database}";

    private string CreateDatabase(string template)
    {
        var name = $"qtrk_{Interlocked.Increment(ref _databases)}_{Guid.NewGuid().ToString("N")[..8]}";
        Execute("postgres", $"CREATE DATABASE {name} TEMPLATE {template}");
        return name;
    }

    private void Execute(string database, string sql)
    {
        using var connection = new NpgsqlConnection($"Host=127.0.0.1;Port={Port};Username=postgres;Database={database};Pooling=false");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    public void Dispose()
    {
        if (_folder is null || _bin is null) return;
        var data = Path.Combine(_folder, "data");
        if (File.Exists(Path.Combine(data, "postmaster.pid")))
        {
            try { Run(Path.Combine(_bin, "pg_ctl"), ["-D", data, "-m", "immediate", "-w", "stop"], _asPostgresUser); }
            catch (InvalidOperationException) { } // already gone: the folder is removed anyway
        }
        NpgsqlConnection.ClearAllPools();
        _temp?.Dispose();
    }

    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    private static void Run(string program, string[] arguments, bool asPostgres)
    {
        var start = new ProcessStartInfo(asPostgres ? "/usr/sbin/runuser" : program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (asPostgres)
        {
            foreach (var a in (string[])["-u", "postgres", "--", program]) start.ArgumentList.Add(a);
        }
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(120_000))
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException($"{program} did not finish within 120 s.");
        }
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{program} {string.Join(' ', arguments)} failed ({process.ExitCode}): {stderr.Result}{stdout.Result}");
    }
}

/// <summary>One PostgreSQL cluster shared by every test class that needs one (a fresh database per store).</summary>
[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresCluster>
{
    public const string Name = "PostgreSQL";
}
