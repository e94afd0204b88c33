using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Qlib.Tracked.Stores.Sql;

/// <summary>
/// Copies a WAL database's committed pages back into the file on a thread of its own, so that the callers' commits
/// do not pay for it. By default SQLite makes the connection whose commit takes the log past 1,000 pages copy them all
/// and fsync twice: with 1,000-point batches that made every few batches 5–10 times slower than the others and cost a
/// third of the throughput (bench/README.md, "Session 10").
/// </summary>
/// <remarks>
/// <para>A commit <see cref="Poke">pokes</see> the thread; it waits <see cref="Interval"/> to gather more commits, then
/// runs a passive checkpoint, which blocks no writer and no reader. While commits keep coming, one always lands during
/// the checkpoint, so SQLite skips the database's fsync (it is owed at the next checkpoint that reaches the end of the
/// log) and never starts the log over: a log starts over from its beginning only when a write transaction begins with
/// every frame copied. So once it holds <see cref="RestartFrames"/> frames, the thread copies until little is left,
/// flushes the database file, then holds our write transactions back (<see cref="SqliteDialect.EnterWrite"/>) for the
/// one short checkpoint that copies the rest and syncs; our next transaction then reuses the log from its start.</para>
/// <para>Our write connections keep SQLite's own checkpoint as a safety net at 16,384 frames (<see cref="SqliteDialect"/>),
/// for the case where another process keeps the log from restarting. Nothing a reader sees and nothing durability relies
/// on changes: a crash leaves the log, which the next opener replays, as before.</para>
/// </remarks>
internal sealed class SqliteCheckpointer : IDisposable
{
    /// <summary>How long a poke waits for more commits before the checkpoint runs.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(20);

    /// <summary>A log of this many frames (pages) is started over (16 MB at 4 KB pages).</summary>
    public const int RestartFrames = 4_096;

    // Checkpoints before the held-back one stop once a pass finds fewer new frames than this (or after three passes).
    private const int ShortTailFrames = 128;

    private readonly string _connectionString;
    private readonly string _path;
    private readonly Lock _writeTurn;
    private readonly Thread _thread;
    private readonly AutoResetEvent _wake = new(false);
    private readonly ManualResetEventSlim _stop = new(false);
    private int _pending;

    /// <param name="connectionString">The database's connection string (the thread keeps one connection of its own).</param>
    /// <param name="path">The database file (flushed before the held-back checkpoint, so that one syncs little).</param>
    /// <param name="describe">Names the database in the thread's name.</param>
    /// <param name="writeTurn">Held by each of our write transactions; taken for the checkpoint that restarts the log.</param>
    public SqliteCheckpointer(string connectionString, string path, string describe, Lock writeTurn)
    {
        _connectionString = connectionString;
        _path = path;
        _writeTurn = writeTurn;
        _thread = new Thread(Run) { IsBackground = true, Name = "SQLite checkpoints of " + describe };
        _thread.Start();
    }

    /// <summary>Says a write transaction committed: a checkpoint follows within <see cref="Interval"/>.</summary>
    public void Poke()
    {
        if (Interlocked.Exchange(ref _pending, 1) == 0) _wake.Set();
    }

    /// <summary>Stops the thread after the checkpoint in progress (closing the last connection checkpoints the rest).</summary>
    public void Dispose()
    {
        if (_stop.IsSet) return;
        _stop.Set();
        _wake.Set();
        _thread.Join();
        _wake.Dispose();
        _stop.Dispose();
    }

    private void Run()
    {
        SqliteConnection? connection = null;
        try
        {
            while (true)
            {
                _wake.WaitOne();
                if (_stop.Wait(Interval)) return;
                Interlocked.Exchange(ref _pending, 0); // commits from here on poke again
                try
                {
                    connection ??= OpenConnection();
                    Checkpoint(connection);
                }
                catch (Exception e) when (e is SqliteException or IOException or UnauthorizedAccessException)
                {
                    // The file is busy, was removed or turned read-only: the next commit tries again, and meanwhile the
                    // writers' own automatic checkpoint still bounds the log.
                    connection?.Dispose();
                    connection = null;
                }
            }
        }
        finally
        {
            connection?.Dispose();
        }
    }

    private SqliteConnection OpenConnection()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        using var command = connection.CreateCommand();
        // Reading the journal mode opens the file's log: a connection that has read nothing has no log to checkpoint.
        command.CommandText = "PRAGMA journal_mode";
        command.ExecuteScalar();
        return connection;
    }

    private void Checkpoint(SqliteConnection connection)
    {
        var logFrames = Passive(connection);
        if (logFrames < RestartFrames) return;
        // Copy until a pass finds little new, so that little is left for the moment our writes are held back.
        for (var pass = 0; pass < 3 && !_stop.IsSet; pass++)
        {
            var now = Passive(connection);
            if (now - logFrames < ShortTailFrames) break;
            logFrames = now;
        }
        // The checkpoints so far skipped the database's fsync (a commit landed during each); the held-back one will
        // not, so flush here, with writers running, what it would otherwise flush while they wait.
        using (var file = new FileStream(_path, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete, bufferSize: 1))
            file.Flush(flushToDisk: true);
        lock (_writeTurn) Passive(connection);
    }

    /// <summary>One passive checkpoint; the log's length in frames (0 when another connection was checkpointing).</summary>
    private static int Passive(SqliteConnection connection)
    {
        var db = connection.Handle!;
        var rc = raw.sqlite3_wal_checkpoint_v2(db, "main", raw.SQLITE_CHECKPOINT_PASSIVE, out var logFrames, out _);
        if (rc == raw.SQLITE_BUSY) return 0; // another connection is checkpointing: it does the same work
        if (rc != raw.SQLITE_OK) SqliteException.ThrowExceptionForRC(rc, db);
        return Math.Max(logFrames, 0); // -1: the file is not in WAL mode (any more)
    }
}
