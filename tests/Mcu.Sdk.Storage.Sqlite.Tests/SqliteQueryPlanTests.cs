using System.Text;
using Mcu.Sdk.Storage.Sqlite.Internal;
using Microsoft.Data.Sqlite;

namespace Mcu.Sdk.Storage.Sqlite.Tests;

/// <summary>Every lookup the store serves is answered from an index, as SQLite plans it on the current schema.</summary>
public sealed class SqliteQueryPlanTests : IDisposable
{
    private readonly TempDirectory _folder = new();

    public void Dispose() => _folder.Dispose();

    public static TheoryData<string, string, string> Lookups => new()
    {
        {
            "message key",
            "SELECT d.document FROM messages m JOIN appeals a ON a.id = m.appeal_id JOIN appeal_documents d ON d.seq = a.seq WHERE m.key = x'00'",
            "SEARCH m USING PRIMARY KEY (key=?)"
        },
        {
            "open appeal of a conversation",
            "SELECT d.document FROM appeals a JOIN appeal_documents d ON d.seq = a.seq WHERE a.channel = 'telegram' AND a.conversation_key = '501' AND a.is_open = 1 ORDER BY a.open_seq DESC LIMIT 1",
            "ix_appeals_conversation (channel=? AND conversation_key=? AND is_open=?)"
        },
        { "pending replies", "SELECT sequence FROM outbox INDEXED BY ix_outbox_due WHERE status = 0 ORDER BY sequence", "ix_outbox_due" },
        { "replies by status", "SELECT sequence FROM outbox INDEXED BY ix_outbox_status WHERE status = 1 AND status <> 0 ORDER BY sequence", "ix_outbox_status (status=?)" },
        {
            "due replies",
            "SELECT sequence FROM outbox WHERE status = 0 AND next_attempt_at <= 5 AND (lease_expires_at IS NULL OR lease_expires_at <= 5) ORDER BY next_attempt_at, sequence LIMIT 10",
            "ix_outbox_due (next_attempt_at<?)"
        },
        { "replies of an appeal", "SELECT sequence FROM outbox WHERE appeal_id = x'00' ORDER BY sequence", "ix_outbox_appeal (appeal_id=?)" },
        { "reply by id", "SELECT count(*) FROM outbox WHERE id = x'00'", "sqlite_autoindex_outbox_1 (id=?)" },
    };

    [Theory]
    [MemberData(nameof(Lookups))]
    public async Task Lookup_UsesItsIndex(string what, string sql, string expected)
    {
        var plan = await PlanAsync(sql, []);

        Assert.True(plan.Contains(expected, StringComparison.Ordinal), $"{what}: {plan}");
    }

    [Fact]
    public async Task QueryByChannelAndAuthor_SearchesBothAuthorIndexes()
    {
        var (sql, names, values) = AppealQuerySql.Build(new AppealQuery { Channel = ChannelId.Telegram, AuthorId = "501", OpenOnly = true });

        var plan = await PlanAsync(sql, names.Zip(values).ToArray());

        Assert.Contains("ix_appeals_conversation (channel=? AND conversation_key=?)", plan, StringComparison.Ordinal);
        Assert.Contains("ix_appeals_author (channel=? AND author_id=?)", plan, StringComparison.Ordinal);
        Assert.Contains("SEARCH a USING INTEGER PRIMARY KEY (rowid=?)", plan, StringComparison.Ordinal);
        Assert.DoesNotContain("SCAN a", plan, StringComparison.Ordinal);
    }

    [Fact]
    public async Task QueryByChannelAndConversation_UsesConversationIndex()
    {
        var (sql, names, values) = AppealQuerySql.Build(new AppealQuery { Channel = ChannelId.Vk, ConversationKey = "2000000001" });

        var plan = await PlanAsync(sql, names.Zip(values).ToArray());

        Assert.Contains("ix_appeals_conversation (channel=? AND conversation_key=?)", plan, StringComparison.Ordinal);
    }

    [Fact]
    public async Task QueryOpenOnly_UsesOpenIndex()
    {
        var (sql, names, values) = AppealQuerySql.Build(new AppealQuery { OpenOnly = true });

        var plan = await PlanAsync(sql, names.Zip(values).ToArray());

        Assert.Contains("ix_appeals_open", plan, StringComparison.Ordinal);
    }

    private async Task<string> PlanAsync(string sql, (string Name, object Value)[] parameters)
    {
        var file = _folder.File(Guid.NewGuid().ToString("N") + ".db");
        await new SqliteAppealStore(StoreFiles.Options(file)).DisposeAsync();
        using var connection = StoreFiles.OpenRaw(file);
        using var command = connection.CreateCommand();
#pragma warning disable CA2100 // The store's own SQL.
        command.CommandText = "EXPLAIN QUERY PLAN " + sql;
#pragma warning restore CA2100
        foreach (var (name, value) in parameters)
        {
            command.Parameters.Add(new SqliteParameter(name, value));
        }

        var plan = new StringBuilder();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            plan.Append(reader.GetString(3)).Append(" | ");
        }

        return plan.ToString();
    }
}
