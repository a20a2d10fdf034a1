using System.Globalization;
using System.Text;
using System.Text.Json;
using Mcu.Samples.Console.Cli;
using Mcu.Samples.Console.Hosting;
using Mcu.Samples.Console.Input;
using Mcu.Samples.Console.Output;
using Mcu.Sdk;
using Mcu.Sdk.Storage;

namespace Mcu.Samples.Console.Commands;

/// <summary>
/// One run of <c>mcu replay</c>. Without an acknowledgement journal it replays on a simulated clock set from the lines' own
/// times, pumping the dispatcher and the SLA monitor itself (deterministic). With <c>--ack-journal</c> it is a durable host
/// run: the system clock, the SDK's background services started by the generic host, each acknowledged line journaled and
/// synced before the next one is read, a rerun resuming after the lines acknowledged before, and the report printed once
/// every committed reply has been delivered.
/// </summary>
internal sealed class ReplayRun : IAsyncDisposable
{
    // The durable host run drains the outbox before the report; it gives up when the pending count stays the same this long
    // (the leases of a killed predecessor expire within seconds, see ConfigureHostedDispatcher).
    private static readonly TimeSpan DrainStall = TimeSpan.FromSeconds(30);

    private readonly ConsoleContext _context;
    private readonly ReplaySettings _settings;
    private readonly string _name;
    private readonly InboundMessageParser _parser = new(McuRuntime.KnownChannels);
    private readonly Dictionary<int, AckRecord> _acknowledged = [];
    private readonly HashSet<int> _redeliver = [];
    private readonly Lock _errorGate = new();
    private SimulatedClock? _clock;
    private McuRuntime? _runtime;
    private SyncedJournal? _ackJournal;
    private DeliveryJournal? _deliveries;
    private int _lineNumber, _skipped, _created, _followUps, _duplicates, _answered, _alreadyAnswered, _resumed, _fedAgain;
    private DateTimeOffset? _first, _last;

    private ReplayRun(ConsoleContext context, ReplaySettings settings)
    {
        _context = context;
        _settings = settings;
        _name = settings.Input.Name;
    }

    private bool Hosted => _settings.AckJournal is not null;

    /// <summary>Runs <c>mcu replay</c>.</summary>
    /// <param name="context">The console.</param>
    /// <param name="settings">What to do.</param>
    /// <param name="cancellationToken">A token to cancel the run.</param>
    /// <returns>0; 2 when bad lines were skipped; 1 when a file cannot be read or the outbox could not be drained.</returns>
    public static async Task<int> RunAsync(ConsoleContext context, ReplaySettings settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(settings);
        StreamReader reader;
        try
        {
            reader = new StreamReader(settings.Input.FullName, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            await context.Error.WriteLineAsync($"error: cannot read '{settings.Input.FullName}': {ex.Message}").ConfigureAwait(false);
            return ExitCodes.Error;
        }

        using (reader)
        {
            var run = new ReplayRun(context, settings);
            await using (run.ConfigureAwait(false))
            {
                return await run.ExecuteAsync(reader, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        // The runtime first: its dispatcher may still write to the deliveries journal until the host stops.
        if (_runtime is not null)
        {
            await _runtime.DisposeAsync().ConfigureAwait(false);
        }

        _deliveries?.Dispose();
        _ackJournal?.Dispose();
    }

    private async Task<int> ExecuteAsync(TextReader reader, CancellationToken cancellationToken)
    {
        if (!OpenJournals())
        {
            return ExitCodes.Error;
        }

        if (Hosted)
        {
            _runtime = await McuRuntime.StartHostedAsync(_settings.Verbose, Configure, Senders(), cancellationToken).ConfigureAwait(false);
            Log(string.Create(CultureInfo.InvariantCulture, $"started: {_acknowledged.Count} line(s) acknowledged by an earlier run; {_redeliver.Count} message(s) to feed again"));
        }

        while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
        {
            _lineNumber++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            var good = _parser.TryParseLine(line, out var item, out var error);
            if (_acknowledged.TryGetValue(_lineNumber, out var acknowledged))
            {
                if (!Matches(acknowledged, good ? item : null))
                {
                    WriteError(string.Create(
                        CultureInfo.InvariantCulture,
                        $"error: {_settings.AckJournal!.Name} says line {_lineNumber} was {Describe(acknowledged)}, but {_name}:{_lineNumber} is {Describe(good ? item : null)}: the journal belongs to another input (or the input changed)."));
                    return ExitCodes.Error;
                }

                if (!_redeliver.Contains(_lineNumber))
                {
                    _resumed++;
                    continue;
                }

                _fedAgain++;
            }

            if (!good)
            {
                Skip(error!);
                continue;
            }

            if (item!.Message is { } message)
            {
                await IngestAsync(message, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await AnswerAsync(item.Answer!, cancellationToken).ConfigureAwait(false);
            }
        }

        if (_runtime is null)
        {
            WriteError(string.Create(CultureInfo.InvariantCulture, $"{_name}: no good message in {_lineNumber} line(s); nothing to report."));
            return _skipped > 0 ? ExitCodes.SkippedInput : ExitCodes.Error;
        }

        if (!Hosted)
        {
            await _runtime.PumpAsync(cancellationToken).ConfigureAwait(false);
        }
        else if (!await DrainAsync(cancellationToken).ConfigureAwait(false))
        {
            return ExitCodes.Error;
        }

        await WriteReportAsync(cancellationToken).ConfigureAwait(false);
        return _skipped > 0 ? ExitCodes.SkippedInput : ExitCodes.Success;
    }

    private bool OpenJournals()
    {
        try
        {
            if (_settings.AckJournal is { } ackJournal)
            {
                ReadAcknowledged(ackJournal.FullName);
                _ackJournal = new SyncedJournal(ackJournal.FullName);
            }

            if (_settings.Deliveries is { } deliveries)
            {
                _deliveries = DeliveryJournal.Open(deliveries.FullName, Hosted ? LogDelivery : null);
            }

            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // InvalidDataException is an IOException: a journal with a line that is not one of ours.
            WriteError("error: " + ex.Message);
            return false;
        }
    }

    private void ReadAcknowledged(string path)
    {
        foreach (var (number, text) in SyncedJournal.Read(path))
        {
            AckRecord? record;
            try
            {
                record = JsonSerializer.Deserialize(text, JournalJsonContext.Default.AckRecord);
            }
            catch (JsonException ex)
            {
                throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture, $"{path}:{number}: not an acknowledgement journal line: {ex.Message}"), ex);
            }

            if (record is null || record.Line <= 0 || record.Outcome.Length == 0)
            {
                throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture, $"{path}:{number}: not an acknowledgement journal line."));
            }

            _acknowledged.TryAdd(record.Line, record);
        }

        foreach (var line in _acknowledged.Values.Where(r => r.Kind == "message").Select(r => r.Line).Order().TakeLast(_settings.Redeliver))
        {
            _redeliver.Add(line);
        }
    }

    private RecordingChannel[]? Senders() =>
        _deliveries is null
            ? null
            : McuRuntime.KnownChannels.Select(id => new RecordingChannel(id, RecordingChannel.ChannelsWithIdempotencyKey.Contains(id), _deliveries)).ToArray();

    private void Configure(IMcuBuilder mcu)
    {
        StoreOption.Apply(mcu, _settings.Store);
        if (Hosted)
        {
            mcu.ConfigureDispatcher(o =>
            {
                // One reply part in flight at a time: a crash then repeats at most one part on a channel without an idempotency
                // key. Short leases in small batches: a killed run's leased replies come back within seconds, and a batch is
                // delivered well within its lease.
                o.MaxParallelConversations = 1;
                o.LeaseDuration = TimeSpan.FromSeconds(5);
                o.BatchSize = 20;
                o.PollInterval = TimeSpan.FromMilliseconds(200);
            });
        }
    }

    private async ValueTask EnsureRuntimeAsync(DateTimeOffset start, DateTimeOffset? moveTo, CancellationToken cancellationToken)
    {
        if (Hosted)
        {
            return; // the host runs on the system clock; the lines' times are kept on the messages only
        }

        if (_runtime is null)
        {
            // The clock starts at the first good line and only moves forward; a line older than the clock is taken at the clock's time.
            _clock = new SimulatedClock(start);
            _runtime = McuRuntime.Create(_clock, _settings.Verbose, Configure, Senders());
        }

        if (moveTo is { } instant && _clock!.AdvanceTo(instant))
        {
            await _runtime.PumpAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task IngestAsync(InboundMessage message, CancellationToken cancellationToken)
    {
        await EnsureRuntimeAsync(message.ReceivedAt, message.ReceivedAt, cancellationToken).ConfigureAwait(false);
        _first = _first is { } f && f <= message.ReceivedAt ? f : message.ReceivedAt;
        _last = _last is { } l && l >= message.ReceivedAt ? l : message.ReceivedAt;
        var result = await _runtime!.Desk.IngestAsync(message, cancellationToken).ConfigureAwait(false);
        string outcome;
        switch (result.Outcome)
        {
            case IngestOutcome.Created:
                _created++;
                outcome = AckRecord.Created;
                break;
            case IngestOutcome.FollowUp:
                _followUps++;
                outcome = AckRecord.FollowUp;
                break;
            default:
                _duplicates++;
                outcome = AckRecord.Duplicate;
                break;
        }

        Acknowledge("message", message.Channel, message.ExternalId, outcome, result.Appeal, result.Appeal.Replies.Select(r => r.OutboxId));
    }

    private async Task AnswerAsync(ReplayAnswer answer, CancellationToken cancellationToken)
    {
        // An answer without a time, as the first line of a replay, starts the simulated clock now.
        await EnsureRuntimeAsync(answer.AnsweredAt ?? TimeProvider.System.GetUtcNow(), answer.AnsweredAt, cancellationToken).ConfigureAwait(false);
        var appeal = await _runtime!.Store.FindByMessageAsync(answer.Channel, answer.ExternalId, cancellationToken).ConfigureAwait(false);
        if (appeal is null)
        {
            Skip($"no appeal holds message {answer.Channel}:{answer.ExternalId}; an answer must come after the message it answers");
            return;
        }

        // An answer is committed once: an answer the appeal already holds (the same kind, its text in the reply) was applied
        // by an earlier run — a second replay of the file, or a run killed between the commit and its journal line.
        var kind = answer.IsFinal ? ReplyKind.Final : ReplyKind.Interim;
        var held = appeal.Replies.FirstOrDefault(r => r.Kind == kind && r.Text.Contains(answer.Text, StringComparison.Ordinal));
        if (held is not null)
        {
            _alreadyAnswered++;
            Acknowledge("answer", answer.Channel, answer.ExternalId, AckRecord.AlreadyAnswered, appeal, [held.OutboxId]);
            return;
        }

        Appeal stored;
        try
        {
            stored = await _runtime.Desk.AnswerAsync(appeal.Id, new UnitAnswer(answer.Text, answer.IsFinal) { Actor = answer.Actor }, cancellationToken).ConfigureAwait(false);
        }
        catch (InvalidAppealTransitionException ex)
        {
            Skip(string.Create(CultureInfo.InvariantCulture, $"appeal #{appeal.Number} cannot take {(answer.IsFinal ? "a final" : "an interim")} answer: {ex.Message}"));
            return;
        }

        _answered++;
        var reply = stored.Replies.Last(r => r.Kind == kind && r.Text.Contains(answer.Text, StringComparison.Ordinal));
        Acknowledge("answer", answer.Channel, answer.ExternalId, AckRecord.Answered, stored, [reply.OutboxId]);
    }

    private void Acknowledge(string kind, ChannelId channel, string externalId, string outcome, Appeal appeal, IEnumerable<Guid> replies)
    {
        if (_ackJournal is null)
        {
            return;
        }

        var record = new AckRecord
        {
            Line = _lineNumber,
            Kind = kind,
            Channel = channel.Value,
            ExternalId = externalId,
            Outcome = outcome,
            AppealId = appeal.Id,
            AppealNumber = appeal.Number,
            Replies = [.. replies],
        };
        _ackJournal.Append(JsonSerializer.Serialize(record, JournalJsonContext.Readable.AckRecord));
        Log(string.Create(CultureInfo.InvariantCulture, $"ack {_lineNumber} {outcome} {channel} {externalId} #{appeal.Number}"));
    }

    private void Skip(string error)
    {
        _skipped++;
        WriteError(string.Create(CultureInfo.InvariantCulture, $"{_name}:{_lineNumber}: skipped: {error}"));
        if (_ackJournal is not null)
        {
            _ackJournal.Append(JsonSerializer.Serialize(new AckRecord { Line = _lineNumber, Outcome = AckRecord.Skipped, Error = error }, JournalJsonContext.Readable.AckRecord));
            Log(string.Create(CultureInfo.InvariantCulture, $"ack {_lineNumber} {AckRecord.Skipped}"));
        }
    }

    private static bool Matches(AckRecord acknowledged, ReplayItem? item)
    {
        if (acknowledged.Outcome == AckRecord.Skipped)
        {
            return item is null || item.Answer is not null; // a bad line, or an answer that found no appeal to take it
        }

        return item switch
        {
            { Message: { } m } => acknowledged.Kind == "message" && acknowledged.Channel == m.Channel.Value && acknowledged.ExternalId == m.ExternalId,
            { Answer: { } a } => acknowledged.Kind == "answer" && acknowledged.Channel == a.Channel.Value && acknowledged.ExternalId == a.ExternalId,
            _ => false,
        };
    }

    private static string Describe(AckRecord record) =>
        record.Outcome == AckRecord.Skipped ? "skipped" : $"the {record.Kind} {record.Channel}:{record.ExternalId}";

    private static string Describe(ReplayItem? item) => item switch
    {
        { Message: { } m } => $"the message {m.Channel}:{m.ExternalId}",
        { Answer: { } a } => $"the answer {a.Channel}:{a.ExternalId}",
        _ => "a bad line",
    };

    private async Task<bool> DrainAsync(CancellationToken cancellationToken)
    {
        var time = TimeProvider.System;
        var lastPending = -1;
        var since = time.GetTimestamp();
        while (true)
        {
            var pending = 0;
            await foreach (var _ in _runtime!.Store.QueryOutboxAsync(OutboxStatus.Pending, cancellationToken).ConfigureAwait(false))
            {
                pending++;
            }

            if (pending == 0)
            {
                return true;
            }

            if (pending != lastPending)
            {
                lastPending = pending;
                since = time.GetTimestamp();
            }
            else if (time.GetElapsedTime(since) > DrainStall)
            {
                WriteError(string.Create(
                    CultureInfo.InvariantCulture,
                    $"error: {pending} committed repl(ies) still pending after {DrainStall.TotalSeconds:0} s without progress; a later run with the same store delivers them."));
                return false;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100), time, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task WriteReportAsync(CancellationToken cancellationToken)
    {
        // The report is made at the clock's time (the last line's, or now in a host run), in the last message's offset.
        var offset = _last?.Offset ?? McuRuntime.CityOffset;
        var report = await _runtime!.BuildReportAsync(null, null, offset, cancellationToken).ConfigureAwait(false);
        var summary = new StringBuilder("## Replay\n\n| item | count |\n|---|---:|\n");
        summary.Append(CultureInfo.InvariantCulture, $"| lines read | {_lineNumber} |\n| appeals opened | {_created} |\n| follow-ups joined | {_followUps} |\n| duplicates dropped | {_duplicates} |\n");
        if (_answered + _alreadyAnswered > 0)
        {
            summary.Append(CultureInfo.InvariantCulture, $"| answers committed | {_answered} |\n| answers already held | {_alreadyAnswered} |\n");
        }

        summary.Append(CultureInfo.InvariantCulture, $"| bad lines skipped | {_skipped} |\n| replies delivered | {_runtime.Counters[AppealEventKind.ReplyDelivered]} |\n");
        if (Hosted)
        {
            summary.Append(CultureInfo.InvariantCulture, $"| lines acknowledged by an earlier run | {_resumed + _fedAgain} |\n| messages fed again | {_fedAgain} |\n");
        }

        if (_deliveries is not null)
        {
            summary.Append(CultureInfo.InvariantCulture, $"| parts recorded as delivered | {_deliveries.Delivered} |\n| resends deduplicated by key | {_deliveries.Deduplicated} |\n");
        }

        summary.Append('\n');
        if (_first is { } first && _last is { } last)
        {
            summary.Append(CultureInfo.InvariantCulture, $"Messages from {first:yyyy-MM-dd HH:mm zzz} to {last:yyyy-MM-dd HH:mm zzz}.\n\n");
        }

        await ReportWriter.WriteAsync(_context.Out, report, _settings.Format, summary.ToString()).ConfigureAwait(false);
        var line = new StringBuilder();
        line.Append(CultureInfo.InvariantCulture, $"{_name}: {_lineNumber} line(s): {_created} appeal(s), {_followUps} follow-up(s), {_duplicates} duplicate(s), {_skipped} skipped.");
        if (_answered + _alreadyAnswered > 0)
        {
            line.Append(CultureInfo.InvariantCulture, $" {_answered} answer(s) committed, {_alreadyAnswered} already held.");
        }

        if (Hosted)
        {
            line.Append(CultureInfo.InvariantCulture, $" {_resumed + _fedAgain} line(s) acknowledged by an earlier run, {_fedAgain} message(s) fed again.");
        }

        WriteError(line.ToString());
    }

    private void LogDelivery(DeliveryRecord record) =>
        Log(string.Create(CultureInfo.InvariantCulture, $"{record.Event} {record.Channel} {record.OutboxId:N} {record.Part + 1}/{record.Parts}"));

    // The host run's log: one line per acknowledgement and per delivery, on standard error.
    private void Log(string line)
    {
        if (Hosted)
        {
            WriteError(line);
        }
    }

    // Standard error is shared with the dispatcher's thread in a host run.
    private void WriteError(string line)
    {
        lock (_errorGate)
        {
            _context.Error.WriteLine(line);
        }
    }
}
