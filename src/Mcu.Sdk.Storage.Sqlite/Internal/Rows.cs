using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Data.Sqlite;

namespace Mcu.Sdk.Storage.Sqlite.Internal;

/// <summary>Conversions between model values and column values.</summary>
internal static class Columns
{
    /// <summary>Converts an id to its 16-byte big-endian form (version-7 ids then sort by time).</summary>
    /// <param name="id">The id.</param>
    /// <returns>The bytes.</returns>
    public static byte[] Id(Guid id) => id.ToByteArray(bigEndian: true);

    /// <summary>Reads an id column.</summary>
    /// <param name="reader">The reader.</param>
    /// <param name="ordinal">The column.</param>
    /// <returns>The id.</returns>
    public static Guid ReadId(SqliteDataReader reader, int ordinal)
    {
        var bytes = ReadBytes(reader, ordinal);
        if (bytes.Length != 16)
        {
            throw new InvalidDataException($"An id column holds {bytes.Length} bytes instead of 16.");
        }

        return new Guid(bytes, bigEndian: true);
    }

    /// <summary>Converts a time to its column value: UTC ticks.</summary>
    /// <param name="time">The time.</param>
    /// <returns>The ticks.</returns>
    public static long Time(DateTimeOffset time) => time.UtcTicks;

    /// <summary>Converts an optional time to its column value.</summary>
    /// <param name="time">The time.</param>
    /// <returns>The ticks, or <see cref="DBNull.Value"/>.</returns>
    public static object Time(DateTimeOffset? time) => time is { } t ? t.UtcTicks : DBNull.Value;

    /// <summary>Reads a time column (UTC).</summary>
    /// <param name="reader">The reader.</param>
    /// <param name="ordinal">The column.</param>
    /// <returns>The time.</returns>
    public static DateTimeOffset ReadTime(SqliteDataReader reader, int ordinal) => new(reader.GetInt64(ordinal), TimeSpan.Zero);

    /// <summary>Reads an optional time column (UTC).</summary>
    /// <param name="reader">The reader.</param>
    /// <param name="ordinal">The column.</param>
    /// <returns>The time, or <see langword="null"/>.</returns>
    public static DateTimeOffset? ReadOptionalTime(SqliteDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : new DateTimeOffset(reader.GetInt64(ordinal), TimeSpan.Zero);

    /// <summary>Converts a nullable value to a parameter value.</summary>
    /// <param name="value">The value.</param>
    /// <returns>The value, or <see cref="DBNull.Value"/>.</returns>
    public static object Nullable(object? value) => value ?? DBNull.Value;

    /// <summary>Reads a blob column and hands it to a parser.</summary>
    /// <typeparam name="T">The parsed type.</typeparam>
    /// <param name="reader">The reader.</param>
    /// <param name="ordinal">The column.</param>
    /// <param name="parse">The parser.</param>
    /// <returns>What the parser returned.</returns>
    public static T ReadBlob<T>(SqliteDataReader reader, int ordinal, ReadOnlySpanParser<T> parse) => parse(ReadBytes(reader, ordinal));

    /// <summary>Reads a blob column as a new array.</summary>
    /// <param name="reader">The reader.</param>
    /// <param name="ordinal">The column.</param>
    /// <returns>The bytes.</returns>
    /// <remarks>
    /// <see cref="SqliteDataReader.GetBytes"/> opens an incremental blob handle on a table column, which costs several
    /// microseconds per value; the typed getter copies the value the statement already holds.
    /// </remarks>
    public static byte[] ReadBytes(SqliteDataReader reader, int ordinal) => reader.GetFieldValue<byte[]>(ordinal);

    /// <summary>Computes the key of a citizen's message in the <c>messages</c> table.</summary>
    /// <param name="channel">The channel.</param>
    /// <param name="externalId">The channel's message id.</param>
    /// <returns>The first 16 bytes of SHA-256 over <c>channel \n externalId</c>: the table never holds a raw message id.</returns>
    public static byte[] MessageKey(ChannelId channel, string externalId)
    {
        var value = channel.Value;
        var max = Encoding.UTF8.GetMaxByteCount(value.Length + externalId.Length + 1);
        var rented = max > 512 ? ArrayPool<byte>.Shared.Rent(max) : null;
        Span<byte> input = rented ?? stackalloc byte[512];
        try
        {
            var length = Encoding.UTF8.GetBytes(value, input);
            input[length++] = (byte)'\n';
            length += Encoding.UTF8.GetBytes(externalId, input[length..]);
            Span<byte> hash = stackalloc byte[32];
            SHA256.HashData(input[..length], hash);
            return hash[..16].ToArray();
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }
}

/// <summary>Parses a span.</summary>
/// <typeparam name="T">The result type.</typeparam>
/// <param name="utf8">The bytes.</param>
/// <returns>The result.</returns>
internal delegate T ReadOnlySpanParser<out T>(ReadOnlySpan<byte> utf8);

/// <summary>The column values of an appeal, computed on the caller's thread before the write is queued.</summary>
internal sealed class AppealRow
{
    /// <summary>The parameter names shared by the insert and update statements, in the order of the row's values.</summary>
    public static readonly string[] Parameters =
    [
        "$id", "$number", "$channel", "$conversation_key", "$author_id", "$status", "$is_open", "$unit_id", "$topic", "$subtopic", "$priority",
        "$urgent", "$out_of_scope", "$monitoring", "$district", "$received_at", "$first_answer_due", "$resolution_due", "$sla_policy",
        "$first_answered_at", "$resolved_at", "$closed_at", "$clock_paused_at", "$rating", "$version",
    ];

    private readonly object[] _values;

    private AppealRow(Appeal appeal, byte[] id, object[] values, byte[][] messageKeys, byte[] document)
    {
        Appeal = appeal;
        IdBytes = id;
        _values = values;
        MessageKeys = messageKeys;
        Document = document;
    }

    /// <summary>Gets the document: the whole snapshot as UTF-8 JSON.</summary>
    public byte[] Document { get; }

    /// <summary>Gets the appeal as stored.</summary>
    public Appeal Appeal { get; }

    /// <summary>Gets the id column.</summary>
    public byte[] IdBytes { get; }

    /// <summary>Gets the keys of the appeal's messages: the first message first.</summary>
    public byte[][] MessageKeys { get; }

    /// <summary>Computes the row of an appeal snapshot (with the version it is stored at).</summary>
    /// <param name="appeal">The appeal.</param>
    /// <returns>The row.</returns>
    public static AppealRow From(Appeal appeal)
    {
        var id = Columns.Id(appeal.Id);
        var values = new object[]
        {
            id,
            appeal.Number,
            appeal.Channel.Value,
            appeal.ConversationKey,
            Columns.Nullable(appeal.Author.Id),
            (int)appeal.Status,
            appeal.IsOpen ? 1 : 0,
            Columns.Nullable(appeal.UnitId),
            appeal.Topic.Value,
            Columns.Nullable(appeal.Classification?.Subtopic),
            (int)appeal.Priority,
            appeal.Classification is { IsUrgent: true } ? 1 : 0,
            appeal.Classification is { IsOutOfScope: true } ? 1 : 0,
            appeal.FoundByMonitoring ? 1 : 0,
            Columns.Nullable(appeal.District),
            Columns.Time(appeal.ReceivedAt),
            Columns.Time(appeal.Deadlines?.FirstAnswerDue),
            Columns.Time(appeal.Deadlines?.ResolutionDue),
            Columns.Nullable(appeal.Deadlines?.PolicyName),
            Columns.Time(appeal.FirstAnsweredAt),
            Columns.Time(appeal.ResolvedAt),
            Columns.Time(appeal.ClosedAt),
            Columns.Time(appeal.ClockPausedAt),
            Columns.Nullable(appeal.Rating),
            appeal.Version,
            0L, // open_seq: assigned by the writer
            DBNull.Value, // the expected version of an update
        };

        var keys = new List<byte[]>(appeal.Messages.Count + 1) { Columns.MessageKey(appeal.Channel, appeal.ExternalId) };
        foreach (var message in appeal.Messages)
        {
            if (!string.Equals(message.ExternalId, appeal.ExternalId, StringComparison.Ordinal))
            {
                keys.Add(Columns.MessageKey(appeal.Channel, message.ExternalId));
            }
        }

        return new AppealRow(appeal, id, values, [.. keys], DocumentMapper.SerializeAppeal(appeal));
    }

    /// <summary>Inserts the row and its document.</summary>
    /// <param name="session">The writer's session.</param>
    public void Insert(WriteSession session)
    {
        _values[^2] = session.NextOpenSequence();
        session.InsertAppeal.Execute(_values.AsSpan(0, _values.Length - 1));
        session.InsertAppealDocument.Execute(Document);
    }

    /// <summary>Updates the row and its document if its stored version is the expected one.</summary>
    /// <param name="session">The writer's session.</param>
    /// <param name="expectedVersion">The version the row must have.</param>
    /// <returns><see langword="true"/> when the row was updated.</returns>
    public bool Update(WriteSession session, long expectedVersion)
    {
        _values[^2] = session.NextOpenSequence();
        _values[^1] = expectedVersion;
        if (session.UpdateAppeal.Execute(_values) != 1)
        {
            return false;
        }

        session.UpdateAppealDocument.Execute(IdBytes, Document);
        return true;
    }
}

/// <summary>The column values of an outbox message.</summary>
internal sealed class OutboxRow
{
    /// <summary>The parameter names of the insert statement, in <see cref="Insert"/> order.</summary>
    public static readonly string[] InsertParameters =
    [
        "$id", "$appeal_id", "$status", "$attempts", "$created_at", "$next_attempt_at", "$lease_owner", "$lease_expires_at", "$completed_at", "$document",
    ];

    /// <summary>The parameter names of the update statement, in <see cref="Update"/> order.</summary>
    public static readonly string[] UpdateParameters =
    [
        "$id", "$status", "$attempts", "$next_attempt_at", "$lease_owner", "$lease_expires_at", "$completed_at", "$document", "$owner",
    ];

    private OutboxRow(OutboxMessage message)
    {
        Message = message;
        IdBytes = Columns.Id(message.Id);
        Document = DocumentMapper.SerializeOutbox(message);
    }

    /// <summary>Gets the message.</summary>
    public OutboxMessage Message { get; }

    /// <summary>Gets the id column.</summary>
    public byte[] IdBytes { get; }

    /// <summary>Gets the document column.</summary>
    public byte[] Document { get; }

    /// <summary>Computes the row of a message.</summary>
    /// <param name="message">The message.</param>
    /// <returns>The row.</returns>
    public static OutboxRow From(OutboxMessage message) => new(message);

    /// <summary>Inserts the row.</summary>
    /// <param name="statement">The insert statement, with <see cref="InsertParameters"/>.</param>
    public void Insert(FastStatement statement) => statement.Execute(
        IdBytes,
        Columns.Id(Message.AppealId),
        (int)Message.Status,
        Message.Attempts,
        Columns.Time(Message.CreatedAt),
        Columns.Time(Message.NextAttemptAt),
        Columns.Nullable(Message.LeaseOwner),
        Columns.Time(Message.LeaseExpiresAt),
        Columns.Time(Message.CompletedAt),
        Document);

    /// <summary>Updates the row if <paramref name="owner"/> holds its lease.</summary>
    /// <param name="statement">The update statement, with <see cref="UpdateParameters"/>.</param>
    /// <param name="owner">The lease owner that must hold the lease.</param>
    /// <returns><see langword="true"/> when the row was updated.</returns>
    public bool Update(FastStatement statement, string owner) => statement.Execute(
        IdBytes,
        (int)Message.Status,
        Message.Attempts,
        Columns.Time(Message.NextAttemptAt),
        Columns.Nullable(Message.LeaseOwner),
        Columns.Time(Message.LeaseExpiresAt),
        Columns.Time(Message.CompletedAt),
        Document,
        owner) == 1;
}

/// <summary>An outbox row as read, before its document is parsed (parsing happens off the writer thread).</summary>
/// <param name="Sequence">The sequence.</param>
/// <param name="Id">The id.</param>
/// <param name="AppealId">The appeal.</param>
/// <param name="Status">The status.</param>
/// <param name="Attempts">The attempts.</param>
/// <param name="CreatedAt">When it was committed.</param>
/// <param name="NextAttemptAt">The next attempt.</param>
/// <param name="LeaseOwner">The lease owner.</param>
/// <param name="LeaseExpiresAt">The lease expiry.</param>
/// <param name="CompletedAt">When it completed.</param>
/// <param name="Document">The document bytes.</param>
internal sealed record RawOutboxRow(
    long Sequence,
    Guid Id,
    Guid AppealId,
    int Status,
    int Attempts,
    DateTimeOffset CreatedAt,
    DateTimeOffset NextAttemptAt,
    string? LeaseOwner,
    DateTimeOffset? LeaseExpiresAt,
    DateTimeOffset? CompletedAt,
    byte[] Document)
{
    /// <summary>The columns to select, in the order <see cref="Read"/> expects.</summary>
    public const string SelectList = "sequence, id, appeal_id, status, attempts, created_at, next_attempt_at, lease_owner, lease_expires_at, completed_at, document";

    /// <summary>Reads a row selected with <see cref="SelectList"/>.</summary>
    /// <param name="reader">The reader.</param>
    /// <returns>The row.</returns>
    public static RawOutboxRow Read(SqliteDataReader reader) => new(
        reader.GetInt64(0),
        Columns.ReadId(reader, 1),
        Columns.ReadId(reader, 2),
        reader.GetInt32(3),
        reader.GetInt32(4),
        Columns.ReadTime(reader, 5),
        Columns.ReadTime(reader, 6),
        reader.IsDBNull(7) ? null : reader.GetString(7),
        Columns.ReadOptionalTime(reader, 8),
        Columns.ReadOptionalTime(reader, 9),
        Columns.ReadBytes(reader, 10));

    /// <summary>Builds the message.</summary>
    /// <returns>The message.</returns>
    public OutboxMessage ToMessage() => Build(DocumentMapper.DeserializeOutbox(Document));

    /// <summary>Reads a row selected with <see cref="SelectList"/> straight into a message.</summary>
    /// <param name="reader">The reader.</param>
    /// <returns>The message.</returns>
    public static OutboxMessage ReadMessage(SqliteDataReader reader)
    {
        var document = Columns.ReadBlob(reader, 10, DocumentMapper.DeserializeOutbox);
        return new RawOutboxRow(
            reader.GetInt64(0),
            Columns.ReadId(reader, 1),
            Columns.ReadId(reader, 2),
            reader.GetInt32(3),
            reader.GetInt32(4),
            Columns.ReadTime(reader, 5),
            Columns.ReadTime(reader, 6),
            reader.IsDBNull(7) ? null : reader.GetString(7),
            Columns.ReadOptionalTime(reader, 8),
            Columns.ReadOptionalTime(reader, 9),
            []).Build(document);
    }

    private OutboxMessage Build(OutboxDocument document) => new()
    {
        Id = Id,
        AppealId = AppealId,
        Address = DocumentMapper.ToAddress(document.Address),
        Kind = (ReplyKind)document.Kind,
        Text = document.Text,
        Attachments = DocumentMapper.ToAttachments(document.Attachments),
        CreatedAt = CreatedAt,
        Sequence = Sequence,
        Status = (OutboxStatus)Status,
        Attempts = Attempts,
        NextAttemptAt = NextAttemptAt,
        LeaseOwner = LeaseOwner,
        LeaseExpiresAt = LeaseExpiresAt,
        DeliveredParts = document.DeliveredParts is null ? [] : document.DeliveredParts.ToArray(),
        LastError = document.LastError,
        CompletedAt = CompletedAt,
    };
}
