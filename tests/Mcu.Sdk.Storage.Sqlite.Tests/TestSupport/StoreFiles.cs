using Mcu.Sdk.Testing;
using Mcu.Sdk.Classification;
using Microsoft.Data.Sqlite;

namespace Mcu.Sdk.Storage.Sqlite.Tests.TestSupport;

/// <summary>Helpers for tests on real SQLite files.</summary>
internal static class StoreFiles
{
    public static SqliteStoreOptions Options(string file, Action<SqliteStoreOptions>? configure = null)
    {
        var options = new SqliteStoreOptions { ConnectionString = "Data Source=" + file };
        configure?.Invoke(options);
        return options;
    }

    /// <summary>Opens a plain connection to a store's file, as another process would.</summary>
    public static SqliteConnection OpenRaw(string file)
    {
        var connection = new SqliteConnection($"Data Source={file};Pooling=False");
        connection.Open();
        return connection;
    }

    public static object? Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    public static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    /// <summary>Waits, without sleeping, until a condition holds (bounded: fails after 20 seconds).</summary>
    public static async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (!condition())
        {
            Assert.False(timeout.IsCancellationRequested, $"Timed out waiting until {what}.");
            await Task.Yield();
        }
    }

    public static async Task<List<T>> ToListAsync<T>(IAsyncEnumerable<T> source)
    {
        var list = new List<T>();
        await foreach (var item in source)
        {
            list.Add(item);
        }

        return list;
    }
}

/// <summary>
/// Holds the database's write lock from another connection (as another process would), so that the store's writer waits
/// and the writes queued meanwhile form one batch when the lock is released.
/// </summary>
internal sealed class WriteLock : IDisposable
{
    private readonly SqliteConnection _connection;
    private bool _released;

    public WriteLock(string file)
    {
        _connection = StoreFiles.OpenRaw(file);
        StoreFiles.Execute(_connection, "BEGIN IMMEDIATE");
    }

    public void Release()
    {
        if (!_released)
        {
            _released = true;
            StoreFiles.Execute(_connection, "COMMIT");
        }
    }

    public void Dispose()
    {
        Release();
        _connection.Dispose();
    }
}

/// <summary>Test data.</summary>
internal static class Some
{
    public static readonly DateTimeOffset T0 = new(2026, 3, 2, 9, 0, 0, TimeSpan.FromHours(3));

    public static Appeal Appeal(string externalId, DateTimeOffset? receivedAt = null, string? text = null, string conversation = "501", string author = "501", string? name = "Иван Петров")
    {
        var at = receivedAt ?? T0;
        var body = text ?? "На перекрёстке не работает светофор";
        return new Appeal
        {
            Id = Guid.CreateVersion7(at),
            Channel = ChannelId.Telegram,
            ExternalId = externalId,
            ConversationKey = conversation,
            ReplyAddress = new ReplyAddress(ChannelId.Telegram, conversation, null, externalId),
            Author = new Author(author, name),
            Text = body,
            ReceivedAt = at,
            Messages = [new AppealMessage(externalId, body, at)],
            Classification = new AppealClassification(TopicCode.Roads, "traffic-lights", false, false, 0.9),
            UnitId = "unit-roads",
            Status = AppealStatus.Routed,
        };
    }

    public static OutboxMessage Outbox(Appeal appeal, string text = "Ваше обращение принято") => new()
    {
        Id = Guid.CreateVersion7(appeal.ReceivedAt),
        AppealId = appeal.Id,
        Address = appeal.ReplyAddress,
        Kind = ReplyKind.Acknowledgement,
        Text = text,
        CreatedAt = appeal.ReceivedAt,
        NextAttemptAt = appeal.ReceivedAt,
    };
}

