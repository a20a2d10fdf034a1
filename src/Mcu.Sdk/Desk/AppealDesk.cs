using System.Diagnostics;
using Mcu.Sdk.Classification;
using Mcu.Sdk.Diagnostics;
using Mcu.Sdk.Internal;
using Mcu.Sdk.Replies;
using Mcu.Sdk.Routing;
using Mcu.Sdk.Sla;
using Mcu.Sdk.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Mcu.Sdk;

/// <summary>The default <see cref="IAppealDesk"/>: the pipeline of intake, classification, routing, clocks and replies.</summary>
public sealed partial class AppealDesk : IAppealDesk
{
    private const int Stripes = 256;
    private readonly IAppealStore _store;
    private readonly IAppealClassifier _classifier;
    private readonly IAppealRouter _router;
    private readonly ISlaPolicy _sla;
    private readonly SlaEngine _engine;
    private readonly IReplyTemplates _templates;
    private readonly IAppealEventSubscriber[] _handlers;
    private readonly DeskOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Func<string, string> _unitName;
    private readonly SemaphoreSlim[] _conversationLocks;

    /// <summary>Initializes a new instance of the <see cref="AppealDesk"/> class.</summary>
    /// <param name="store">The store.</param>
    /// <param name="classifier">The classifier.</param>
    /// <param name="router">The router.</param>
    /// <param name="sla">The SLA policy that sets the deadlines of new appeals.</param>
    /// <param name="engine">The SLA engine that keeps the clocks: pauses, answers, registration, extension, forwarding.</param>
    /// <param name="templates">The reply templates.</param>
    /// <param name="handlers">The event handlers.</param>
    /// <param name="options">The desk options.</param>
    /// <param name="timeProvider">The clock.</param>
    /// <param name="logger">The logger.</param>
    public AppealDesk(
        IAppealStore store,
        IAppealClassifier classifier,
        IAppealRouter router,
        ISlaPolicy sla,
        SlaEngine engine,
        IReplyTemplates templates,
        IEnumerable<IAppealEventSubscriber> handlers,
        IOptions<DeskOptions> options,
        TimeProvider timeProvider,
        ILogger<AppealDesk> logger)
    {
        _store = Throw.IfNull(store);
        _classifier = Throw.IfNull(classifier);
        _router = Throw.IfNull(router);
        _sla = Throw.IfNull(sla);
        _engine = Throw.IfNull(engine);
        _templates = Throw.IfNull(templates);
        _handlers = Throw.IfNull(handlers).ToArray();
        _options = Throw.IfNull(options).Value;
        _time = Throw.IfNull(timeProvider);
        _logger = Throw.IfNull(logger);
        _unitName = router is RuleBasedRouter ruleBased ? ruleBased.GetUnitName : id => id;
        _conversationLocks = new SemaphoreSlim[Stripes];
        for (var i = 0; i < Stripes; i++)
        {
            _conversationLocks[i] = new SemaphoreSlim(1, 1);
        }
    }

    /// <inheritdoc/>
    public async ValueTask<IngestResult> IngestAsync(InboundMessage message, CancellationToken cancellationToken = default)
    {
        Throw.IfNull(message);
        using var activity = McuDiagnostics.ActivitySource.StartActivity("mcu.ingest");
        activity?.SetTag("mcu.channel", message.Channel.Value);
        var started = Stopwatch.GetTimestamp();

        // Messages of one conversation are accepted one at a time, so a burst (text, photos, location) joins one appeal.
        var gate = _conversationLocks[(uint)HashCode.Combine(message.Channel, StringComparer.Ordinal.GetHashCode(message.ConversationKey)) % Stripes];
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        IngestResult result;
        List<AppealEvent> events;
        try
        {
            (result, events) = await IngestCoreAsync(message, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            gate.Release();
        }

        var channelTag = new KeyValuePair<string, object?>("channel", message.Channel.Value);
        switch (result.Outcome)
        {
            case IngestOutcome.Created:
                McuDiagnostics.AppealsAccepted.Add(1, channelTag);
                LogAccepted(result.Appeal.Number, result.Appeal.Id, message.Channel.Value, result.Appeal.Topic.Value, result.Appeal.UnitId ?? "-");
                break;
            case IngestOutcome.FollowUp:
                McuDiagnostics.FollowUps.Add(1, channelTag);
                break;
            default:
                McuDiagnostics.Duplicates.Add(1, channelTag);
                LogDuplicate(message.Channel.Value, result.Appeal.Number);
                break;
        }

        activity?.SetTag("mcu.outcome", result.Outcome.ToString());
        activity?.SetTag("mcu.appeal.number", result.Appeal.Number);
        McuDiagnostics.IngestDuration.Record(Stopwatch.GetElapsedTime(started).TotalMilliseconds, channelTag);
        await PublishAsync(events, cancellationToken).ConfigureAwait(false);
        return result;
    }

    private async ValueTask<(IngestResult Result, List<AppealEvent> Events)> IngestCoreAsync(InboundMessage message, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var existing = await _store.FindByMessageAsync(message.Channel, message.ExternalId, cancellationToken).ConfigureAwait(false);
            if (existing is not null)
            {
                return (new IngestResult(IngestOutcome.Duplicate, existing), []);
            }

            var now = _time.GetUtcNow();
            var open = await _store.FindOpenByConversationAsync(message.Channel, message.ConversationKey, cancellationToken).ConfigureAwait(false);
            if (open is not null && JoinsOpenAppeal(open, message))
            {
                try
                {
                    return await AddFollowUpAsync(open, message, now, cancellationToken).ConfigureAwait(false);
                }
                catch (ConcurrencyConflictException) when (attempt < _options.ConcurrencyRetries)
                {
                    continue; // another writer changed the appeal: read it again
                }
            }

            return await CreateAppealAsync(message, now, cancellationToken).ConfigureAwait(false);
        }
    }

    private bool JoinsOpenAppeal(Appeal open, InboundMessage message)
    {
        // An appeal waiting for the citizen's clarification takes the answer whenever it comes.
        if (_options.FollowUpWindow is not { } window || open.Status == AppealStatus.AwaitingCitizen)
        {
            return true;
        }

        var last = open.Messages.Count > 0 ? open.Messages[^1].ReceivedAt : open.ReceivedAt;
        return message.ReceivedAt - last <= window;
    }

    private async ValueTask<(IngestResult, List<AppealEvent>)> CreateAppealAsync(InboundMessage message, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var text = Truncate(message.Text);
        var truncated = text.Length != message.Text.Length;

        var classification = await _classifier.ClassifyAsync(text, cancellationToken).ConfigureAwait(false);
        var number = await _store.NextAppealNumberAsync(cancellationToken).ConfigureAwait(false);
        var history = new List<AppealHistoryEntry>(6)
        {
            new(now, AppealHistoryKind.Accepted, $"Accepted from {message.Channel}{(message.FoundByMonitoring ? " (found by monitoring)" : string.Empty)}."),
        };
        if (truncated)
        {
            history.Add(new(now, AppealHistoryKind.Note, $"Text truncated from {message.Text.Length} to {text.Length} characters."));
        }

        history.Add(new(now, AppealHistoryKind.Classified, $"Classified as {classification}."));
        var appeal = new Appeal
        {
            Id = Guid.CreateVersion7(now),
            Number = number,
            Channel = message.Channel,
            ExternalId = message.ExternalId,
            ConversationKey = message.ConversationKey,
            ReplyAddress = message.GetEffectiveReplyAddress(),
            Author = message.Author,
            Text = text,
            Attachments = message.Attachments,
            Location = message.Location,
            District = message.District,
            FoundByMonitoring = message.FoundByMonitoring,
            ReceivedAt = message.ReceivedAt,
            Messages = [new AppealMessage(message.ExternalId, text, message.ReceivedAt) { Attachments = message.Attachments, Location = message.Location }],
            Classification = classification,
            Priority = classification.IsUrgent ? AppealPriority.Urgent : AppealPriority.Normal,
            Status = AppealStatus.New,
            History = history,
        };

        var decision = await _router.RouteAsync(appeal, cancellationToken).ConfigureAwait(false);
        var outbox = new List<OutboxMessage>(1);
        var events = new List<AppealEventKind>(3) { AppealEventKind.Accepted };
        if (decision.Reject)
        {
            appeal = appeal.TransitionTo(AppealStatus.Rejected, now, "system", decision.Reason);
            appeal = QueueReply(appeal, ReplyKind.Refusal, null, [], "system", now, outbox);
            events.Add(AppealEventKind.Rejected);
        }
        else
        {
            var unitId = decision.UnitId ?? throw new InvalidOperationException($"The router returned no unit for appeal {appeal.Id} without rejecting it.");
            // New → Routed is always allowed; one snapshot instead of three on the hot path.
            appeal = appeal with
            {
                UnitId = unitId,
                Status = AppealStatus.Routed,
                History =
                [
                    .. appeal.History,
                    new(now, AppealHistoryKind.Routed, $"Routed to {unitId} by {decision.Reason}."),
                    new(now, AppealHistoryKind.StatusChanged, "New → Routed"),
                ],
            };
            events.Add(AppealEventKind.Routed);
            if (decision.Escalate)
            {
                events.Add(AppealEventKind.Escalated);
            }

            var deadlines = _sla.ComputeDeadlines(appeal);
            if (deadlines is not null)
            {
                appeal = _engine.Start(appeal, deadlines, now);
            }

            if (_options.SendAcknowledgement && (!message.FoundByMonitoring || _options.AcknowledgeMonitoringFindings))
            {
                appeal = QueueReply(appeal, ReplyKind.Acknowledgement, null, [], "system", now, outbox);
            }
        }

        var added = await _store.AddAsync(appeal, outbox, cancellationToken).ConfigureAwait(false);
        if (!added.Added)
        {
            return (new IngestResult(IngestOutcome.Duplicate, added.Appeal), []);
        }

        var stored = added.Appeal;
        var published = new List<AppealEvent>(events.Count + outbox.Count);
        published.AddRange(events.Select(kind => new AppealEvent(kind, stored, now, kind == AppealEventKind.Routed ? stored.UnitId : null)));
        published.AddRange(outbox.Select(reply => new AppealEvent(AppealEventKind.ReplyQueued, stored, now, reply.Kind.ToString(), reply)));
        return (new IngestResult(IngestOutcome.Created, stored), published);
    }

    private async ValueTask<(IngestResult, List<AppealEvent>)> AddFollowUpAsync(Appeal open, InboundMessage message, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var text = Truncate(message.Text);
        var updated = open with
        {
            Messages = [.. open.Messages, new AppealMessage(message.ExternalId, text, message.ReceivedAt) { Attachments = message.Attachments, Location = message.Location }],
            Attachments = message.Attachments.Count == 0 ? open.Attachments : [.. open.Attachments, .. message.Attachments],
            Location = open.Location ?? message.Location,
        };
        var description = $"Follow-up {message.ExternalId}: {text.Length} characters, {message.Attachments.Count} attachment(s){(message.Location is null ? string.Empty : ", a location")}.";
        updated = updated.WithHistory(new(now, AppealHistoryKind.FollowUp, description, "citizen"));
        var events = new List<AppealEvent>(2);
        var statusChanged = false;
        if (open.Status == AppealStatus.AwaitingCitizen)
        {
            updated = _engine.Resume(updated, now).TransitionTo(AppealStatus.InProgress, now, "citizen", "the citizen answered the clarification");
            statusChanged = true;
        }

        updated = _engine.OnFollowUp(updated, now);

        var stored = await _store.UpdateAsync(updated, [], cancellationToken).ConfigureAwait(false);
        events.Add(new AppealEvent(AppealEventKind.FollowUpAdded, stored, now));
        if (statusChanged)
        {
            events.Add(new AppealEvent(AppealEventKind.StatusChanged, stored, now, "resumed"));
        }

        return (new IngestResult(IngestOutcome.FollowUp, stored), events);
    }

    /// <inheritdoc/>
    public ValueTask<Appeal?> GetAsync(Guid appealId, CancellationToken cancellationToken = default) =>
        _store.GetAsync(appealId, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<IReadOnlyList<OutboxMessage>> GetRepliesAsync(Guid appealId, CancellationToken cancellationToken = default) =>
        _store.GetOutboxAsync(appealId, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<Appeal> AnswerAsync(Guid appealId, UnitAnswer answer, CancellationToken cancellationToken = default)
    {
        Throw.IfNull(answer);
        Throw.IfNullOrWhiteSpace(answer.Text, "answer.Text");
        return MutateAsync(appealId, (appeal, now, outbox, events) =>
        {
            var actor = answer.Actor ?? appeal.UnitId ?? "mcu";
            if (appeal.Status == AppealStatus.AwaitingCitizen)
            {
                appeal = _engine.Resume(appeal, now).TransitionTo(AppealStatus.InProgress, now, actor, "answered before the citizen's clarification");
            }

            if (answer.IsFinal)
            {
                appeal = appeal.TransitionTo(AppealStatus.Answered, now, actor, "final answer");
                appeal = appeal with { FirstAnsweredAt = appeal.FirstAnsweredAt ?? now, ResolvedAt = now };
            }
            else
            {
                if (appeal.Status is AppealStatus.Routed or AppealStatus.Reopened)
                {
                    appeal = appeal.TransitionTo(AppealStatus.InProgress, now, actor, "interim answer");
                }
                else if (appeal.Status != AppealStatus.InProgress)
                {
                    throw new InvalidAppealTransitionException(appeal.Id, appeal.Status, AppealStatus.InProgress);
                }

                appeal = appeal with { FirstAnsweredAt = appeal.FirstAnsweredAt ?? now };
            }

            appeal = _engine.OnAnswer(appeal, now, answer.IsFinal, actor);
            events.Add((AppealEventKind.Answered, answer.IsFinal ? "final" : "interim"));
            return QueueReply(appeal, answer.IsFinal ? ReplyKind.Final : ReplyKind.Interim, answer.Text, answer.Attachments, actor, now, outbox);
        }, cancellationToken);
    }

    /// <inheritdoc/>
    public ValueTask<Appeal> AssignAsync(Guid appealId, string unitId, string actor, CancellationToken cancellationToken = default)
    {
        Throw.IfNullOrWhiteSpace(unitId);
        Throw.IfNullOrWhiteSpace(actor);
        return MutateAsync(appealId, (appeal, now, _, events) =>
        {
            if (!appeal.IsOpen)
            {
                throw new InvalidAppealTransitionException(appeal.Id, appeal.Status, AppealStatus.Routed);
            }

            appeal = (appeal with { UnitId = unitId }).WithHistory(new(now, AppealHistoryKind.Routed, $"Re-routed from {appeal.UnitId ?? "-"} to {unitId}.", actor));
            if (appeal.Status is AppealStatus.New or AppealStatus.Reopened)
            {
                appeal = appeal.TransitionTo(AppealStatus.Routed, now, actor);
            }

            events.Add((AppealEventKind.Routed, unitId));
            return appeal;
        }, cancellationToken);
    }

    /// <inheritdoc/>
    public ValueTask<Appeal> RequestClarificationAsync(Guid appealId, string question, string actor, CancellationToken cancellationToken = default)
    {
        Throw.IfNullOrWhiteSpace(question);
        Throw.IfNullOrWhiteSpace(actor);
        return MutateAsync(appealId, (appeal, now, outbox, events) =>
        {
            appeal = _engine.OnClarification(appeal, now, actor).TransitionTo(AppealStatus.AwaitingCitizen, now, actor, "clarification requested");
            appeal = (appeal with { ClockPausedAt = now }).WithHistory(new(now, AppealHistoryKind.Clock, "SLA clocks paused until the citizen answers.", actor));
            events.Add((AppealEventKind.StatusChanged, "awaiting citizen"));
            return QueueReply(appeal, ReplyKind.Clarification, question, [], actor, now, outbox);
        }, cancellationToken);
    }

    /// <inheritdoc/>
    public ValueTask<Appeal> CloseAsync(Guid appealId, string actor, string? reason = null, CancellationToken cancellationToken = default)
    {
        Throw.IfNullOrWhiteSpace(actor);
        return MutateAsync(appealId, (appeal, now, _, events) =>
        {
            events.Add((AppealEventKind.StatusChanged, "closed"));
            return SlaEngine.Cancel(appeal.TransitionTo(AppealStatus.Closed, now, actor, reason), now);
        }, cancellationToken);
    }

    /// <inheritdoc/>
    public ValueTask<Appeal> RejectAsync(Guid appealId, string actor, string? reason = null, CancellationToken cancellationToken = default)
    {
        Throw.IfNullOrWhiteSpace(actor);
        return MutateAsync(appealId, (appeal, now, outbox, events) =>
        {
            appeal = SlaEngine.Cancel(appeal.TransitionTo(AppealStatus.Rejected, now, actor, reason ?? "out of scope"), now);
            events.Add((AppealEventKind.Rejected, reason));
            return QueueReply(appeal, ReplyKind.Refusal, null, [], actor, now, outbox);
        }, cancellationToken);
    }

    /// <inheritdoc/>
    public ValueTask<Appeal> ReopenAsync(Guid appealId, string actor, string reason, CancellationToken cancellationToken = default)
    {
        Throw.IfNullOrWhiteSpace(actor);
        Throw.IfNullOrWhiteSpace(reason);
        return MutateAsync(appealId, (appeal, now, _, events) =>
        {
            events.Add((AppealEventKind.StatusChanged, "reopened"));
            return _engine.OnReopen(Reopen(appeal, now, actor, reason), now);
        }, cancellationToken);
    }

    /// <inheritdoc/>
    public ValueTask<Appeal> RateAsync(Guid appealId, int rating, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(rating, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(rating, 5);
        return MutateAsync(appealId, (appeal, now, _, events) =>
        {
            if (appeal.Status is not (AppealStatus.Answered or AppealStatus.Closed))
            {
                throw new InvalidOperationException($"Appeal {appeal.Id} is {appeal.Status}; only an answered or closed appeal can be rated.");
            }

            appeal = (appeal with { Rating = rating }).WithHistory(new(now, AppealHistoryKind.Rating, $"Rated {rating} of 5.", "citizen"));
            events.Add((AppealEventKind.Rated, rating.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            if (rating <= _options.ReopenRatingThreshold)
            {
                appeal = _engine.OnReopen(Reopen(appeal, now, "citizen", $"low rating {rating}"), now);
                events.Add((AppealEventKind.StatusChanged, "reopened"));
            }

            return appeal;
        }, cancellationToken);
    }

    /// <inheritdoc/>
    public ValueTask<Appeal> RegisterAsync(Guid appealId, string actor, string? registrationNumber = null, CancellationToken cancellationToken = default)
    {
        Throw.IfNullOrWhiteSpace(actor);
        return MutateAsync(appealId, (appeal, now, _, events) =>
        {
            if (!appeal.IsOpen)
            {
                throw new InvalidAppealTransitionException(appeal.Id, appeal.Status, appeal.Status);
            }

            appeal = _engine.Register(appeal, now, string.IsNullOrWhiteSpace(registrationNumber) ? null : registrationNumber.Trim(), actor, null);
            events.Add((AppealEventKind.Registered, appeal.RegistrationNumber));
            return appeal;
        }, cancellationToken);
    }

    /// <inheritdoc/>
    public ValueTask<Appeal> ForwardAsync(Guid appealId, AppealForwarding forwarding, string actor, CancellationToken cancellationToken = default)
    {
        Throw.IfNull(forwarding);
        Throw.IfNullOrWhiteSpace(forwarding.Recipient, "forwarding.Recipient");
        Throw.IfNullOrWhiteSpace(actor);
        var recipient = forwarding.Recipient.Trim();
        return MutateAsync(appealId, (appeal, now, outbox, events) =>
        {
            if (!appeal.IsOpen)
            {
                throw new InvalidAppealTransitionException(appeal.Id, appeal.Status, AppealStatus.Closed);
            }

            if (appeal.Status == AppealStatus.AwaitingCitizen)
            {
                appeal = _engine.Resume(appeal, now).TransitionTo(AppealStatus.InProgress, now, actor, "forwarded before the citizen's clarification");
            }

            appeal = _engine.Forward(appeal, now, recipient, forwarding.NotifyCitizen, actor);
            if (appeal.Status != AppealStatus.Answered)
            {
                appeal = appeal.TransitionTo(AppealStatus.Answered, now, actor, $"forwarded to {recipient}");
            }

            appeal = appeal.TransitionTo(AppealStatus.Closed, now, actor, "forwarded to the competent body");
            events.Add((AppealEventKind.Forwarded, recipient));
            events.Add((AppealEventKind.StatusChanged, "forwarded"));
            if (forwarding.NotifyCitizen)
            {
                var notice = string.IsNullOrWhiteSpace(forwarding.NoticeText) ? _engine.RenderForwardingNotice(recipient) : forwarding.NoticeText;
                appeal = QueueReply(appeal, ReplyKind.Notice, notice, [], actor, now, outbox);
            }

            return appeal;
        }, cancellationToken);
    }

    /// <inheritdoc/>
    public ValueTask<Appeal> ExtendAsync(Guid appealId, DeadlineExtension extension, string actor, CancellationToken cancellationToken = default)
    {
        Throw.IfNull(extension);
        Throw.IfNullOrWhiteSpace(extension.Reason, "extension.Reason");
        Throw.IfNullOrWhiteSpace(actor);
        if (extension.Duration <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(extension), extension.Duration, "The extension must be positive.");
        }

        return MutateAsync(appealId, (appeal, now, outbox, events) =>
        {
            var (extended, timer) = _engine.Extend(appeal, now, extension.Duration, extension.NotifyCitizen, extension.Reason, actor);
            events.Add((AppealEventKind.DeadlineExtended, string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{timer.Key} due {timer.DueAt:O}")));
            if (!extension.NotifyCitizen)
            {
                return extended;
            }

            var notice = string.IsNullOrWhiteSpace(extension.NoticeText)
                ? _engine.RenderExtensionNotice(timer, extension.Duration, extension.Reason)
                : extension.NoticeText;
            return QueueReply(extended, ReplyKind.Notice, notice, [], actor, now, outbox);
        }, cancellationToken);
    }

    // Keeps at most MaxTextLength characters, never splitting a surrogate pair.
    private string Truncate(string text)
    {
        if (text.Length <= _options.MaxTextLength)
        {
            return text;
        }

        var cut = _options.MaxTextLength;
        return text[..(char.IsHighSurrogate(text[cut - 1]) ? cut - 1 : cut)];
    }

    private static Appeal Reopen(Appeal appeal, DateTimeOffset now, string actor, string reason) =>
        appeal.TransitionTo(AppealStatus.Reopened, now, actor, reason) with { ResolvedAt = null };

    private Appeal QueueReply(Appeal appeal, ReplyKind kind, string? body, IReadOnlyList<Attachment> attachments, string actor, DateTimeOffset now, List<OutboxMessage> outbox)
    {
        var unitName = appeal.UnitId is null ? null : _unitName(appeal.UnitId);
        var text = _templates.Render(kind, appeal, unitName, body);
        var message = new OutboxMessage
        {
            Id = Guid.CreateVersion7(now),
            AppealId = appeal.Id,
            Address = appeal.ReplyAddress,
            Kind = kind,
            Text = text,
            Attachments = attachments,
            CreatedAt = now,
            NextAttemptAt = now,
        };
        outbox.Add(message);
        return appeal with
        {
            Replies = [.. appeal.Replies, new AppealReply(message.Id, kind, text, now, actor)],
            History = [.. appeal.History, new(now, AppealHistoryKind.ReplyQueued, $"{kind} reply queued ({text.Length} characters).", actor)],
        };
    }

    private delegate Appeal Mutation(Appeal appeal, DateTimeOffset now, List<OutboxMessage> outbox, List<(AppealEventKind Kind, string? Detail)> events);

    private async ValueTask<Appeal> MutateAsync(Guid appealId, Mutation mutation, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var current = await _store.GetAsync(appealId, cancellationToken).ConfigureAwait(false) ?? throw new AppealNotFoundException(appealId);
            var now = _time.GetUtcNow();
            var outbox = new List<OutboxMessage>(1);
            var events = new List<(AppealEventKind, string?)>(2);
            var changed = mutation(current, now, outbox, events);
            Appeal stored;
            try
            {
                stored = await _store.UpdateAsync(changed, outbox, cancellationToken).ConfigureAwait(false);
            }
            catch (ConcurrencyConflictException) when (attempt < _options.ConcurrencyRetries)
            {
                continue;
            }

            var published = events.Select(e => new AppealEvent(e.Item1, stored, now, e.Item2))
                .Concat(outbox.Select(reply => new AppealEvent(AppealEventKind.ReplyQueued, stored, now, reply.Kind.ToString(), reply)))
                .ToList();
            await PublishAsync(published, cancellationToken).ConfigureAwait(false);
            return stored;
        }
    }

    private async ValueTask PublishAsync(List<AppealEvent> events, CancellationToken cancellationToken)
    {
        foreach (var appealEvent in events)
        {
            foreach (var handler in _handlers)
            {
                try
                {
                    await handler.HandleAsync(appealEvent, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    LogHandlerFailed(ex, handler.GetType().Name, appealEvent.Kind.ToString(), appealEvent.Appeal.Number);
                }
            }
        }
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Appeal #{Number} ({AppealId}) accepted from {Channel}: topic {Topic}, unit {Unit}")]
    private partial void LogAccepted(long number, Guid appealId, string channel, string topic, string unit);

    [LoggerMessage(EventId = 2, Level = LogLevel.Debug, Message = "Duplicate message from {Channel} dropped: it belongs to appeal #{Number}")]
    private partial void LogDuplicate(string channel, long number);

    [LoggerMessage(EventId = 3, Level = LogLevel.Error, Message = "Event handler {Handler} failed on {Kind} of appeal #{Number}")]
    private partial void LogHandlerFailed(Exception exception, string handler, string kind, long number);
}
