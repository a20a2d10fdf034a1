using System.Globalization;
using System.Text;
using Mcu.Sdk.Classification;
using Mcu.Sdk.Internal;
using Microsoft.Extensions.Options;

namespace Mcu.Sdk.Sla;

/// <summary>One step of an appeal's escalation plan: when it is due and whether it was raised.</summary>
/// <param name="Key">The step key, the detail of its event: <c>{clock key}:{step name}</c>, for example <c>first-answer:unit-head</c>.</param>
/// <param name="TimerKey">The clock's key, for example <c>first-answer</c> or <c>next-answer-2</c>.</param>
/// <param name="TimerKind">The kind of clock.</param>
/// <param name="StepName">The step's name in the ladder.</param>
/// <param name="Audience">Who is told (see <see cref="SlaAudiences"/>).</param>
/// <param name="Percent">The share of the target, in percent.</param>
/// <param name="DueAt">When the step is due.</param>
/// <param name="EventKind">The event it raises: a warning below 100 %, a breach at 100 %, an escalation above.</param>
/// <param name="Raised">Whether it was raised already.</param>
public sealed record SlaEscalationPoint(
    string Key,
    string TimerKey,
    SlaTimerKind TimerKind,
    string StepName,
    string Audience,
    double Percent,
    DateTimeOffset DueAt,
    AppealEventKind EventKind,
    bool Raised);

/// <summary>
/// The SLA engine: business calendars and profiles from <see cref="SlaOptions"/>, the selection of an appeal's profile by rules, its clocks,
/// pauses, registration, extension and forwarding, and its escalation plan. The desk, the monitor and <see cref="RuleBasedSlaPolicy"/> use it.
/// </summary>
/// <remarks>
/// Immutable after construction and thread-safe. Computing an appeal's deadlines is a rule lookup and one calendar computation per clock
/// (about 0.1–0.3 µs each); it allocates only the resulting records.
/// </remarks>
public sealed class SlaEngine
{
    private const string WarningStep = "warning";
    private const string BreachStep = "breach";

    private readonly SlaOptions _options;
    private readonly Dictionary<string, BusinessCalendar> _calendars = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, CompiledProfile> _profiles = new(StringComparer.OrdinalIgnoreCase);
    private readonly CompiledRule[] _rules;
    private readonly CompiledRule _defaultRule;
    private readonly CompiledStep[] _defaultLadder;

    /// <summary>Initializes a new instance of the <see cref="SlaEngine"/> class.</summary>
    /// <param name="options">The options; validated here (and, in a host, at start by the options validator).</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The options are invalid; the message lists every problem.</exception>
    public SlaEngine(IOptions<SlaOptions> options)
    {
        _options = Throw.IfNull(options).Value;
        var errors = SlaConfiguration.Validate(_options);
        if (errors.Count > 0)
        {
            throw new ArgumentException("Invalid SLA options:" + Environment.NewLine + "- " + string.Join(Environment.NewLine + "- ", errors), nameof(options));
        }

        foreach (var (name, calendar) in _options.Calendars)
        {
            _calendars[name] = BusinessCalendar.Create(calendar);
        }

        DefaultCalendar = _calendars.TryGetValue(SlaOptions.DefaultCalendarName, out var configured) ? configured : BusinessCalendar.Default;
        _defaultLadder =
        [
            new CompiledStep(_options.WarningThreshold, _options.WarningThreshold * 100, WarningStep, SlaAudiences.Unit, 0),
            new CompiledStep(1.0, 100, BreachStep, SlaAudiences.UnitHead, 0),
        ];

        foreach (var name in SlaConfiguration.ProfileNames(_options))
        {
            var profile = SlaConfiguration.Resolve(_options, name, null)!;
            _profiles[profile.Name] = Compile(profile);
        }

        ProfileNames = [.. _profiles.Keys];
        var defaultProfile = _profiles[_options.DefaultProfile];
        _defaultRule = new CompiledRule(null, [], [], null, defaultProfile, _options.FirstAnswer, _options.Resolution);
        _rules = new CompiledRule[_options.Rules.Count];
        for (var i = 0; i < _rules.Length; i++)
        {
            var rule = _options.Rules[i];
            var usesDefault = rule.Profile is null;
            _rules[i] = new CompiledRule(
                rule.Name ?? $"rule #{i + 1}",
                [.. rule.Channels.Select(c => new ChannelId(c))],
                [.. rule.Topics.Select(t => new TopicCode(t))],
                rule.Urgent,
                usesDefault ? defaultProfile : _profiles[rule.Profile!],
                rule.FirstAnswer ?? (usesDefault ? _options.FirstAnswer : null),
                rule.Resolution ?? (usesDefault ? _options.Resolution : null));
        }
    }

    /// <summary>Gets the names of every profile: the built-in ones and the configured ones.</summary>
    public IReadOnlyList<string> ProfileNames { get; }

    /// <summary>Gets the name of the profile used when no rule chooses one.</summary>
    public string DefaultProfileName => _defaultRule.Profile.Name;

    /// <summary>Gets the <c>default</c> business calendar.</summary>
    public BusinessCalendar DefaultCalendar { get; }

    /// <summary>Gets a business calendar by name.</summary>
    /// <param name="name">A key of <see cref="SlaOptions.Calendars"/>, or <see langword="null"/> or <c>default</c> for <see cref="DefaultCalendar"/>.</param>
    /// <returns>The calendar.</returns>
    /// <exception cref="ArgumentException">No calendar has that name.</exception>
    public BusinessCalendar GetCalendar(string? name)
    {
        if (name is null || string.Equals(name, SlaOptions.DefaultCalendarName, StringComparison.OrdinalIgnoreCase))
        {
            return DefaultCalendar;
        }

        return _calendars.TryGetValue(name, out var calendar)
            ? calendar
            : throw new ArgumentException($"'{name}' is not a calendar of Sla:Calendars.", nameof(name));
    }

    /// <summary>Gets the effective definition of a profile: its base merged in, every value set.</summary>
    /// <param name="name">The profile name (case-insensitive).</param>
    /// <returns>A new <see cref="SlaProfile"/> describing it (changing it changes nothing in the engine).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="name"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">No profile has that name.</exception>
    public SlaProfile GetProfile(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (!_profiles.TryGetValue(name, out var compiled))
        {
            throw new ArgumentException($"'{name}' is not an SLA profile; known: {string.Join(", ", ProfileNames)}.", nameof(name));
        }

        var source = compiled.Source;
        var profile = new SlaProfile
        {
            Description = source.Description,
            Calendar = source.Calendar,
            ManualRegistration = source.ManualRegistration,
            MaxExtensions = source.MaxExtensions,
            MaxExtension = source.MaxExtension,
            ExtensionRequiresNotice = source.ExtensionRequiresNotice,
            ForwardingRequiresNotice = source.ForwardingRequiresNotice,
        };
        foreach (var timer in source.Timers)
        {
            profile.Timers.Add(new SlaTimerOptions
            {
                Kind = timer.Kind,
                Target = timer.Target,
                Mode = timer.Mode,
                Calendar = timer.Calendar,
                From = timer.From,
                UrgentTarget = timer.UrgentTarget,
                UrgentMode = timer.UrgentMode,
                Escalate = timer.Escalate,
            });
        }

        foreach (var step in compiled.Steps)
        {
            var copy = new SlaEscalationStep { Percent = step.Percent, Name = step.Name, Audience = step.Audience };
            copy.Timers.AddRange(Enum.GetValues<SlaTimerKind>().Where(k => step.AppliesTo(k) && step.KindMask != 0));
            profile.Escalations.Add(copy);
        }

        return profile;
    }

    /// <summary>Computes the deadlines of an appeal: the first matching rule's profile, else the default profile.</summary>
    /// <param name="appeal">The appeal (classified; its channel, topic and urgency choose the rule).</param>
    /// <returns>The deadlines with their clocks.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="appeal"/> is <see langword="null"/>.</exception>
    public SlaDeadlines ComputeDeadlines(Appeal appeal)
    {
        Throw.IfNull(appeal);
        var urgent = IsUrgent(appeal);
        var topic = appeal.Topic;
        foreach (var rule in _rules)
        {
            if (rule.Matches(appeal.Channel, topic, urgent))
            {
                return Compute(appeal, rule, urgent);
            }
        }

        return Compute(appeal, _defaultRule, urgent);
    }

    /// <summary>Computes the deadlines of an appeal under a named profile, ignoring the rules.</summary>
    /// <param name="appeal">The appeal.</param>
    /// <param name="profileName">The profile.</param>
    /// <returns>The deadlines with their clocks.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">No profile has that name.</exception>
    public SlaDeadlines ComputeDeadlines(Appeal appeal, string profileName)
    {
        Throw.IfNull(appeal);
        Throw.IfNull(profileName);
        if (!_profiles.TryGetValue(profileName, out var profile))
        {
            throw new ArgumentException($"'{profileName}' is not an SLA profile; known: {string.Join(", ", ProfileNames)}.", nameof(profileName));
        }

        return Compute(appeal, new CompiledRule(null, [], [], null, profile, null, null), IsUrgent(appeal));
    }

    /// <summary>
    /// Gets the clocks of an appeal. Deadlines of a custom policy without clocks are read as an around-the-clock first-answer clock and an
    /// around-the-clock resolution clock counted from receipt, met by the first and the final answer.
    /// </summary>
    /// <param name="appeal">The appeal.</param>
    /// <returns>The clocks; empty when the appeal has no deadlines.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="appeal"/> is <see langword="null"/>.</exception>
    public static IReadOnlyList<SlaTimer> GetTimers(Appeal appeal)
    {
        Throw.IfNull(appeal);
        if (appeal.Deadlines is not { } deadlines)
        {
            return [];
        }

        if (deadlines.Timers.Count > 0)
        {
            return deadlines.Timers;
        }

        var cancelled = appeal.IsOpen ? null : appeal.ClosedAt;
        return
        [
            new SlaTimer
            {
                Kind = SlaTimerKind.FirstAnswer,
                Mode = SlaTimeMode.AroundTheClock,
                StartedAt = appeal.ReceivedAt,
                Target = Max(deadlines.FirstAnswerDue - appeal.ReceivedAt, TimeSpan.Zero),
                DueAt = deadlines.FirstAnswerDue,
                MetAt = appeal.FirstAnsweredAt,
                CancelledAt = appeal.FirstAnsweredAt is null ? cancelled : null,
            },
            new SlaTimer
            {
                Kind = SlaTimerKind.Resolution,
                Mode = SlaTimeMode.AroundTheClock,
                StartedAt = appeal.ReceivedAt,
                Target = Max(deadlines.ResolutionDue - appeal.ReceivedAt, TimeSpan.Zero),
                DueAt = deadlines.ResolutionDue,
                MetAt = appeal.ResolvedAt,
                CancelledAt = appeal.ResolvedAt is null ? cancelled : null,
            },
        ];
    }

    /// <summary>Gets the escalation plan of an appeal: every step of every running clock that escalates, raised or not, in time order.</summary>
    /// <param name="appeal">The appeal.</param>
    /// <returns>The steps; empty for closed appeals and appeals without deadlines. While the clocks are paused the due times are those before the pause.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="appeal"/> is <see langword="null"/>.</exception>
    public IReadOnlyList<SlaEscalationPoint> GetEscalationPlan(Appeal appeal)
    {
        Throw.IfNull(appeal);
        var points = new List<SlaEscalationPoint>();
        if (!appeal.IsOpen)
        {
            return points;
        }

        var ladder = LadderOf(appeal);
        foreach (var timer in GetTimers(appeal))
        {
            if (!timer.IsRunning || !timer.Escalates)
            {
                continue;
            }

            var calendar = CalendarOf(timer);
            var timerKey = timer.Key;
            foreach (var step in ladder)
            {
                if (step.AppliesTo(timer.Kind))
                {
                    var key = timerKey + ":" + step.Name;
                    points.Add(new SlaEscalationPoint(
                        key, timerKey, timer.Kind, step.Name, step.Audience, step.Percent, SlaClock.StepDue(timer, calendar, step.Fraction), step.EventKind,
                        appeal.RaisedSlaSteps.Contains(key, StringComparer.Ordinal)));
                }
            }
        }

        points.Sort(static (a, b) => a.DueAt.CompareTo(b.DueAt));
        return points;
    }

    /// <summary>Finds a step of an appeal's escalation plan by its key (the detail of an SLA event).</summary>
    /// <param name="appeal">The appeal.</param>
    /// <param name="stepKey">The step key, for example <c>resolution:centre-head</c>.</param>
    /// <returns>The step, or <see langword="null"/> when the appeal's running clocks have no such step.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public SlaEscalationPoint? FindEscalation(Appeal appeal, string stepKey)
    {
        Throw.IfNull(stepKey);
        return GetEscalationPlan(appeal).FirstOrDefault(p => string.Equals(p.Key, stepKey, StringComparison.Ordinal));
    }

    /// <summary>Gets when the appeal's next unraised escalation step is due, or <see langword="null"/> when none will be (closed, paused, no clocks).</summary>
    internal DateTimeOffset? NextStepDue(Appeal appeal)
    {
        if (!appeal.IsOpen || appeal.ClockPausedAt is not null || appeal.Deadlines is null)
        {
            return null;
        }

        DateTimeOffset? next = null;
        var ladder = LadderOf(appeal);
        foreach (var timer in GetTimers(appeal))
        {
            if (!timer.IsRunning || !timer.Escalates)
            {
                continue;
            }

            var timerKey = timer.Key;
            foreach (var step in ladder)
            {
                // Steps are in ascending order of share, so the first unraised one is the timer's earliest.
                if (step.AppliesTo(timer.Kind) && !IsRaised(appeal.RaisedSlaSteps, timerKey, step.Name))
                {
                    var due = SlaClock.StepDue(timer, CalendarOf(timer), step.Fraction);
                    if (next is null || due < next)
                    {
                        next = due;
                    }

                    break;
                }
            }
        }

        return next;
    }

    /// <summary>Gets the unraised steps due at or before a moment, in time order.</summary>
    internal List<SlaEscalationPoint> DueSteps(Appeal appeal, DateTimeOffset now)
    {
        var due = new List<SlaEscalationPoint>();
        if (appeal.ClockPausedAt is not null)
        {
            return due;
        }

        foreach (var point in GetEscalationPlan(appeal))
        {
            if (point.DueAt > now)
            {
                break;
            }

            if (!point.Raised)
            {
                due.Add(point);
            }
        }

        return due;
    }

    /// <summary>Sets an appeal's deadlines at acceptance, registering it at once unless its profile registers by hand.</summary>
    internal Appeal Start(Appeal appeal, SlaDeadlines deadlines, DateTimeOffset now)
    {
        var profile = ProfileOf(deadlines.PolicyName);
        var registeredAt = appeal.RegisteredAt ?? (profile is { Source.ManualRegistration: true } ? null : appeal.ReceivedAt);
        // One builder, no intermediate strings: this line is written for every accepted appeal.
        var text = new StringBuilder(160 + (deadlines.Timers.Count * 72));
        var culture = CultureInfo.InvariantCulture;
        text.Append(culture, $"First answer due {deadlines.FirstAnswerDue:O}, resolution due {deadlines.ResolutionDue:O} ({deadlines.PolicyName}");
        if (deadlines.RuleName is not null)
        {
            text.Append(", rule ").Append(deadlines.RuleName);
        }

        text.Append(deadlines.IsUrgent ? ", urgent)." : ").");
        for (var i = 0; i < deadlines.Timers.Count; i++)
        {
            var timer = deadlines.Timers[i];
            text.Append(i == 0 ? " Clocks: " : "; ").Append(timer.Key);
            if (timer.MetAt is not null)
            {
                text.Append(" met");
                continue;
            }

            text.Append(' ');
            AppendSpan(text, timer.Target, timer.Mode);
            text.Append(culture, $" → {timer.DueAt:O}");
            if (!timer.Escalates)
            {
                text.Append(" (not chased)");
            }
        }

        if (deadlines.Timers.Count > 0)
        {
            text.Append('.');
        }

        var description = text.ToString();

        return (appeal with { Deadlines = deadlines, RegisteredAt = registeredAt })
            .WithHistory(new AppealHistoryEntry(now, AppealHistoryKind.Deadlines, description));
    }

    /// <summary>Registers an appeal: meets the registration clock and restarts the clocks counted from registration.</summary>
    internal Appeal Register(Appeal appeal, DateTimeOffset at, string? registrationNumber, string actor, string? implicitCause)
    {
        if (appeal.RegisteredAt is not null)
        {
            throw new SlaOperationRefusedException(appeal.Id, SlaRefusalReason.AlreadyRegistered, $"Appeal #{appeal.Number} was registered at {appeal.RegisteredAt:O}.");
        }

        var timers = GetTimers(appeal);
        var changed = new SlaTimer[timers.Count];
        var moved = new List<string>();
        for (var i = 0; i < timers.Count; i++)
        {
            var timer = timers[i];
            if (timer.IsRunning && timer.Kind == SlaTimerKind.Registration)
            {
                timer = timer with { MetAt = at };
            }
            else if (timer.IsRunning && timer.Anchor == SlaAnchor.Registration)
            {
                timer = timer with { StartedAt = at, Paused = TimeSpan.Zero };
                timer = timer with { DueAt = SlaClock.DueOf(timer, CalendarOf(timer)) };
                moved.Add(string.Create(CultureInfo.InvariantCulture, $"{timer.Key} now due {timer.DueAt:O}"));
            }

            changed[i] = timer;
        }

        var description = string.Create(
            CultureInfo.InvariantCulture,
            $"Registered{(registrationNumber is null ? string.Empty : " under № " + registrationNumber)}{(implicitCause is null ? string.Empty : " with " + implicitCause)}{(moved.Count == 0 ? "." : "; " + string.Join(", ", moved) + ".")}");
        return (appeal with
        {
            RegisteredAt = at,
            RegistrationNumber = registrationNumber ?? appeal.RegistrationNumber,
            Deadlines = appeal.Deadlines?.WithTimers(changed),
        }).WithHistory(new AppealHistoryEntry(at, AppealHistoryKind.Deadlines, description, actor));
    }

    /// <summary>Records an answer: meets the first-answer and next-answer clocks, and with a final answer the resolution clock.</summary>
    internal Appeal OnAnswer(Appeal appeal, DateTimeOffset at, bool final, string actor)
    {
        if (appeal.Deadlines is null)
        {
            return appeal;
        }

        appeal = RegisterImplicitly(appeal, at, actor, "the answer");
        return UpdateTimers(appeal, timer => timer.IsRunning && (timer.Kind is SlaTimerKind.FirstAnswer or SlaTimerKind.NextAnswer || (final && timer.Kind == SlaTimerKind.Resolution))
            ? timer with { MetAt = at }
            : timer);
    }

    /// <summary>Records a clarification request: a unit acting on the appeal registers it, if it was not registered.</summary>
    internal Appeal OnClarification(Appeal appeal, DateTimeOffset at, string actor) => RegisterImplicitly(appeal, at, actor, "the clarification request");

    /// <summary>Records a citizen's follow-up: starts a next-answer clock when the unit has answered and owes another answer.</summary>
    internal Appeal OnFollowUp(Appeal appeal, DateTimeOffset at) =>
        appeal.IsOpen && appeal.FirstAnsweredAt is not null && appeal.ResolvedAt is null && appeal.ClockPausedAt is null
            ? StartNextAnswer(appeal, at, "the citizen's follow-up")
            : appeal;

    /// <summary>Records a reopening: starts a next-answer clock.</summary>
    internal Appeal OnReopen(Appeal appeal, DateTimeOffset at) => StartNextAnswer(appeal, at, "reopening");

    /// <summary>Stops every running clock of an appeal that was closed, rejected or forwarded.</summary>
    internal static Appeal Cancel(Appeal appeal, DateTimeOffset at) =>
        appeal.Deadlines is null ? appeal : UpdateTimers(appeal, timer => timer.IsRunning ? timer with { CancelledAt = at } : timer);

    /// <summary>Resumes the clocks after a pause, moving each running clock by the pause in its own measure.</summary>
    internal Appeal Resume(Appeal appeal, DateTimeOffset at)
    {
        if (appeal.ClockPausedAt is not { } pausedAt)
        {
            return appeal;
        }

        var moved = new List<string>();
        var deadlines = appeal.Deadlines;
        if (deadlines is not null)
        {
            var timers = GetTimers(appeal);
            var changed = new SlaTimer[timers.Count];
            for (var i = 0; i < timers.Count; i++)
            {
                var timer = timers[i];
                var from = timer.StartedAt > pausedAt ? timer.StartedAt : pausedAt;

                // A clock already overdue when the pause began stays overdue: the pause cannot undo a breach.
                if (timer.IsRunning && timer.DueAt > from && at > from)
                {
                    var calendar = CalendarOf(timer);
                    var pause = SlaClock.GetTimeOrElapsed(calendar, timer.Mode, from, at);
                    if (pause > TimeSpan.Zero)
                    {
                        timer = timer with { Paused = timer.Paused + pause };
                        timer = timer with { DueAt = SlaClock.DueOf(timer, calendar) };
                        moved.Add(string.Create(CultureInfo.InvariantCulture, $"{timer.Key} +{DescribeSpan(pause, timer.Mode)} → {timer.DueAt:O}"));
                    }
                }

                changed[i] = timer;
            }

            deadlines = deadlines.WithTimers(changed);
        }

        var description = string.Create(
            CultureInfo.InvariantCulture,
            $"SLA clocks resumed after a pause of {at - pausedAt:c}; {(moved.Count == 0 ? "no deadline moved" : "deadlines moved: " + string.Join(", ", moved))}.");
        return (appeal with { ClockPausedAt = null, Deadlines = deadlines })
            .WithHistory(new AppealHistoryEntry(at, AppealHistoryKind.Clock, description));
    }

    /// <summary>Extends the resolution term, enforcing the profile's limits.</summary>
    /// <returns>The appeal and the extended clock.</returns>
    internal (Appeal Appeal, SlaTimer Timer) Extend(Appeal appeal, DateTimeOffset at, TimeSpan duration, bool notify, string reason, string actor)
    {
        var profile = ProfileOf(appeal.Deadlines?.PolicyName);
        var policyName = appeal.Deadlines?.PolicyName ?? "none";
        if (profile is null || profile.Source.MaxExtensions == 0)
        {
            throw Refuse(appeal, SlaRefusalReason.ExtensionNotAllowed, $"The SLA policy '{policyName}' of appeal #{appeal.Number} allows no extension of the term.");
        }

        var timers = GetTimers(appeal);
        var index = LastIndexOf(timers, SlaTimerKind.Resolution);
        if (!appeal.IsOpen || index < 0 || !timers[index].IsRunning)
        {
            throw Refuse(appeal, SlaRefusalReason.NoRunningClock, $"Appeal #{appeal.Number} has no running resolution clock to extend.");
        }

        if (profile.Source.ManualRegistration && appeal.RegisteredAt is null)
        {
            throw Refuse(appeal, SlaRefusalReason.NotRegistered, $"Appeal #{appeal.Number} is not registered; register it before extending its term.");
        }

        var timer = timers[index];
        if (timer.Extensions >= profile.Source.MaxExtensions)
        {
            throw Refuse(
                appeal,
                SlaRefusalReason.ExtensionLimitReached,
                string.Create(CultureInfo.InvariantCulture, $"The term of appeal #{appeal.Number} was already extended {timer.Extensions} time(s); the policy '{policyName}' allows {profile.Source.MaxExtensions}."));
        }

        if (duration > profile.Source.MaxExtension)
        {
            throw Refuse(appeal, SlaRefusalReason.ExtensionTooLong, $"An extension of {DescribeSpan(duration, timer.Mode)} exceeds the longest the policy '{policyName}' allows ({DescribeSpan(profile.Source.MaxExtension, timer.Mode)}).");
        }

        if (timer.Mode == SlaTimeMode.CalendarDays && !SlaConfiguration.IsWholeDays(duration))
        {
            throw new ArgumentException($"The resolution clock counts calendar days, so the extension must be whole days; got {duration}.", nameof(duration));
        }

        if (!notify && profile.Source.ExtensionRequiresNotice)
        {
            throw Refuse(appeal, SlaRefusalReason.NoticeRequired, $"The policy '{policyName}' requires a notice to the citizen about the extension (59-ФЗ art. 12 part 2).");
        }

        var clock = appeal.ClockPausedAt ?? at;
        if (timer.DueAt <= clock)
        {
            throw Refuse(appeal, SlaRefusalReason.TermExpired, $"The term of appeal #{appeal.Number} expired at {timer.DueAt:O}; an expired term cannot be extended.");
        }

        var previous = timer.DueAt;
        var calendar = CalendarOf(timer);
        timer = timer with { Extension = timer.Extension + duration, Extensions = timer.Extensions + 1 };
        timer = timer with { DueAt = SlaClock.DueOf(timer, calendar) };
        var changed = timers.ToArray();
        changed[index] = timer;
        var description = string.Create(
            CultureInfo.InvariantCulture,
            $"Resolution term extended by {DescribeSpan(duration, timer.Mode)} (extension {timer.Extensions} of {profile.Source.MaxExtensions}): due {previous:O} → {timer.DueAt:O}. Reason: {reason}");
        var updated = (appeal with { Deadlines = appeal.Deadlines!.WithTimers(changed) })
            .WithHistory(new AppealHistoryEntry(at, AppealHistoryKind.Deadlines, description, actor));
        return (updated, timer);
    }

    /// <summary>Records forwarding to another body: meets the forwarding clock and cancels the others.</summary>
    internal Appeal Forward(Appeal appeal, DateTimeOffset at, string recipient, bool notify, string actor)
    {
        var profile = ProfileOf(appeal.Deadlines?.PolicyName);
        if (!notify && (profile?.Source.ForwardingRequiresNotice ?? true))
        {
            throw Refuse(appeal, SlaRefusalReason.NoticeRequired, $"The policy '{appeal.Deadlines?.PolicyName ?? "none"}' requires a notice to the citizen about the forwarding (59-ФЗ art. 8 part 3).");
        }

        if (appeal.Deadlines is not null)
        {
            appeal = RegisterImplicitly(appeal, at, actor, "the forwarding");
            var deadlines = appeal.Deadlines!;
            var timers = GetTimers(appeal);
            var changed = new List<SlaTimer>(timers.Count + 1);
            var forwarded = false;
            foreach (var timer in timers)
            {
                if (timer.IsRunning && timer.Kind == SlaTimerKind.Forwarding)
                {
                    changed.Add(timer with { MetAt = at });
                    forwarded = true;
                }
                else
                {
                    changed.Add(timer.IsRunning ? timer with { CancelledAt = at } : timer);
                }
            }

            if (!forwarded && profile?.Forwarding is { } definition)
            {
                var start = definition.From == SlaAnchor.Registration ? appeal.RegisteredAt ?? appeal.ReceivedAt : appeal.ReceivedAt;
                var timer = CreateTimer(definition, deadlines.IsUrgent, start, 0, null) with { MetAt = at };
                changed.Add(timer);
            }

            appeal = appeal with { Deadlines = deadlines.WithTimers(changed) };
        }

        var forwarding = appeal.Deadlines?.GetTimer(SlaTimerKind.Forwarding);
        var description = forwarding is null
            ? $"Forwarded to {recipient}."
            : string.Create(CultureInfo.InvariantCulture, $"Forwarded to {recipient} ({(forwarding.DueAt >= at ? "in time" : "late")}; due {forwarding.DueAt:O}).");
        return (appeal with { ForwardedTo = recipient, ForwardedAt = at })
            .WithHistory(new AppealHistoryEntry(at, AppealHistoryKind.Routed, description, actor));
    }

    /// <summary>Renders the text of an extension notice.</summary>
    internal string RenderExtensionNotice(SlaTimer timer, TimeSpan duration, string reason) =>
        _options.Notices.Extension
            .Replace("{due}", FormatDue(timer), StringComparison.Ordinal)
            .Replace("{term}", RussianTerm(duration, timer.Mode), StringComparison.Ordinal)
            .Replace("{reason}", reason, StringComparison.Ordinal);

    /// <summary>Renders the text of a forwarding notice.</summary>
    internal string RenderForwardingNotice(string recipient) =>
        _options.Notices.Forwarding.Replace("{recipient}", recipient, StringComparison.Ordinal);

    /// <summary>Gets a clock's calendar; a name no longer configured falls back to the default calendar.</summary>
    internal BusinessCalendar CalendarOf(SlaTimer timer) =>
        timer.Calendar is { } name && _calendars.TryGetValue(name, out var calendar) ? calendar : DefaultCalendar;

    /// <summary>Describes a span in a mode for history lines: <c>04:00 business</c>, <c>30 days</c>.</summary>
    internal static string DescribeSpan(TimeSpan span, SlaTimeMode mode) => mode switch
    {
        SlaTimeMode.CalendarDays => string.Create(CultureInfo.InvariantCulture, $"{span.TotalDays:0.##} calendar day(s)"),
        SlaTimeMode.Business => string.Create(CultureInfo.InvariantCulture, $"{FormatHours(span)} business"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{FormatHours(span)} around the clock"),
    };

    private static void AppendSpan(StringBuilder text, TimeSpan span, SlaTimeMode mode)
    {
        var culture = CultureInfo.InvariantCulture;
        if (mode == SlaTimeMode.CalendarDays)
        {
            text.Append(culture, $"{span.TotalDays:0.##} calendar day(s)");
            return;
        }

        text.Append(culture, $"{(long)span.TotalHours:00}:{span.Minutes:00}");
        if (span.Seconds != 0)
        {
            text.Append(culture, $":{span.Seconds:00}");
        }

        text.Append(mode == SlaTimeMode.Business ? " business" : " around the clock");
    }

    private static string FormatHours(TimeSpan span) =>
        string.Create(CultureInfo.InvariantCulture, $"{(long)span.TotalHours:00}:{span.Minutes:00}{(span.Seconds == 0 ? string.Empty : ":" + span.Seconds.ToString("00", CultureInfo.InvariantCulture))}");

    private static bool IsUrgent(Appeal appeal) => appeal.Priority == AppealPriority.Urgent || appeal.Classification is { IsUrgent: true };

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    private static int LastIndexOf(IReadOnlyList<SlaTimer> timers, SlaTimerKind kind)
    {
        for (var i = timers.Count - 1; i >= 0; i--)
        {
            if (timers[i].Kind == kind)
            {
                return i;
            }
        }

        return -1;
    }

    private static bool IsRaised(IReadOnlyList<string> raised, string timerKey, string stepName)
    {
        var length = timerKey.Length + 1 + stepName.Length;
        for (var i = 0; i < raised.Count; i++)
        {
            var key = raised[i];
            if (key.Length == length && key.StartsWith(timerKey, StringComparison.Ordinal) && key[timerKey.Length] == ':' && key.EndsWith(stepName, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    private static SlaOperationRefusedException Refuse(Appeal appeal, SlaRefusalReason reason, string message) => new(appeal.Id, reason, message);

    private static string RussianTerm(TimeSpan span, SlaTimeMode mode)
    {
        if (mode != SlaTimeMode.Business && span.Ticks % TimeSpan.TicksPerDay == 0)
        {
            var days = span.Ticks / TimeSpan.TicksPerDay;
            return string.Create(CultureInfo.InvariantCulture, $"{days} {Plural(days, "день", "дня", "дней")}");
        }

        var suffix = mode == SlaTimeMode.Business ? " рабочего времени" : string.Empty;
        if (span.Ticks % TimeSpan.TicksPerHour == 0)
        {
            var hours = span.Ticks / TimeSpan.TicksPerHour;
            var word = mode == SlaTimeMode.Business
                ? Plural(hours, "рабочий час", "рабочих часа", "рабочих часов")
                : Plural(hours, "час", "часа", "часов");
            return string.Create(CultureInfo.InvariantCulture, $"{hours} {word}");
        }

        return string.Create(CultureInfo.InvariantCulture, $"{(long)span.TotalHours} ч {span.Minutes} мин{suffix}");
    }

    private static string Plural(long n, string one, string few, string many)
    {
        var lastTwo = n % 100;
        var last = n % 10;
        return last == 1 && lastTwo != 11 ? one : last is >= 2 and <= 4 && lastTwo is < 12 or > 14 ? few : many;
    }

    private string FormatDue(SlaTimer timer)
    {
        var calendar = CalendarOf(timer);
        if (timer.Mode == SlaTimeMode.CalendarDays)
        {
            // The term ends at 24:00: the citizen is told the last day.
            return SlaClock.GetLocalDate(calendar, timer.DueAt.AddTicks(-1)).ToString("dd.MM.yyyy", CultureInfo.InvariantCulture);
        }

        var offset = calendar.TimeZone.GetUtcOffset(timer.DueAt.UtcDateTime);
        return timer.DueAt.ToOffset(offset).ToString("dd.MM.yyyy HH:mm", CultureInfo.InvariantCulture);
    }

    private Appeal RegisterImplicitly(Appeal appeal, DateTimeOffset at, string actor, string cause) =>
        appeal.RegisteredAt is null && appeal.Deadlines is not null ? Register(appeal, at, null, actor, cause) : appeal;

    private Appeal StartNextAnswer(Appeal appeal, DateTimeOffset at, string cause)
    {
        if (appeal.Deadlines is not { } deadlines || ProfileOf(deadlines.PolicyName)?.NextAnswer is not { } definition)
        {
            return appeal;
        }

        var timers = GetTimers(appeal);
        var sequence = 1;
        foreach (var timer in timers)
        {
            if (timer.Kind == SlaTimerKind.NextAnswer)
            {
                if (timer.IsRunning)
                {
                    return appeal; // one answer is owed already
                }

                sequence++;
            }
        }

        var next = CreateTimer(definition, deadlines.IsUrgent, at, sequence, null);
        var description = string.Create(CultureInfo.InvariantCulture, $"Next answer ({next.Key}) due {next.DueAt:O} after {cause} ({DescribeSpan(next.Target, next.Mode)}).");
        return (appeal with { Deadlines = deadlines.WithTimers([.. timers, next]) })
            .WithHistory(new AppealHistoryEntry(at, AppealHistoryKind.Deadlines, description));
    }

    private static Appeal UpdateTimers(Appeal appeal, Func<SlaTimer, SlaTimer> update)
    {
        var timers = GetTimers(appeal);
        SlaTimer[]? changed = null;
        for (var i = 0; i < timers.Count; i++)
        {
            var timer = update(timers[i]);
            if (!ReferenceEquals(timer, timers[i]))
            {
                changed ??= [.. timers];
                changed[i] = timer;
            }
        }

        return changed is null ? appeal : appeal with { Deadlines = appeal.Deadlines!.WithTimers(changed) };
    }

    private CompiledStep[] LadderOf(Appeal appeal) =>
        ProfileOf(appeal.Deadlines?.PolicyName) is { Steps.Length: > 0 } profile ? profile.Steps : _defaultLadder;

    private CompiledProfile? ProfileOf(string? name) => name is not null && _profiles.TryGetValue(name, out var profile) ? profile : null;

    private static SlaDeadlines Compute(Appeal appeal, CompiledRule rule, bool urgent)
    {
        var profile = rule.Profile;
        var registeredAt = appeal.RegisteredAt ?? (profile.Source.ManualRegistration ? null : appeal.ReceivedAt);
        var timers = new SlaTimer[profile.StartTimers.Length];
        DateTimeOffset? firstDue = null, resolutionDue = null;
        for (var i = 0; i < timers.Length; i++)
        {
            var definition = profile.StartTimers[i];
            var target = definition.Kind switch
            {
                SlaTimerKind.FirstAnswer => rule.FirstAnswer,
                SlaTimerKind.Resolution => rule.Resolution,
                _ => null,
            };
            var start = definition.Kind == SlaTimerKind.Registration || definition.From == SlaAnchor.Receipt
                ? appeal.ReceivedAt
                : registeredAt ?? appeal.ReceivedAt;
            var timer = CreateTimer(definition, urgent, start, 0, target);
            if (definition.Kind == SlaTimerKind.Registration && registeredAt is { } registered)
            {
                timer = timer with { MetAt = registered };
            }

            timers[i] = timer;
            if (definition.Kind == SlaTimerKind.FirstAnswer)
            {
                firstDue = timer.DueAt;
            }
            else if (definition.Kind == SlaTimerKind.Resolution)
            {
                resolutionDue = timer.DueAt;
            }
        }

        // Validation guarantees a first-answer or a resolution clock.
        return new SlaDeadlines(firstDue ?? resolutionDue!.Value, resolutionDue ?? firstDue!.Value, profile.Name)
        {
            Timers = timers,
            RuleName = rule.Name,
            IsUrgent = urgent,
        };
    }

    private static SlaTimer CreateTimer(CompiledTimer definition, bool urgent, DateTimeOffset start, int sequence, TimeSpan? targetOverride)
    {
        var mode = urgent ? definition.UrgentMode ?? definition.Mode : definition.Mode;
        var target = targetOverride ?? (urgent ? definition.UrgentTarget ?? definition.Target : definition.Target);
        return new SlaTimer
        {
            Kind = definition.Kind,
            Sequence = sequence,
            Mode = mode,
            Calendar = definition.CalendarName,
            Anchor = definition.Kind is SlaTimerKind.Registration or SlaTimerKind.NextAnswer ? SlaAnchor.Receipt : definition.From,
            StartedAt = start,
            Target = target,
            DueAt = SlaClock.AddTimeOrElapsed(definition.Calendar, mode, start, target),
            Escalates = definition.Escalate,
        };
    }

    private CompiledProfile Compile(EffectiveProfile profile)
    {
        var timers = new List<CompiledTimer>(profile.Timers.Count);
        foreach (var timer in profile.Timers)
        {
            var name = timer.Calendar ?? profile.Calendar;
            if (name is not null && string.Equals(name, SlaOptions.DefaultCalendarName, StringComparison.OrdinalIgnoreCase))
            {
                name = null;
            }

            timers.Add(new CompiledTimer(timer.Kind, timer.Target, timer.Mode, name, GetCalendar(name), timer.From, timer.UrgentTarget, timer.UrgentMode, timer.Escalate));
        }

        var steps = profile.Steps
            .Select(s => new CompiledStep(s.Percent / 100, s.Percent, s.Name, s.Audience, s.Timers.Aggregate(0, (mask, kind) => mask | (1 << (int)kind))))
            .OrderBy(s => s.Fraction)
            .ToArray();
        return new CompiledProfile(profile, timers, steps);
    }

    private sealed record CompiledTimer(
        SlaTimerKind Kind,
        TimeSpan Target,
        SlaTimeMode Mode,
        string? CalendarName,
        BusinessCalendar Calendar,
        SlaAnchor From,
        TimeSpan? UrgentTarget,
        SlaTimeMode? UrgentMode,
        bool Escalate);

    private sealed class CompiledStep(double fraction, double percent, string name, string audience, int kindMask)
    {
        public double Fraction { get; } = fraction;

        public double Percent { get; } = percent;

        public string Name { get; } = name;

        public string Audience { get; } = audience;

        public int KindMask { get; } = kindMask;

        public AppealEventKind EventKind { get; } =
            fraction < 1 ? AppealEventKind.SlaWarning : fraction == 1 ? AppealEventKind.SlaBreached : AppealEventKind.SlaEscalated;

        public bool AppliesTo(SlaTimerKind kind) => KindMask == 0 || (KindMask & (1 << (int)kind)) != 0;
    }

    private sealed class CompiledProfile
    {
        public CompiledProfile(EffectiveProfile source, List<CompiledTimer> timers, CompiledStep[] steps)
        {
            Source = source;
            Steps = steps;

            // Next-answer clocks start on a follow-up; forwarding is recorded when it happens, unless it is chased.
            StartTimers = [.. timers.Where(t => t.Kind != SlaTimerKind.NextAnswer && (t.Kind != SlaTimerKind.Forwarding || t.Escalate))];
            NextAnswer = timers.FirstOrDefault(t => t.Kind == SlaTimerKind.NextAnswer);
            Forwarding = timers.FirstOrDefault(t => t.Kind == SlaTimerKind.Forwarding);
        }

        public EffectiveProfile Source { get; }

        public string Name => Source.Name;

        public CompiledTimer[] StartTimers { get; }

        public CompiledTimer? NextAnswer { get; }

        public CompiledTimer? Forwarding { get; }

        public CompiledStep[] Steps { get; }
    }

    private sealed class CompiledRule(string? name, ChannelId[] channels, TopicCode[] topics, bool? urgent, CompiledProfile profile, TimeSpan? firstAnswer, TimeSpan? resolution)
    {
        public string? Name { get; } = name;

        public CompiledProfile Profile { get; } = profile;

        public TimeSpan? FirstAnswer { get; } = firstAnswer;

        public TimeSpan? Resolution { get; } = resolution;

        public bool Matches(ChannelId channel, TopicCode topic, bool isUrgent)
        {
            if (urgent is { } required && required != isUrgent)
            {
                return false;
            }

            if (channels.Length > 0 && Array.IndexOf(channels, channel) < 0)
            {
                return false;
            }

            return topics.Length == 0 || Array.IndexOf(topics, topic) >= 0;
        }
    }
}
