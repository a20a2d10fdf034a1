using Microsoft.Data.Sqlite;

namespace Mcu.Sdk.Storage.Sqlite.Internal;

/// <summary>
/// Copies the write-ahead log back into the database file on its own connection and thread, so that the writer never
/// pays for it inside a commit.
/// </summary>
/// <remarks>
/// SQLite's automatic checkpoint runs inside the commit that crosses its threshold (1,000 pages), on the writer's thread,
/// and with group commit the same index pages are logged by many small transactions in a row. Checkpointing here every
/// <see cref="CommitsPerCheckpoint"/> commits, in <c>PASSIVE</c> mode (it never waits for readers or the writer), copies each
/// page once per round and keeps the writer writing meanwhile; the writer then restarts the log (see <see cref="OnCommit"/>),
/// which a checkpoint running beside a busy writer never could. Durability does not depend on checkpoints: a commit is
/// durable once it is in the log.
/// </remarks>
internal sealed class Checkpointer : IDisposable
{
    /// <summary>How many commits trigger a checkpoint.</summary>
    public const int CommitsPerCheckpoint = 64;

    private readonly SqliteConnection _connection;
    private readonly Thread _thread;
    private readonly object _gate = new();
    private int _commits;
    private bool _requested;
    private bool _stopping;
    private volatile bool _restartDue;

    public Checkpointer(string connectionString, string dataSource)
    {
        _connection = new SqliteConnection(connectionString);
        try
        {
            _connection.Open();

            // A connection sees the log only once it has read the database.
            using var command = _connection.CreateCommand();
            command.CommandText = "SELECT count(*) FROM sqlite_schema";
            command.ExecuteScalar();
        }
        catch
        {
            _connection.Dispose();
            throw;
        }

        _thread = new Thread(Loop) { IsBackground = true, Name = "Mcu.Sdk SQLite checkpointer (" + Path.GetFileName(dataSource) + ")" };
        _thread.Start();
    }

    /// <summary>Counts a commit of the writer; every <see cref="CommitsPerCheckpoint"/> commits wakes the checkpointer.</summary>
    /// <summary>
    /// Called by the writer after each commit. When a background round has just finished, it completes the checkpoint on
    /// the writer's own connection (copying the few frames committed meanwhile) so that the next transaction starts the log
    /// from its beginning and the log file stays small; every <see cref="CommitsPerCheckpoint"/> commits it wakes the
    /// background round.
    /// </summary>
    /// <param name="writer">The writer's connection (called on the writer's thread, between transactions).</param>
    public void OnCommit(SqliteConnection writer)
    {
        if (_restartDue)
        {
            _restartDue = false;

            // The store sets no busy handler: with readers on older snapshots this returns at once and a later round retries.
            SQLitePCL.raw.sqlite3_wal_checkpoint_v2(writer.Handle, null, SQLitePCL.raw.SQLITE_CHECKPOINT_RESTART, out _, out _);
        }

        if (++_commits % CommitsPerCheckpoint != 0)
        {
            return;
        }

        lock (_gate)
        {
            _requested = true;
            Monitor.Pulse(_gate);
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        lock (_gate)
        {
            _stopping = true;
            Monitor.Pulse(_gate);
        }

        _thread.Join();
        _connection.Dispose();
    }

    private void Loop()
    {
        while (true)
        {
            lock (_gate)
            {
                while (!_requested && !_stopping)
                {
                    Monitor.Wait(_gate);
                }

                if (_stopping)
                {
                    return;
                }

                _requested = false;
            }

            // PASSIVE never blocks; a busy result just means a later round copies the rest. The second pass copies what was
            // committed during the first, so that the writer's restart has little left to copy.
            SQLitePCL.raw.sqlite3_wal_checkpoint_v2(_connection.Handle, null, SQLitePCL.raw.SQLITE_CHECKPOINT_PASSIVE, out _, out _);
            SQLitePCL.raw.sqlite3_wal_checkpoint_v2(_connection.Handle, null, SQLitePCL.raw.SQLITE_CHECKPOINT_PASSIVE, out _, out _);
            _restartDue = true;
        }
    }
}
