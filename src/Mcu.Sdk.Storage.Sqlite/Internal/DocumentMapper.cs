using System.Buffers;
using System.Text.Json;
using Mcu.Sdk.Classification;

namespace Mcu.Sdk.Storage.Sqlite.Internal;

/// <summary>Maps the model to the stored documents and back, and writes them as UTF-8 JSON.</summary>
internal static class DocumentMapper
{
    private const string SystemActor = "system";
    private const int MaxCachedBuffer = 256 * 1024;

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_buffer;

    [ThreadStatic]
    private static Utf8JsonWriter? t_writer;

    /// <summary>Serializes an appeal.</summary>
    /// <param name="appeal">The appeal.</param>
    /// <returns>The UTF-8 JSON document.</returns>
    public static byte[] SerializeAppeal(Appeal appeal) =>
        Write(ToDocument(appeal), StoreJson.Context.AppealDocument);

    /// <summary>Deserializes an appeal.</summary>
    /// <param name="utf8">The UTF-8 JSON document.</param>
    /// <returns>The appeal.</returns>
    public static Appeal DeserializeAppeal(ReadOnlySpan<byte> utf8) =>
        ToAppeal(JsonSerializer.Deserialize(utf8, StoreJson.Context.AppealDocument)
            ?? throw new InvalidDataException("A stored appeal document is null."));

    /// <summary>Serializes the document part of an outbox message.</summary>
    /// <param name="message">The message.</param>
    /// <returns>The UTF-8 JSON document.</returns>
    public static byte[] SerializeOutbox(OutboxMessage message) => Write(
        new OutboxDocument
        {
            Address = ToDocument(message.Address),
            Kind = (int)message.Kind,
            Text = message.Text,
            Attachments = ToDocuments(message.Attachments),
            DeliveredParts = message.DeliveredParts.Count == 0 ? null : [.. message.DeliveredParts],
            LastError = message.LastError,
        },
        StoreJson.Context.OutboxDocument);

    /// <summary>Serializes an outbox document.</summary>
    /// <param name="document">The document.</param>
    /// <returns>The UTF-8 JSON document.</returns>
    public static byte[] SerializeOutboxDocument(OutboxDocument document) => Write(document, StoreJson.Context.OutboxDocument);

    /// <summary>Deserializes the document part of an outbox message.</summary>
    /// <param name="utf8">The UTF-8 JSON document.</param>
    /// <returns>The document.</returns>
    public static OutboxDocument DeserializeOutbox(ReadOnlySpan<byte> utf8) =>
        JsonSerializer.Deserialize(utf8, StoreJson.Context.OutboxDocument)
            ?? throw new InvalidDataException("A stored outbox document is null.");

    public static AppealDocument ToDocument(Appeal appeal) => new()
    {
        Id = appeal.Id,
        Number = appeal.Number,
        Channel = appeal.Channel.Value,
        ExternalId = appeal.ExternalId,
        ConversationKey = appeal.ConversationKey,
        ReplyAddress = ToDocument(appeal.ReplyAddress),
        Author = new AuthorDocument { Id = appeal.Author.Id, Name = appeal.Author.DisplayName },
        Text = appeal.Text,
        Attachments = ToDocuments(appeal.Attachments),
        Location = ToDocument(appeal.Location),
        District = appeal.District,
        Monitoring = appeal.FoundByMonitoring,
        ReceivedAt = appeal.ReceivedAt,
        Messages = appeal.Messages.Count == 0 ? null : appeal.Messages.Select(m => new MessageDocument
        {
            ExternalId = m.ExternalId,
            Text = string.Equals(m.Text, appeal.Text, StringComparison.Ordinal) ? null : m.Text,
            ReceivedAt = m.ReceivedAt,
            Attachments = ToDocuments(m.Attachments),
            Location = ToDocument(m.Location),
        }).ToList(),
        Classification = appeal.Classification is { } c ? new ClassificationDocument
        {
            Topic = c.Topic.Value,
            Subtopic = c.Subtopic,
            Urgent = c.IsUrgent,
            OutOfScope = c.IsOutOfScope,
            Confidence = c.Confidence,
            Terms = c.Terms.Count == 0 ? null : c.Terms.Select(t => new TermDocument { Term = t.Term, Target = t.Target, Weight = t.Weight }).ToList(),
            Reason = c.Reason,
        } : null,
        UnitId = appeal.UnitId,
        Priority = (int)appeal.Priority,
        Status = (int)appeal.Status,
        Deadlines = ToDocument(appeal.Deadlines),
        RegisteredAt = appeal.RegisteredAt,
        RegistrationNumber = appeal.RegistrationNumber,
        ForwardedTo = appeal.ForwardedTo,
        ForwardedAt = appeal.ForwardedAt,
        FirstAnsweredAt = appeal.FirstAnsweredAt,
        ResolvedAt = appeal.ResolvedAt,
        ClosedAt = appeal.ClosedAt,
        ClockPausedAt = appeal.ClockPausedAt,
        SlaSteps = appeal.RaisedSlaSteps.Count == 0 ? null : [.. appeal.RaisedSlaSteps],
        Rating = appeal.Rating,
        Replies = appeal.Replies.Count == 0 ? null : appeal.Replies.Select(r => new ReplyDocument
        {
            OutboxId = r.OutboxId,
            Kind = (int)r.Kind,
            Text = r.Text,
            CreatedAt = r.CreatedAt,
            Actor = r.Actor,
        }).ToList(),
        History = appeal.History.Count == 0 ? null : appeal.History.Select(h => new HistoryDocument
        {
            At = h.At,
            Kind = (int)h.Kind,
            Description = h.Description,
            Actor = string.Equals(h.Actor, SystemActor, StringComparison.Ordinal) ? null : h.Actor,
        }).ToList(),
        Version = appeal.Version,
    };

    public static Appeal ToAppeal(AppealDocument document)
    {
        var channel = new ChannelId(document.Channel);
        var messages = document.Messages;
        return new Appeal
        {
            Id = document.Id,
            Number = document.Number,
            Channel = channel,
            ExternalId = document.ExternalId,
            ConversationKey = document.ConversationKey,
            ReplyAddress = ToAddress(document.ReplyAddress),
            Author = new Author(document.Author.Id, document.Author.Name),
            Text = document.Text,
            Attachments = ToAttachments(document.Attachments),
            Location = ToLocation(document.Location),
            District = document.District,
            FoundByMonitoring = document.Monitoring,
            ReceivedAt = document.ReceivedAt,
            Messages = messages is null ? [] : ConvertAll(messages, m => new AppealMessage(m.ExternalId, m.Text ?? document.Text, m.ReceivedAt)
            {
                Attachments = ToAttachments(m.Attachments),
                Location = ToLocation(m.Location),
            }),
            Classification = document.Classification is { } c
                ? new AppealClassification(
                    new TopicCode(c.Topic),
                    c.Subtopic,
                    c.Urgent,
                    c.OutOfScope,
                    c.Confidence,
                    c.Terms is null ? [] : ConvertAll(c.Terms, t => new MatchedTerm(t.Term, t.Target, t.Weight)),
                    c.Reason)
                : null,
            UnitId = document.UnitId,
            Priority = (AppealPriority)document.Priority,
            Status = (AppealStatus)document.Status,
            Deadlines = ToDeadlines(document.Deadlines),
            RegisteredAt = document.RegisteredAt,
            RegistrationNumber = document.RegistrationNumber,
            ForwardedTo = document.ForwardedTo,
            ForwardedAt = document.ForwardedAt,
            FirstAnsweredAt = document.FirstAnsweredAt,
            ResolvedAt = document.ResolvedAt,
            ClosedAt = document.ClosedAt,
            ClockPausedAt = document.ClockPausedAt,
            RaisedSlaSteps = document.SlaSteps is null ? [] : document.SlaSteps.ToArray(),
            Rating = document.Rating,
            Replies = document.Replies is null ? [] : ConvertAll(document.Replies, r => new AppealReply(r.OutboxId, (ReplyKind)r.Kind, r.Text, r.CreatedAt, r.Actor)),
            History = document.History is null ? [] : ConvertAll(document.History, h => new AppealHistoryEntry(h.At, (AppealHistoryKind)h.Kind, h.Description, h.Actor ?? SystemActor)),
            Version = document.Version,
        };
    }

    public static AddressDocument ToDocument(ReplyAddress address) => new()
    {
        Channel = address.Channel.Value,
        ConversationId = address.ConversationId,
        ThreadId = address.ThreadId,
        ReplyTo = address.ReplyToMessageId,
        Properties = address.Properties.Count == 0 ? null : new Dictionary<string, string>(address.Properties, StringComparer.Ordinal),
    };

    public static ReplyAddress ToAddress(AddressDocument document)
    {
        var address = new ReplyAddress(new ChannelId(document.Channel), document.ConversationId, document.ThreadId, document.ReplyTo);
        return document.Properties is { Count: > 0 } properties
            ? address with { Properties = new Dictionary<string, string>(properties, StringComparer.Ordinal) }
            : address;
    }

    public static List<AttachmentDocument>? ToDocuments(IReadOnlyList<Attachment> attachments) =>
        attachments.Count == 0
            ? null
            : attachments.Select(a => new AttachmentDocument { Kind = (int)a.Kind, Reference = a.Reference, Caption = a.Caption }).ToList();

    public static IReadOnlyList<Attachment> ToAttachments(List<AttachmentDocument>? documents) =>
        documents is null ? [] : ConvertAll(documents, a => new Attachment((AttachmentKind)a.Kind, a.Reference, a.Caption));

    private static DeadlinesDocument? ToDocument(SlaDeadlines? deadlines) => deadlines is null ? null : new DeadlinesDocument
    {
        FirstAnswerDue = deadlines.FirstAnswerDue,
        ResolutionDue = deadlines.ResolutionDue,
        Policy = deadlines.PolicyName,
        Rule = deadlines.RuleName,
        Urgent = deadlines.IsUrgent,
        Timers = deadlines.Timers.Count == 0 ? null : deadlines.Timers.Select(t => new TimerDocument
        {
            Kind = (int)t.Kind,
            Sequence = t.Sequence,
            Mode = (int)t.Mode,
            Calendar = t.Calendar,
            Anchor = (int)t.Anchor,
            StartedAt = t.StartedAt,
            Target = t.Target.Ticks,
            Extension = t.Extension.Ticks,
            Extensions = t.Extensions,
            Paused = t.Paused.Ticks,
            DueAt = t.DueAt,
            MetAt = t.MetAt,
            CancelledAt = t.CancelledAt,
            Escalates = t.Escalates,
        }).ToList(),
    };

    private static SlaDeadlines? ToDeadlines(DeadlinesDocument? document) => document is null ? null : new SlaDeadlines(document.FirstAnswerDue, document.ResolutionDue, document.Policy)
    {
        RuleName = document.Rule,
        IsUrgent = document.Urgent,
        Timers = document.Timers is null ? [] : ConvertAll(document.Timers, t => new SlaTimer
        {
            Kind = (SlaTimerKind)t.Kind,
            Sequence = t.Sequence,
            Mode = (SlaTimeMode)t.Mode,
            Calendar = t.Calendar,
            Anchor = (SlaAnchor)t.Anchor,
            StartedAt = t.StartedAt,
            Target = TimeSpan.FromTicks(t.Target),
            Extension = TimeSpan.FromTicks(t.Extension),
            Extensions = t.Extensions,
            Paused = TimeSpan.FromTicks(t.Paused),
            DueAt = t.DueAt,
            MetAt = t.MetAt,
            CancelledAt = t.CancelledAt,
            Escalates = t.Escalates,
        }),
    };

    private static LocationDocument? ToDocument(GeoLocation? location) =>
        location is { } l ? new LocationDocument { Lat = l.Latitude, Lon = l.Longitude } : null;

    private static GeoLocation? ToLocation(LocationDocument? document) =>
        document is null ? null : new GeoLocation(document.Lat, document.Lon);

    private static T[] ConvertAll<TSource, T>(List<TSource> source, Func<TSource, T> convert)
    {
        var result = new T[source.Count];
        for (var i = 0; i < result.Length; i++)
        {
            result[i] = convert(source[i]);
        }

        return result;
    }

    private static byte[] Write<T>(T value, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> typeInfo)
    {
        var buffer = t_buffer ??= new ArrayBufferWriter<byte>(4096);
        buffer.ResetWrittenCount();
        var writer = t_writer;
        if (writer is null)
        {
            writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = StoreJson.Context.Options.Encoder, SkipValidation = true });
            t_writer = writer;
        }
        else
        {
            writer.Reset(buffer);
        }

        // The source-generated writer of the type (the context generates one for each document) writes the same bytes as the
        // serializer — names, skipped defaults, and the writer's encoder — about twice as fast: the options with the relaxed
        // encoder are not the generator's, so the serializer itself would take the slower metadata path.
        if (typeInfo.SerializeHandler is { } handler)
        {
            handler(writer, value);
        }
        else
        {
            JsonSerializer.Serialize(writer, value, typeInfo);
        }

        writer.Flush();
        var result = buffer.WrittenSpan.ToArray();
        if (buffer.Capacity > MaxCachedBuffer)
        {
            // Do not keep a huge buffer alive on a pool thread after one very long appeal.
            t_buffer = null;
            t_writer = null;
        }

        return result;
    }
}
