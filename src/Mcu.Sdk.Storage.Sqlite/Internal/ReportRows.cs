using Mcu.Sdk.Classification;
using Microsoft.Data.Sqlite;

namespace Mcu.Sdk.Storage.Sqlite.Internal;

/// <summary>
/// Reads the appeals of a period for a report from the indexed columns alone, as summary snapshots, without parsing the
/// stored documents: a year of a city is read in a fraction of the time a full query takes.
/// </summary>
/// <remarks>
/// A summary carries every column of the appeal: channel, conversation, author id, status, unit, topic and subtopic,
/// urgency and out-of-scope flags, monitoring, district, priority, receipt time, deadlines and policy, first answer,
/// resolution, closing, clock pause, rating, number and version. It has no texts, messages, replies, history or
/// attachments — what <see cref="Reporting.AppealReport"/> does not read.
/// </remarks>
internal static class ReportRows
{
    public const string Columns =
        "id, number, channel, conversation_key, author_id, status, unit_id, topic, subtopic, priority, urgent, out_of_scope, monitoring, district, "
        + "received_at, first_answer_due, resolution_due, sla_policy, first_answered_at, resolved_at, closed_at, clock_paused_at, rating, version";

    /// <summary>Builds the SQL of a period.</summary>
    /// <param name="from">The start (inclusive), or <see langword="null"/>.</param>
    /// <param name="to">The end (exclusive), or <see langword="null"/>.</param>
    /// <returns>The SQL and its parameters.</returns>
    public static (string Sql, string[] Names, object[] Values) Build(DateTimeOffset? from, DateTimeOffset? to)
    {
        var sql = "SELECT " + Columns + " FROM appeals WHERE 1 = 1";
        var names = new List<string>(2);
        var values = new List<object>(2);
        if (from is { } start)
        {
            sql += " AND received_at >= $from";
            names.Add("$from");
            values.Add(Internal.Columns.Time(start));
        }

        if (to is { } end)
        {
            sql += " AND received_at < $to";
            names.Add("$to");
            values.Add(Internal.Columns.Time(end));
        }

        return (sql + " ORDER BY received_at, number", [.. names], [.. values]);
    }

    /// <summary>Reads the summaries of a query.</summary>
    /// <param name="reader">A reader over rows selected with <see cref="Columns"/>.</param>
    /// <param name="cancellationToken">A token to cancel the enumeration.</param>
    /// <returns>The summary snapshots, as the rows are read.</returns>
    public static IEnumerable<Appeal> ReadAll(SqliteDataReader reader, CancellationToken cancellationToken)
    {
        // Channels and topics repeat: parse each distinct value once.
        var channels = new Dictionary<string, ChannelId>(StringComparer.Ordinal);
        var topics = new Dictionary<string, TopicCode>(StringComparer.Ordinal);
        while (reader.Read())
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return Read(reader, channels, topics);
        }
    }

    private static Appeal Read(SqliteDataReader reader, Dictionary<string, ChannelId> channels, Dictionary<string, TopicCode> topics)
    {
        var channelText = reader.GetString(2);
        if (!channels.TryGetValue(channelText, out var channel))
        {
            channel = new ChannelId(channelText);
            channels.Add(channelText, channel);
        }

        var topicText = reader.GetString(7);
        if (!topics.TryGetValue(topicText, out var topic))
        {
            topic = new TopicCode(topicText);
            topics.Add(topicText, topic);
        }

        var conversation = reader.GetString(3);
        var firstAnswerDue = Internal.Columns.ReadOptionalTime(reader, 15);
        var resolutionDue = Internal.Columns.ReadOptionalTime(reader, 16);
        return new Appeal
        {
            Id = Internal.Columns.ReadId(reader, 0),
            Number = reader.GetInt64(1),
            Channel = channel,
            ExternalId = string.Empty,
            ConversationKey = conversation,
            ReplyAddress = new ReplyAddress(channel, conversation),
            Author = new Author(reader.IsDBNull(4) ? PersonalData.Placeholder : reader.GetString(4)),
            Text = string.Empty,
            Status = (AppealStatus)reader.GetInt32(5),
            UnitId = reader.IsDBNull(6) ? null : reader.GetString(6),
            Classification = new AppealClassification(
                topic,
                reader.IsDBNull(8) ? null : reader.GetString(8),
                reader.GetInt32(10) != 0,
                reader.GetInt32(11) != 0,
                0),
            Priority = (AppealPriority)reader.GetInt32(9),
            FoundByMonitoring = reader.GetInt32(12) != 0,
            District = reader.IsDBNull(13) ? null : reader.GetString(13),
            ReceivedAt = Internal.Columns.ReadTime(reader, 14),
            Deadlines = firstAnswerDue is { } first && resolutionDue is { } resolution
                ? new SlaDeadlines(first, resolution, reader.IsDBNull(17) ? string.Empty : reader.GetString(17))
                : null,
            FirstAnsweredAt = Internal.Columns.ReadOptionalTime(reader, 18),
            ResolvedAt = Internal.Columns.ReadOptionalTime(reader, 19),
            ClosedAt = Internal.Columns.ReadOptionalTime(reader, 20),
            ClockPausedAt = Internal.Columns.ReadOptionalTime(reader, 21),
            Rating = reader.IsDBNull(22) ? null : reader.GetInt32(22),
            Version = reader.GetInt64(23),
        };
    }
}
