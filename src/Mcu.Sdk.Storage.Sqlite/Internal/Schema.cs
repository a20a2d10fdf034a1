using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Mcu.Sdk.Storage.Sqlite.Internal;

/// <summary>One forward step of the schema.</summary>
/// <param name="Version">The schema version after the step (1, 2, ...).</param>
/// <param name="Description">What the step does.</param>
/// <param name="Sql">The statements, run in one transaction.</param>
internal sealed record Migration(int Version, string Description, string Sql);

/// <summary>The versioned schema of the store and the forward migrations applied when a database is opened.</summary>
/// <remarks>
/// The version lives in <c>PRAGMA user_version</c>; <c>PRAGMA application_id</c> marks the file as an Mcu.Sdk store so that
/// another application's database is refused instead of being written to. Each migration runs in its own
/// <c>BEGIN IMMEDIATE</c> transaction together with the version bump, so a crash during a migration leaves the previous
/// version intact, and two processes opening the same new file migrate it once.
/// </remarks>
internal static class Schema
{
    /// <summary>The application id in the database header: the ASCII bytes <c>MCUS</c>.</summary>
    public const int ApplicationId = 0x4D435553;

    /// <summary>Gets the migrations of this version of the package, in order.</summary>
    public static IReadOnlyList<Migration> Migrations { get; } =
    [
        new(1, "appeals and their documents, message keys, outbox, checkpoints, counters", """
            CREATE TABLE appeals (
                seq INTEGER PRIMARY KEY,
                id BLOB NOT NULL UNIQUE,
                number INTEGER NOT NULL,
                channel TEXT NOT NULL,
                conversation_key TEXT NOT NULL,
                author_id TEXT,
                status INTEGER NOT NULL,
                is_open INTEGER NOT NULL,
                unit_id TEXT,
                topic TEXT NOT NULL,
                subtopic TEXT,
                priority INTEGER NOT NULL,
                urgent INTEGER NOT NULL,
                out_of_scope INTEGER NOT NULL,
                monitoring INTEGER NOT NULL,
                district TEXT,
                received_at INTEGER NOT NULL,
                first_answer_due INTEGER,
                resolution_due INTEGER,
                sla_policy TEXT,
                first_answered_at INTEGER,
                resolved_at INTEGER,
                closed_at INTEGER,
                clock_paused_at INTEGER,
                rating INTEGER,
                version INTEGER NOT NULL,
                open_seq INTEGER NOT NULL,
                anonymized_at INTEGER
            );
            CREATE INDEX ix_appeals_received ON appeals (received_at, number);
            CREATE INDEX ix_appeals_open ON appeals (received_at, number) WHERE is_open = 1;
            CREATE INDEX ix_appeals_open_conversation ON appeals (channel, conversation_key, open_seq) WHERE is_open = 1;
            CREATE INDEX ix_appeals_unit ON appeals (unit_id, received_at);
            CREATE INDEX ix_appeals_author ON appeals (channel, author_id) WHERE author_id IS NOT NULL;
            CREATE INDEX ix_appeals_retention ON appeals (closed_at) WHERE is_open = 0 AND anonymized_at IS NULL;

            -- The documents live beside the rows, so that scans of the columns (reports, the SLA monitor's load) read small rows.
            CREATE TABLE appeal_documents (
                seq INTEGER PRIMARY KEY,
                document BLOB NOT NULL
            );

            CREATE TABLE messages (
                key BLOB PRIMARY KEY,
                appeal_id BLOB NOT NULL
            ) WITHOUT ROWID;

            CREATE TABLE outbox (
                sequence INTEGER PRIMARY KEY AUTOINCREMENT,
                id BLOB NOT NULL UNIQUE,
                appeal_id BLOB NOT NULL,
                status INTEGER NOT NULL,
                attempts INTEGER NOT NULL,
                created_at INTEGER NOT NULL,
                next_attempt_at INTEGER NOT NULL,
                lease_owner TEXT,
                lease_expires_at INTEGER,
                completed_at INTEGER,
                document BLOB NOT NULL
            );
            CREATE INDEX ix_outbox_appeal ON outbox (appeal_id, sequence);
            CREATE INDEX ix_outbox_due ON outbox (next_attempt_at, sequence) WHERE status = 0;
            CREATE INDEX ix_outbox_status ON outbox (status, sequence);

            CREATE TABLE checkpoints (
                key TEXT PRIMARY KEY,
                value TEXT NOT NULL
            ) WITHOUT ROWID;

            CREATE TABLE counters (
                name TEXT PRIMARY KEY,
                value INTEGER NOT NULL
            ) WITHOUT ROWID;
            INSERT INTO counters (name, value) VALUES ('appeal_number', 0);
            """),

        // Fewer pages written per commit: an appeal whose author is its conversation (a private chat, a VK dialogue) no longer
        // enters a second randomly placed index; a new reply no longer rewrites the sqlite_sequence row nor enters the index
        // by status (pending replies are found through ix_outbox_due). Outbox rows are never deleted, so the largest sequence
        // plus one (the plain integer key) is as increasing as AUTOINCREMENT was.
        new(2, "conversation index over all appeals, author index for authors other than the conversation, outbox without AUTOINCREMENT and without pending replies in the status index", """
            DROP INDEX ix_appeals_open_conversation;
            CREATE INDEX ix_appeals_conversation ON appeals (channel, conversation_key, is_open, open_seq);
            DROP INDEX ix_appeals_author;
            CREATE INDEX ix_appeals_author ON appeals (channel, author_id) WHERE author_id IS NOT NULL AND author_id <> conversation_key;

            ALTER TABLE outbox RENAME TO outbox_v1;
            CREATE TABLE outbox (
                sequence INTEGER PRIMARY KEY,
                id BLOB NOT NULL UNIQUE,
                appeal_id BLOB NOT NULL,
                status INTEGER NOT NULL,
                attempts INTEGER NOT NULL,
                created_at INTEGER NOT NULL,
                next_attempt_at INTEGER NOT NULL,
                lease_owner TEXT,
                lease_expires_at INTEGER,
                completed_at INTEGER,
                document BLOB NOT NULL
            );
            INSERT INTO outbox (sequence, id, appeal_id, status, attempts, created_at, next_attempt_at, lease_owner, lease_expires_at, completed_at, document)
                SELECT sequence, id, appeal_id, status, attempts, created_at, next_attempt_at, lease_owner, lease_expires_at, completed_at, document
                FROM outbox_v1 ORDER BY sequence;
            DROP TABLE outbox_v1;
            CREATE INDEX ix_outbox_appeal ON outbox (appeal_id, sequence);
            CREATE INDEX ix_outbox_due ON outbox (next_attempt_at, sequence) WHERE status = 0;
            CREATE INDEX ix_outbox_status ON outbox (status, sequence) WHERE status <> 0;
            """),
    ];

    /// <summary>Gets the schema version this package writes.</summary>
    public static int CurrentVersion => Migrations[^1].Version;

    /// <summary>Brings a database to the newest version of <paramref name="migrations"/>.</summary>
    /// <param name="connection">An open connection (the writer's).</param>
    /// <param name="migrations">The migrations, in order, numbered from 1 without gaps.</param>
    /// <param name="dataSource">The file name, for error messages.</param>
    /// <returns>The schema version before the migration (0 for a new file).</returns>
    /// <exception cref="McuException">The file is another application's database or comes from a newer version.</exception>
    public static int Migrate(SqliteConnection connection, IReadOnlyList<Migration> migrations, string dataSource)
    {
        for (var i = 0; i < migrations.Count; i++)
        {
            if (migrations[i].Version != i + 1)
            {
                throw new InvalidOperationException($"Migration {i} has version {migrations[i].Version}; versions must go 1, 2, 3 without gaps.");
            }
        }

        var target = migrations.Count;
        var initial = -1;
        while (true)
        {
            Execute(connection, "BEGIN IMMEDIATE");
            try
            {
                var version = Check(connection, target, dataSource);
                if (initial < 0)
                {
                    initial = version;
                }

                if (version == target)
                {
                    Execute(connection, "COMMIT");
                    return initial;
                }

                var migration = migrations[version];
                Execute(connection, migration.Sql);
                Execute(connection, string.Create(CultureInfo.InvariantCulture, $"PRAGMA application_id = {ApplicationId}; PRAGMA user_version = {migration.Version};"));
                Execute(connection, "COMMIT");
            }
            catch
            {
                if (!IsAutocommit(connection))
                {
                    Execute(connection, "ROLLBACK");
                }

                throw;
            }
        }
    }

    /// <summary>Reads the header of an open database and checks that this package may use it, without changing anything.</summary>
    /// <param name="connection">An open connection.</param>
    /// <param name="target">The newest schema version this package knows.</param>
    /// <param name="dataSource">The file name, for error messages.</param>
    /// <returns>The schema version of the file (0 for a new file).</returns>
    /// <exception cref="McuException">The file is another application's database or comes from a newer version.</exception>
    public static int Check(SqliteConnection connection, int target, string dataSource)
    {
        var applicationId = Convert.ToInt32(Scalar(connection, "PRAGMA application_id"), CultureInfo.InvariantCulture);
        var version = Convert.ToInt32(Scalar(connection, "PRAGMA user_version"), CultureInfo.InvariantCulture);
        if (applicationId == 0 && version == 0)
        {
            var tables = Convert.ToInt64(Scalar(connection, "SELECT count(*) FROM sqlite_schema"), CultureInfo.InvariantCulture);
            if (tables > 0)
            {
                throw new McuException($"The SQLite database '{dataSource}' already holds {tables} schema object(s) of another application; the Mcu.Sdk store needs a new file or one it created.");
            }

            return 0;
        }

        if (applicationId != ApplicationId)
        {
            throw new McuException(string.Create(CultureInfo.InvariantCulture, $"The SQLite database '{dataSource}' belongs to another application (application_id 0x{applicationId:X8}); the Mcu.Sdk store needs a new file or one it created."));
        }

        if (version > target)
        {
            throw new McuException(string.Create(CultureInfo.InvariantCulture, $"The SQLite database '{dataSource}' has schema version {version}, written by a newer version of Mcu.Sdk.Storage.Sqlite; this version knows schema versions up to {target}. Upgrade the package (schemas only move forward) or open a copy made before the upgrade."));
        }

        return version;
    }

    /// <summary>Tells whether a connection is outside a transaction (SQLite rolls some failed transactions back by itself).</summary>
    /// <param name="connection">The connection.</param>
    /// <returns><see langword="true"/> when no transaction is open.</returns>
    public static bool IsAutocommit(SqliteConnection connection) => SQLitePCL.raw.sqlite3_get_autocommit(connection.Handle) != 0;

    private static object? Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
