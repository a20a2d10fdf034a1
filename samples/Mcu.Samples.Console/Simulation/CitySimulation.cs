using Mcu.Samples.Console.Hosting;
using Mcu.Sdk;

namespace Mcu.Samples.Console.Simulation;

/// <summary>
/// A discrete-event simulation of a city control centre: citizens write through the channels of the 2024 mix, sometimes
/// follow up or are redelivered by their channel; units answer (interim, final, a clarification first) with realistic and
/// sometimes late delays; citizens rate answers; specialists close them. Every step goes through the real desk on a
/// simulated clock; replies are delivered to loopback channels and SLA steps are raised between the steps.
/// </summary>
/// <remarks>
/// Every random choice derives from the seed and the steps run one at a time in time order, so a seed always gives the same
/// appeals, numbers, answers and report.
/// </remarks>
internal sealed class CitySimulation
{
    // Share of arrivals per local hour (00–23): quiet nights, a morning rise, a long busy day, a lively evening.
    private static readonly double[] HourProfile =
        [0.8, 0.5, 0.35, 0.3, 0.35, 0.6, 1.4, 3.0, 5.2, 6.6, 7.0, 6.9, 6.6, 6.4, 6.5, 6.4, 6.2, 6.0, 5.8, 5.2, 4.4, 3.4, 2.2, 1.3];

    private static readonly string[] Clarifications =
    [
        "Уточните, пожалуйста, точный адрес: улицу и номер дома.",
        "Пришлите, пожалуйста, фотографию, чтобы специалисты нашли место быстрее.",
        "Подскажите, пожалуйста, с какого времени это продолжается?",
        "Уточните, пожалуйста, номер подъезда и этаж.",
    ];

    private static readonly string[] ClarificationReplies =
    [
        "{street}, дом {house}.",
        "Адрес: {street}, {house}. Фото прикрепляю.",
        "Со вчерашнего вечера, {street}, {house}.",
        "Подъезд 2, {street} {house}",
    ];

    private static readonly string[] Thanks =
    [
        "Спасибо, всё сделали!",
        "Благодарю, проблему решили. Фото прикладываю.",
        "Сделали, спасибо большое",
        "",
    ];

    private readonly McuRuntime _runtime;
    private readonly SimulationOptions _options;
    private readonly Random _random;
    private readonly AppealTextGenerator _generator;
    private readonly MessageFactory _messages;
    private readonly PriorityQueue<Step, (long Ticks, long Sequence)> _queue = new();
    private readonly List<Citizen> _regulars = [];
    private long _sequence;

    /// <summary>Initializes a new instance of the <see cref="CitySimulation"/> class.</summary>
    /// <param name="runtime">The SDK to drive.</param>
    /// <param name="options">What to simulate.</param>
    public CitySimulation(McuRuntime runtime, SimulationOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _runtime = runtime ?? throw new ArgumentNullException(nameof(runtime));
        _options = options;

        // The texts and the events draw from two sources, so that a change in one does not reshuffle the other.
        _random = new Random(unchecked((options.Seed * 7919) + 17));
        _generator = new AppealTextGenerator(options.Seed);
        _messages = new MessageFactory(_random);
    }

    /// <summary>Gets what happened, beside the report.</summary>
    public SimulationStatistics Statistics { get; } = new();

    private enum StepKind
    {
        DayStart,
        Arrival,
        Redelivery,
        FollowUp,
        Answer,
        Clarification,
        ClarificationReply,
        Rating,
        Close,
    }

    /// <summary>Runs the simulation up to <see cref="SimulationOptions.End"/>; steps scheduled later are left undone.</summary>
    /// <param name="progress">Receives the share of simulated time done, from 0 to 1.</param>
    /// <param name="cancellationToken">A token to cancel the run.</param>
    /// <returns>A task that completes when the period is simulated and every due reply is delivered.</returns>
    public async Task RunAsync(IProgress<double> progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(progress);
        var start = _options.Start;
        var end = _options.End;
        var span = (double)(end - start).Ticks;
        _runtime.Clock.AdvanceTo(start);
        for (var day = 0; day < _options.Days; day++)
        {
            Schedule(new Step(StepKind.DayStart, start.AddDays(day), null));
        }

        var handled = 0;
        while (_queue.TryDequeue(out var step, out _) && step.At < end)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (_runtime.Clock.AdvanceTo(step.At))
            {
                // Replies queued and SLA steps due before this moment happen before it.
                await _runtime.PumpAsync(cancellationToken).ConfigureAwait(false);
            }

            await ExecuteAsync(step, cancellationToken).ConfigureAwait(false);
            if (++handled % 256 == 0)
            {
                progress.Report((step.At - start).Ticks / span);
            }
        }

        _runtime.Clock.AdvanceTo(end);
        await _runtime.PumpAsync(cancellationToken).ConfigureAwait(false);
        progress.Report(1.0);
    }

    private async ValueTask ExecuteAsync(Step step, CancellationToken cancellationToken)
    {
        try
        {
            switch (step.Kind)
            {
                case StepKind.DayStart:
                    ScheduleDay(step.At);
                    break;
                case StepKind.Arrival:
                    await ArriveAsync(step.Story, cancellationToken).ConfigureAwait(false);
                    break;
                case StepKind.Redelivery:
                    await IngestAsync(step.Story, step.Message!, cancellationToken).ConfigureAwait(false);
                    break;
                case StepKind.FollowUp:
                    await FollowUpAsync(step, cancellationToken).ConfigureAwait(false);
                    break;
                case StepKind.Answer:
                    await AnswerAsync(step.Story, step.Final, cancellationToken).ConfigureAwait(false);
                    break;
                case StepKind.Clarification:
                    await AskClarificationAsync(step.Story, cancellationToken).ConfigureAwait(false);
                    break;
                case StepKind.ClarificationReply:
                    await ReplyToClarificationAsync(step.Story, cancellationToken).ConfigureAwait(false);
                    break;
                case StepKind.Rating:
                    await RateAsync(step.Story, cancellationToken).ConfigureAwait(false);
                    break;
                case StepKind.Close:
                    await CloseAsync(step.Story, cancellationToken).ConfigureAwait(false);
                    break;
            }
        }
        catch (InvalidAppealTransitionException)
        {
            // The appeal moved on (the citizen's low rating reopened it, a clarification is pending): the step no longer applies.
            Statistics.ActionsDropped++;
        }
    }

    private void ScheduleDay(DateTimeOffset dayStart)
    {
        var totalWeight = HourProfile.Sum();
        for (var i = 0; i < _options.PerDay; i++)
        {
            var point = _random.NextDouble() * totalWeight;
            var hour = 0;
            while (hour < HourProfile.Length - 1 && (point -= HourProfile[hour]) >= 0)
            {
                hour++;
            }

            var at = dayStart.AddHours(hour).AddSeconds(_random.Next(3600));
            var generated = _generator.Next();
            var channel = ChannelMix.Pick(_random);
            Citizen citizen;
            if (channel != ChannelId.Monitoring && _regulars.Count > 0 && _random.NextDouble() < 0.04)
            {
                // A regular writes again in the same chat: a new problem, or one more word on the open one.
                citizen = _regulars[_random.Next(_regulars.Count)];
                generated = generated with { AuthorName = citizen.Author.DisplayName ?? generated.AuthorName };
            }
            else
            {
                citizen = _messages.NewCitizen(channel, generated);
                if (channel != ChannelId.Monitoring && channel != ChannelId.Pos && _random.NextDouble() < 0.1)
                {
                    _regulars.Add(citizen);
                }
            }

            Schedule(new Step(StepKind.Arrival, at, new Case(generated, citizen)));
        }
    }

    private async ValueTask ArriveAsync(Case story, CancellationToken cancellationToken)
    {
        var now = _runtime.Clock.GetUtcNow().ToOffset(McuRuntime.CityOffset);
        var photo = story.Citizen.Channel != ChannelId.Monitoring && _random.NextDouble() < 0.25;
        GeoLocation? location = story.Citizen.Channel == ChannelId.Telegram && _random.NextDouble() < 0.15 ? _messages.NextLocation() : null;
        var message = _messages.Create(story.Citizen, story.Generated.Text, now, photo, location);
        await IngestAsync(story, message, cancellationToken).ConfigureAwait(false);

        if (_random.NextDouble() < 0.015)
        {
            // The channel delivers the same update again (a webhook retry): the desk must keep one appeal.
            Schedule(new Step(StepKind.Redelivery, now.AddSeconds(1 + _random.Next(60)), story) { Message = message });
        }

        if (_random.NextDouble() < 0.12)
        {
            Schedule(new Step(StepKind.FollowUp, now.AddMinutes(3 + LogNormal(35, 0.9)), story));
        }
    }

    private async ValueTask FollowUpAsync(Step step, CancellationToken cancellationToken)
    {
        var now = _runtime.Clock.GetUtcNow().ToOffset(McuRuntime.CityOffset);
        var story = step.Story;
        string text;
        bool photo;
        if (step.Text is { } given)
        {
            (text, photo) = (given, given.Length == 0 || _random.NextDouble() < 0.5);
        }
        else
        {
            photo = _random.NextDouble() < 0.2;
            text = photo ? string.Empty : _generator.NextFollowUp(story.Generated);
        }

        await IngestAsync(story, _messages.Create(story.Citizen, text, now, photo), cancellationToken).ConfigureAwait(false);
    }

    private async ValueTask<IngestResult> IngestAsync(Case story, InboundMessage message, CancellationToken cancellationToken)
    {
        Statistics.Messages++;
        var result = await _runtime.Desk.IngestAsync(message, cancellationToken).ConfigureAwait(false);
        switch (result.Outcome)
        {
            case IngestOutcome.Created:
                Statistics.Created++;
                var appeal = result.Appeal;

                // A message after the story's appeal was closed opens a new appeal: it is a new story for the units.
                var current = story.AppealId == Guid.Empty ? story : story with { };
                current.AppealId = appeal.Id;
                if (appeal.Status == AppealStatus.Rejected)
                {
                    Statistics.Rejected++;
                }
                else
                {
                    PlanUnitWork(current, appeal);
                }

                break;
            case IngestOutcome.FollowUp:
                Statistics.FollowUps++;
                if (story.AppealId == Guid.Empty)
                {
                    story.AppealId = result.Appeal.Id;
                }

                PlanReplyToFollowUp(story, result.Appeal);
                break;
            default:
                Statistics.Duplicates++;
                break;
        }

        return result;
    }

    private void PlanUnitWork(Case story, Appeal appeal)
    {
        var now = _runtime.Clock.GetUtcNow().ToOffset(McuRuntime.CityOffset);
        var factor = UnitBehaviour.Factor(appeal.UnitId);
        if (appeal.Priority == AppealPriority.Urgent)
        {
            // Escalated at once: the duty service reacts within minutes, day or night.
            var first = now.AddMinutes(3 + LogNormal(12 * factor, 0.6));
            if (_random.NextDouble() < 0.7)
            {
                Schedule(new Step(StepKind.Answer, first, story) { Final = false });
                Schedule(new Step(StepKind.Answer, first.AddMinutes(LogNormal(180 * factor, 0.7)), story) { Final = true });
            }
            else
            {
                Schedule(new Step(StepKind.Answer, first, story) { Final = true });
            }

            return;
        }

        if (_random.NextDouble() < 0.03)
        {
            Schedule(new Step(StepKind.Clarification, WorkingTime(now.AddMinutes(LogNormal(40 * factor, 0.7))), story));
            return;
        }

        var answerAt = WorkingTime(now.AddMinutes(LogNormal(60 * factor, 0.85)));
        if (_random.NextDouble() < 0.04)
        {
            // Forgotten in somebody's inbox: read out at the next planning meeting.
            answerAt = WorkingTime(answerAt.AddHours(24 + _random.Next(48)));
        }

        if (_random.NextDouble() < 0.4)
        {
            Schedule(new Step(StepKind.Answer, answerAt, story) { Final = false });
            Schedule(new Step(StepKind.Answer, WorkingTime(answerAt.AddMinutes(LogNormal(26 * 60 * factor, 0.8))), story) { Final = true });
        }
        else
        {
            Schedule(new Step(StepKind.Answer, answerAt, story) { Final = true });
        }
    }

    /// <summary>A citizen wrote again after an interim answer: the unit owes another answer (the SDK runs a next-answer clock).</summary>
    private void PlanReplyToFollowUp(Case story, Appeal appeal)
    {
        if (appeal.Status != AppealStatus.InProgress || appeal.FirstAnsweredAt is null || appeal.ResolvedAt is not null || _random.NextDouble() >= 0.85)
        {
            return;
        }

        var now = _runtime.Clock.GetUtcNow().ToOffset(McuRuntime.CityOffset);
        var factor = UnitBehaviour.Factor(appeal.UnitId);
        var owner = story with { AppealId = appeal.Id };
        Schedule(new Step(StepKind.Answer, WorkingTime(now.AddMinutes(LogNormal(70 * factor, 0.8))), owner) { Final = false });
    }

    private async ValueTask AnswerAsync(Case story, bool final, CancellationToken cancellationToken)
    {
        if (!final)
        {
            // An interim answer only makes sense while the unit is still working on the appeal.
            var current = await _runtime.Desk.GetAsync(story.AppealId, cancellationToken).ConfigureAwait(false);
            if (current is null || current.Status is not (AppealStatus.Routed or AppealStatus.InProgress or AppealStatus.Reopened))
            {
                Statistics.ActionsDropped++;
                return;
            }
        }

        var text = _generator.NextAnswer(story.Generated, final);
        await _runtime.Desk.AnswerAsync(story.AppealId, new UnitAnswer(text, final), cancellationToken).ConfigureAwait(false);
        if (!final)
        {
            Statistics.InterimAnswers++;
            return;
        }

        Statistics.FinalAnswers++;
        var now = _runtime.Clock.GetUtcNow().ToOffset(McuRuntime.CityOffset);
        var roll = _random.NextDouble();
        if (roll < 0.08)
        {
            // The citizen thanks and sends a photo of the solved problem; the specialist closes it later.
            Schedule(new Step(StepKind.FollowUp, now.AddMinutes(LogNormal(120, 1.0)), story) { Text = Thanks[_random.Next(Thanks.Length)] });
            Schedule(new Step(StepKind.Close, WorkingTime(now.AddHours(24)), story));
        }
        else if (roll < 0.55)
        {
            Schedule(new Step(StepKind.Rating, now.AddMinutes(LogNormal(180, 1.0)), story));
        }
        else
        {
            Schedule(new Step(StepKind.Close, WorkingTime(now.AddHours(24)), story));
        }
    }

    private async ValueTask AskClarificationAsync(Case story, CancellationToken cancellationToken)
    {
        var appeal = await _runtime.Desk.GetAsync(story.AppealId, cancellationToken).ConfigureAwait(false);
        var question = Clarifications[_random.Next(Clarifications.Length)];
        await _runtime.Desk.RequestClarificationAsync(story.AppealId, question, appeal?.UnitId ?? "mcu", cancellationToken).ConfigureAwait(false);
        Statistics.Clarifications++;
        if (_random.NextDouble() < 0.85)
        {
            var now = _runtime.Clock.GetUtcNow().ToOffset(McuRuntime.CityOffset);
            Schedule(new Step(StepKind.ClarificationReply, now.AddMinutes(5 + LogNormal(60, 1.0)), story));
        }
    }

    private async ValueTask ReplyToClarificationAsync(Case story, CancellationToken cancellationToken)
    {
        var now = _runtime.Clock.GetUtcNow().ToOffset(McuRuntime.CityOffset);
        var text = ClarificationReplies[_random.Next(ClarificationReplies.Length)]
            .Replace("{street}", story.Generated.Street, StringComparison.Ordinal)
            .Replace("{house}", story.Generated.House, StringComparison.Ordinal);
        var result = await IngestAsync(story, _messages.Create(story.Citizen, text, now, photo: _random.NextDouble() < 0.3), cancellationToken).ConfigureAwait(false);
        if (result.Outcome == IngestOutcome.FollowUp && result.Appeal.Id == story.AppealId)
        {
            var factor = UnitBehaviour.Factor(result.Appeal.UnitId);
            Schedule(new Step(StepKind.Answer, WorkingTime(now.AddMinutes(LogNormal(90 * factor, 0.8))), story) { Final = true });
        }
    }

    private async ValueTask RateAsync(Case story, CancellationToken cancellationToken)
    {
        var roll = _random.NextDouble();
        var rating = roll < 0.55 ? 5 : roll < 0.80 ? 4 : roll < 0.88 ? 3 : roll < 0.94 ? 2 : 1;
        var current = await _runtime.Desk.GetAsync(story.AppealId, cancellationToken).ConfigureAwait(false);
        if (current is null || current.Status is not (AppealStatus.Answered or AppealStatus.Closed))
        {
            Statistics.ActionsDropped++;
            return;
        }

        var appeal = await _runtime.Desk.RateAsync(story.AppealId, rating, cancellationToken).ConfigureAwait(false);
        Statistics.Ratings++;
        var now = _runtime.Clock.GetUtcNow().ToOffset(McuRuntime.CityOffset);
        if (appeal.Status == AppealStatus.Reopened)
        {
            // A low rating reopens the appeal: the unit has another look and answers again.
            Statistics.Reopened++;
            var factor = UnitBehaviour.Factor(appeal.UnitId);
            Schedule(new Step(StepKind.Answer, WorkingTime(now.AddMinutes(LogNormal(8 * 60 * factor, 0.8))), story) { Final = true });
        }
        else
        {
            Schedule(new Step(StepKind.Close, WorkingTime(now.AddHours(2)), story));
        }
    }

    private async ValueTask CloseAsync(Case story, CancellationToken cancellationToken)
    {
        var appeal = await _runtime.Desk.GetAsync(story.AppealId, cancellationToken).ConfigureAwait(false);
        if (appeal is null || appeal.Status != AppealStatus.Answered)
        {
            Statistics.ActionsDropped++;
            return;
        }

        await _runtime.Desk.CloseAsync(story.AppealId, "mcu", "the answer was accepted", cancellationToken).ConfigureAwait(false);
        Statistics.Closed++;
    }

    private void Schedule(Step step) => _queue.Enqueue(step, (step.At.UtcTicks, _sequence++));

    /// <summary>Moves a unit's action out of the night: units work in shifts from 08:00 to 22:00 local time.</summary>
    private DateTimeOffset WorkingTime(DateTimeOffset at)
    {
        var local = at.ToOffset(McuRuntime.CityOffset);
        if (local.Hour is >= 8 and < 22)
        {
            return local;
        }

        var morning = new DateTimeOffset(local.Date, McuRuntime.CityOffset).AddHours(8);
        if (local.Hour >= 22)
        {
            morning = morning.AddDays(1);
        }

        return morning.AddMinutes(_random.Next(120));
    }

    /// <summary>Draws a log-normal delay in minutes with the given median and spread.</summary>
    private double LogNormal(double median, double sigma)
    {
        var u1 = 1.0 - _random.NextDouble();
        var u2 = _random.NextDouble();
        var normal = Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
        return Math.Min(median * Math.Exp(sigma * normal), 14 * 24 * 60);
    }

    /// <summary>One citizen's story: the generated appeal and the citizen, and once accepted the appeal it became.</summary>
    private sealed record Case(GeneratedAppeal Generated, Citizen Citizen)
    {
        public Guid AppealId { get; set; }
    }

    /// <summary>A scheduled step of the simulation.</summary>
    private sealed record Step(StepKind Kind, DateTimeOffset At, Case? Case)
    {
        /// <summary>Gets the story of a step that has one (every step but the start of a day).</summary>
        public Case Story => Case ?? throw new InvalidOperationException($"A {Kind} step needs a citizen's story.");

        /// <summary>Gets a value indicating whether an answer step gives the final answer.</summary>
        public bool Final { get; init; }

        /// <summary>Gets the text of a follow-up, or <see langword="null"/> to let the generator write one.</summary>
        public string? Text { get; init; }

        /// <summary>Gets the message a redelivery step delivers again.</summary>
        public InboundMessage? Message { get; init; }
    }
}
