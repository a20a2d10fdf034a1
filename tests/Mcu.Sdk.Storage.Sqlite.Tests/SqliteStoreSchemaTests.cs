using System.Globalization;
using Mcu.Sdk.Storage.Sqlite.Internal;

namespace Mcu.Sdk.Storage.Sqlite.Tests;

/// <summary>Opening files: the versioned schema, forward migrations, refusing foreign and newer files, options.</summary>
public sealed class SqliteStoreSchemaTests : IDisposable
{
    private readonly TempDirectory _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Constructor_NewFile_CreatesCurrentSchemaInWalMode()
    {
        var file = _folder.File("new.db");

        await using (var store = new SqliteAppealStore(StoreFiles.Options(file)))
        {
            Assert.Equal(file, store.DataSource);
            Assert.Equal("wal", await store.ReadWriterPragmaAsync("journal_mode"));
        }

        using var raw = StoreFiles.OpenRaw(file);
        Assert.Equal((long)SqliteAppealStore.SchemaVersion, StoreFiles.Scalar(raw, "PRAGMA user_version"));
        Assert.Equal((long)Schema.ApplicationId, StoreFiles.Scalar(raw, "PRAGMA application_id"));
        Assert.Equal("wal", StoreFiles.Scalar(raw, "PRAGMA journal_mode"));
        foreach (var table in new[] { "appeals", "messages", "outbox", "checkpoints", "counters" })
        {
            Assert.Equal(1L, StoreFiles.Scalar(raw, $"SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = '{table}'"));
        }
    }

    [Fact]
    public async Task Constructor_MissingFolder_CreatesIt()
    {
        var file = Path.Combine(_folder.Path, "data", "city", "mcu.db");

        await using var store = new SqliteAppealStore(StoreFiles.Options(file));

        Assert.True(File.Exists(file));
    }

    [Theory]
    [InlineData(SqliteSynchronousMode.Full, "2")]
    [InlineData(SqliteSynchronousMode.Normal, "1")]
    [InlineData(SqliteSynchronousMode.Extra, "3")]
    public async Task Constructor_SynchronousMode_IsSetOnTheWriter(SqliteSynchronousMode mode, string expected)
    {
        await using var store = new SqliteAppealStore(StoreFiles.Options(_folder.File("sync.db"), o => o.Synchronous = mode));

        Assert.Equal(expected, await store.ReadWriterPragmaAsync("synchronous"));
    }

    [Fact]
    public void Options_Default_IsDurable()
    {
        Assert.Equal(SqliteSynchronousMode.Full, new SqliteStoreOptions().Synchronous);
    }

    [Fact]
    public async Task Constructor_FileFromNewerVersion_ThrowsClearErrorAndLeavesFileAlone()
    {
        var file = _folder.File("newer.db");
        await new SqliteAppealStore(StoreFiles.Options(file)).DisposeAsync();
        using (var raw = StoreFiles.OpenRaw(file))
        {
            StoreFiles.Execute(raw, "PRAGMA user_version = 99");
        }

        var error = Assert.Throws<McuException>(() => new SqliteAppealStore(StoreFiles.Options(file)));

        Assert.Contains("schema version 99", error.Message, StringComparison.Ordinal);
        Assert.Contains("newer version", error.Message, StringComparison.Ordinal);
        Assert.Contains(string.Create(CultureInfo.InvariantCulture, $"up to {SqliteAppealStore.SchemaVersion}"), error.Message, StringComparison.Ordinal);
        using var check = StoreFiles.OpenRaw(file);
        Assert.Equal(99L, StoreFiles.Scalar(check, "PRAGMA user_version"));
    }

    [Fact]
    public void Constructor_AnotherApplicationsDatabase_IsRefused()
    {
        var file = _folder.File("foreign.db");
        using (var raw = StoreFiles.OpenRaw(file))
        {
            StoreFiles.Execute(raw, "CREATE TABLE invoices (id INTEGER PRIMARY KEY, total REAL)");
        }

        var error = Assert.Throws<McuException>(() => new SqliteAppealStore(StoreFiles.Options(file)));

        Assert.Contains("another application", error.Message, StringComparison.Ordinal);
        using var check = StoreFiles.OpenRaw(file);
        Assert.Equal("delete", StoreFiles.Scalar(check, "PRAGMA journal_mode"));
        Assert.Equal(0L, StoreFiles.Scalar(check, "PRAGMA user_version"));
    }

    [Fact]
    public void Constructor_ForeignApplicationId_IsRefused()
    {
        var file = _folder.File("foreign-id.db");
        using (var raw = StoreFiles.OpenRaw(file))
        {
            StoreFiles.Execute(raw, "PRAGMA application_id = 42; PRAGMA user_version = 1;");
        }

        var error = Assert.Throws<McuException>(() => new SqliteAppealStore(StoreFiles.Options(file)));

        Assert.Contains("0x0000002A", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Constructor_OlderSchema_AppliesForwardMigrationOnceAndKeepsData()
    {
        var file = _folder.File("migrate.db");
        var appeal = Some.Appeal("m-1");
        await using (var v1 = new SqliteAppealStore(StoreFiles.Options(file), null, null, Schema.Migrations))
        {
            await v1.AddAsync(appeal, [Some.Outbox(appeal)]);
        }

        IReadOnlyList<Migration> next =
        [
            .. Schema.Migrations,
            new Migration(Schema.Migrations.Count + 1, "notes of specialists", "CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT NOT NULL); ALTER TABLE appeals ADD COLUMN note TEXT;"),
        ];
        await using (var v2 = new SqliteAppealStore(StoreFiles.Options(file), null, null, next))
        {
            Assert.Equal(next.Count, v2.SchemaVersionInFile);
            Assert.Equal(appeal.Id, (await v2.GetAsync(appeal.Id))?.Id);
            Assert.Single(await v2.GetOutboxAsync(appeal.Id));
        }

        // Opening again does not run the step again (it would fail: the table exists), and the older package refuses the file.
        await using (var again = new SqliteAppealStore(StoreFiles.Options(file), null, null, next))
        {
            Assert.Equal(appeal.Id, (await again.FindByMessageAsync(ChannelId.Telegram, "m-1"))?.Id);
        }

        Assert.Throws<McuException>(() => new SqliteAppealStore(StoreFiles.Options(file)));
    }

    [Fact]
    public async Task Constructor_FailingMigration_LeavesPreviousVersionIntact()
    {
        var file = _folder.File("broken-migration.db");
        await new SqliteAppealStore(StoreFiles.Options(file)).DisposeAsync();
        IReadOnlyList<Migration> broken =
        [
            .. Schema.Migrations,
            new Migration(Schema.Migrations.Count + 1, "half done", "CREATE TABLE half (id INTEGER); INSERT INTO no_such_table VALUES (1);"),
        ];

        Assert.ThrowsAny<Microsoft.Data.Sqlite.SqliteException>(() => new SqliteAppealStore(StoreFiles.Options(file), null, null, broken));

        using var raw = StoreFiles.OpenRaw(file);
        Assert.Equal((long)SqliteAppealStore.SchemaVersion, StoreFiles.Scalar(raw, "PRAGMA user_version"));
        Assert.Equal(0L, StoreFiles.Scalar(raw, "SELECT count(*) FROM sqlite_schema WHERE name = 'half'"));
    }

    [Theory]
    [InlineData(null, "ConnectionString is required")]
    [InlineData("Data Source=:memory:", "in-memory database is not durable")]
    [InlineData("Data Source=x.db;Mode=Memory", "in-memory database is not durable")]
    [InlineData("Data Source=x.db;Mode=ReadOnly", "must allow writing")]
    [InlineData("Data Source=x.db;Bogus Key=1", "not a valid SQLite connection string")]
    public void Constructor_InvalidConnectionString_ThrowsArgumentExceptionNamingTheProblem(string? connectionString, string expected)
    {
        var error = Assert.Throws<ArgumentException>(() => new SqliteAppealStore(new SqliteStoreOptions { ConnectionString = connectionString }));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_OutOfRangeOptions_ListsEveryProblem()
    {
        var options = StoreFiles.Options(_folder.File("x.db"), o =>
        {
            o.MaxBatchSize = 0;
            o.ReadConnections = 1000;
            o.BusyTimeout = TimeSpan.Zero;
            o.RetentionPeriod = TimeSpan.FromHours(1);
            o.RetentionCheckInterval = TimeSpan.FromDays(365);
            o.Synchronous = (SqliteSynchronousMode)7;
        });

        var error = Assert.Throws<ArgumentException>(() => new SqliteAppealStore(options));

        foreach (var name in new[] { "MaxBatchSize", "ReadConnections", "BusyTimeout", "RetentionPeriod", "RetentionCheckInterval", "Synchronous" })
        {
            Assert.Contains("Sqlite:" + name, error.Message, StringComparison.Ordinal);
        }
    }
}
