using Microsoft.Data.Sqlite;

namespace Mcu.Sdk.Storage.Sqlite.Internal;

/// <summary>The writer's connection and its prepared statements. Used by the writer thread only.</summary>
internal sealed class WriteSession : IDisposable
{
    private readonly Statement _begin;
    private readonly Statement _commit;
    private readonly Statement _rollback;
    private readonly List<IDisposable> _all = [];
    private long _openSequence;

    public WriteSession(SqliteConnection connection, TimeSpan timeout)
    {
        Connection = connection;
        using (var command = connection.CreateCommand())
        {
            command.CommandText = "SELECT coalesce(max(open_seq), 0) FROM appeals";
            _openSequence = Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
        }

        Statement Prepare(string sql, params IReadOnlyList<string> parameters)
        {
            var statement = new Statement(connection, sql, timeout, parameters);
            _all.Add(statement);
            return statement;
        }

        FastStatement PrepareFast(string sql, params IReadOnlyList<string> parameters)
        {
            var statement = new FastStatement(connection, sql, parameters);
            _all.Add(statement);
            return statement;
        }

        _begin = Prepare("BEGIN IMMEDIATE");
        _commit = Prepare("COMMIT");
        _rollback = Prepare("ROLLBACK");

        InsertMessageKey = PrepareFast("INSERT OR IGNORE INTO messages (key, appeal_id) VALUES ($key, $appeal_id)", "$key", "$appeal_id");
        SelectByMessageKey = Prepare(
            "SELECT d.document FROM messages m JOIN appeals a ON a.id = m.appeal_id JOIN appeal_documents d ON d.seq = a.seq WHERE m.key = $key",
            "$key");
        InsertAppeal = PrepareFast(
            $"INSERT INTO appeals ({string.Join(", ", AppealRow.Parameters.Select(p => p[1..]))}, open_seq) VALUES ({string.Join(", ", AppealRow.Parameters)}, $open_seq)",
            [.. AppealRow.Parameters, "$open_seq"]);
        InsertAppealDocument = PrepareFast("INSERT INTO appeal_documents (seq, document) VALUES (last_insert_rowid(), $document)", "$document");
        // An appeal that opens again (reopened) or moves to another conversation becomes its conversation's most recent open
        // appeal: it takes a new open sequence. The right-hand sides read the row as it was before the update.
        UpdateAppeal = PrepareFast(
            $"UPDATE appeals SET {string.Join(", ", AppealRow.Parameters.Skip(1).Select(p => $"{p[1..]} = {p}"))}, "
            + "open_seq = CASE WHEN (is_open = 0 AND $is_open = 1) OR conversation_key <> $conversation_key THEN $open_seq ELSE open_seq END "
            + "WHERE id = $id AND version = $expected",
            [.. AppealRow.Parameters, "$open_seq", "$expected"]);
        UpdateAppealDocument = PrepareFast(
            "UPDATE appeal_documents SET document = $document WHERE seq = (SELECT seq FROM appeals WHERE id = $id)",
            "$id",
            "$document");
        SelectVersion = Prepare("SELECT version FROM appeals WHERE id = $id", "$id");
        MarkAnonymized = Prepare("UPDATE appeals SET anonymized_at = $at WHERE id = $id", "$id", "$at");
        SelectRetention = Prepare(
            "SELECT d.document FROM appeals a JOIN appeal_documents d ON d.seq = a.seq "
            + "WHERE a.is_open = 0 AND a.anonymized_at IS NULL AND a.closed_at < $cutoff ORDER BY a.closed_at LIMIT $max",
            "$cutoff",
            "$max");

        InsertOutbox = PrepareFast(
            $"INSERT INTO outbox ({string.Join(", ", OutboxRow.InsertParameters.Select(p => p[1..]))}) VALUES ({string.Join(", ", OutboxRow.InsertParameters)})",
            OutboxRow.InsertParameters);
        UpdateOutbox = PrepareFast(
            "UPDATE outbox SET status = $status, attempts = $attempts, next_attempt_at = $next_attempt_at, lease_owner = $lease_owner, "
            + "lease_expires_at = $lease_expires_at, completed_at = $completed_at, document = $document WHERE id = $id AND lease_owner = $owner",
            OutboxRow.UpdateParameters);
        CountOutbox = Prepare("SELECT count(*) FROM outbox WHERE id = $id", "$id");
        LeaseOutbox = Prepare(
            "UPDATE outbox SET lease_owner = $owner, lease_expires_at = $expires WHERE sequence IN ("
            + "SELECT sequence FROM outbox WHERE status = 0 AND next_attempt_at <= $now AND (lease_expires_at IS NULL OR lease_expires_at <= $now) "
            + "ORDER BY next_attempt_at, sequence LIMIT $max) RETURNING " + RawOutboxRow.SelectList,
            "$owner",
            "$expires",
            "$now",
            "$max");
        SelectOutboxDocuments = Prepare("SELECT id, document FROM outbox WHERE appeal_id = $appeal_id", "$appeal_id");
        UpdateOutboxDocument = Prepare("UPDATE outbox SET document = $document WHERE id = $id", "$id", "$document");

        ReserveNumbers = Prepare("UPDATE counters SET value = value + $count WHERE name = 'appeal_number' RETURNING value", "$count");
        ReturnNumbers = Prepare("UPDATE counters SET value = $value WHERE name = 'appeal_number' AND value = $expected", "$value", "$expected");
        SetCheckpoint = Prepare(
            "INSERT INTO checkpoints (key, value) VALUES ($key, $value) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            "$key",
            "$value");
    }

    public SqliteConnection Connection { get; }

    public FastStatement InsertMessageKey { get; }

    public Statement SelectByMessageKey { get; }

    public FastStatement InsertAppeal { get; }

    public FastStatement InsertAppealDocument { get; }

    public FastStatement UpdateAppeal { get; }

    public FastStatement UpdateAppealDocument { get; }

    public Statement SelectVersion { get; }

    public Statement MarkAnonymized { get; }

    public Statement SelectRetention { get; }

    public FastStatement InsertOutbox { get; }

    public FastStatement UpdateOutbox { get; }

    public Statement CountOutbox { get; }

    public Statement LeaseOutbox { get; }

    public Statement SelectOutboxDocuments { get; }

    public Statement UpdateOutboxDocument { get; }

    public Statement ReserveNumbers { get; }

    public Statement ReturnNumbers { get; }

    public Statement SetCheckpoint { get; }

    /// <summary>Returns the next open sequence: the order in which appeals were added or opened again, per store.</summary>
    /// <returns>A number greater than every one returned before (gaps are allowed).</returns>
    public long NextOpenSequence() => ++_openSequence;

    /// <summary>Gets a value indicating whether a transaction is open (SQLite rolls back by itself on some errors).</summary>
    public bool InTransaction => !Schema.IsAutocommit(Connection);

    public void Begin() => _begin.Execute();

    public void Commit() => _commit.Execute();

    /// <summary>Gets the number of rows changed on the connection since it opened (tells whether a failed write changed anything).</summary>
    public long TotalChanges => SQLitePCL.raw.sqlite3_total_changes(Connection.Handle);

    /// <summary>Rolls the open transaction back, if any; never throws.</summary>
    public void TryRollback()
    {
        try
        {
            if (InTransaction)
            {
                _rollback.Execute();
            }
        }
        catch (SqliteException)
        {
            // The connection is unusable or the transaction is already gone; the next batch reports the error.
        }
    }

    public void Dispose()
    {
        foreach (var statement in _all)
        {
            statement.Dispose();
        }
    }
}
