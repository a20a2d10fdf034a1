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
    public async Task Constructor_Version1File_MigratesToVersion2WithEveryAppealReplyAndKeyUsable()
    {
        var file = _folder.File("v1.db");
        var privateChat = Some.Appeal("p-1", Some.T0, conversation: "501", author: "501");
        var groupChat = Some.Appeal("g-1", Some.T0.AddMinutes(1), conversation: "-100777", author: "602");
        var closed = Some.Appeal("c-1", Some.T0.AddMinutes(2), conversation: "501", author: "501");
        Appeal storedPrivate;
        OutboxMessage delivered, failed, pending;
        await using (var v1 = new SqliteAppealStore(StoreFiles.Options(file), null, null, [Schema.Migrations[0]]))
        {
            await v1.AddAsync(privateChat, [Some.Outbox(privateChat)]);
            await v1.AddAsync(groupChat, [Some.Outbox(groupChat)]);
            var addedClosed = (await v1.AddAsync(closed, [Some.Outbox(closed)])).Appeal;
            await v1.UpdateAsync(addedClosed with { Status = AppealStatus.Closed, ClosedAt = Some.T0.AddHours(1) }, []);
            storedPrivate = await v1.UpdateAsync(
                privateChat with { Version = 1, Messages = [.. privateChat.Messages, new AppealMessage("p-2", "Ещё фото", Some.T0.AddMinutes(5))] },
                []);
            var leased = await v1.LeaseOutboxAsync(Some.T0.AddHours(1), 10, TimeSpan.FromMinutes(5), "d");
            Assert.Equal(3, leased.Count);
            delivered = leased[0] with { Status = OutboxStatus.Delivered, DeliveredParts = ["1"], CompletedAt = Some.T0.AddHours(1), LeaseOwner = null, LeaseExpiresAt = null };
            failed = leased[1] with { Status = OutboxStatus.Failed, LastError = "blocked", CompletedAt = Some.T0.AddHours(1), LeaseOwner = null, LeaseExpiresAt = null };
            pending = leased[2] with { Attempts = 1, NextAttemptAt = Some.T0.AddHours(2), LeaseOwner = null, LeaseExpiresAt = null };
            Assert.True(await v1.UpdateOutboxAsync(delivered, "d"));
            Assert.True(await v1.UpdateOutboxAsync(failed, "d"));
            Assert.True(await v1.UpdateOutboxAsync(pending, "d"));
            await v1.SetCheckpointAsync("telegram:offset", "42");
        }

        using (var raw = StoreFiles.OpenRaw(file))
        {
            Assert.Equal(1L, StoreFiles.Scalar(raw, "PRAGMA user_version"));
            Assert.Equal(1L, StoreFiles.Scalar(raw, "SELECT count(*) FROM sqlite_sequence WHERE name = 'outbox'"));
        }

        await using (var store = new SqliteAppealStore(StoreFiles.Options(file)))
        {
            Assert.Equal(2, store.SchemaVersionInFile);

            // Appeals, their message keys (first and follow-up) and conversations.
            var read = await store.GetAsync(privateChat.Id);
            Assert.NotNull(read);
            Assert.Equal(DocumentMapper.SerializeAppeal(storedPrivate), DocumentMapper.SerializeAppeal(read));
            Assert.Equal(privateChat.Id, (await store.FindByMessageAsync(ChannelId.Telegram, "p-2"))?.Id);
            Assert.Equal(groupChat.Id, (await store.FindByMessageAsync(ChannelId.Telegram, "g-1"))?.Id);
            Assert.Equal(privateChat.Id, (await store.FindOpenByConversationAsync(ChannelId.Telegram, "501"))?.Id);
            Assert.Equal(groupChat.Id, (await store.FindOpenByConversationAsync(ChannelId.Telegram, "-100777"))?.Id);
            Assert.False((await store.AddAsync(Some.Appeal("p-2"), [])).Added);

            // Authors: one who is the conversation (both appeals, the closed one too), one who is not.
            var byAuthor = await StoreFiles.ToListAsync(store.QueryAsync(new AppealQuery { Channel = ChannelId.Telegram, AuthorId = "501" }));
            Assert.Equal([privateChat.Id, closed.Id], byAuthor.Select(a => a.Id));
            var byGroupAuthor = await StoreFiles.ToListAsync(store.QueryAsync(new AppealQuery { Channel = ChannelId.Telegram, AuthorId = "602" }));
            Assert.Equal([groupChat.Id], byGroupAuthor.Select(a => a.Id));
            var byConversation = await StoreFiles.ToListAsync(store.QueryAsync(new AppealQuery { Channel = ChannelId.Telegram, ConversationKey = "501" }));
            Assert.Equal([privateChat.Id, closed.Id], byConversation.Select(a => a.Id));

            // The outbox: every row with its sequence, status and lease state; the dispatcher's order.
            Assert.Equal([delivered.Id], (await StoreFiles.ToListAsync(store.QueryOutboxAsync(OutboxStatus.Delivered))).Select(m => m.Id));
            Assert.Equal([failed.Id], (await StoreFiles.ToListAsync(store.QueryOutboxAsync(OutboxStatus.Failed))).Select(m => m.Id));
            var pendingNow = Assert.Single(await StoreFiles.ToListAsync(store.QueryOutboxAsync(OutboxStatus.Pending)));
            Assert.Equal(pending.Id, pendingNow.Id);
            Assert.Equal(pending.Sequence, pendingNow.Sequence);
            Assert.Equal(delivered.Sequence, Assert.Single(await store.GetOutboxAsync(delivered.AppealId)).Sequence);
            Assert.Equal("42", await store.GetCheckpointAsync("telegram:offset"));

            // Writing goes on: new replies follow the old ones, leases and updates work.
            var next = Some.Appeal("n-1", Some.T0.AddMinutes(3), conversation: "777", author: "777");
            Assert.True((await store.AddAsync(next, [Some.Outbox(next)])).Added);
            var newReply = Assert.Single(await store.GetOutboxAsync(next.Id));
            Assert.True(newReply.Sequence > new[] { delivered.Sequence, failed.Sequence, pending.Sequence }.Max());
            var leasedNow = await store.LeaseOutboxAsync(Some.T0.AddHours(3), 10, TimeSpan.FromMinutes(5), "d2");
            Assert.Equal([newReply.Id, pending.Id], leasedNow.Select(m => m.Id)); // by next attempt: the retry waits
            Assert.True(await store.UpdateOutboxAsync(leasedNow[0] with { Status = OutboxStatus.Delivered, DeliveredParts = ["1"], CompletedAt = Some.T0.AddHours(3), LeaseOwner = null, LeaseExpiresAt = null }, "d2"));
            Assert.Equal([delivered.Id, newReply.Id], (await StoreFiles.ToListAsync(store.QueryOutboxAsync(OutboxStatus.Delivered))).Select(m => m.Id));
            var reopened = await store.UpdateAsync(storedPrivate with { Text = storedPrivate.Text + " (уточнение)" }, []);
            Assert.Equal(storedPrivate.Version + 1, reopened.Version);
        }

        using var check = StoreFiles.OpenRaw(file);
        Assert.Equal(0L, StoreFiles.Scalar(check, "SELECT count(*) FROM sqlite_sequence"));
        Assert.Equal(0L, StoreFiles.Scalar(check, "SELECT count(*) FROM sqlite_schema WHERE name IN ('outbox_v1', 'ix_appeals_open_conversation')"));
        Assert.Equal("ok", StoreFiles.Scalar(check, "PRAGMA integrity_check"));
        Assert.Equal(0L, StoreFiles.Scalar(check, "SELECT count(*) FROM pragma_foreign_key_check"));
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
