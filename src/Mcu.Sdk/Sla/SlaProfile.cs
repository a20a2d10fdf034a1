namespace Mcu.Sdk.Sla;

/// <summary>
/// A named SLA policy (profile): which clocks run, their targets and how they count time, the escalation ladder, and the rules of
/// the legal regime (registration, extension, forwarding). Bindable from the <c>Mcu:Sla:Profiles:{name}</c> configuration section.
/// </summary>
/// <remarks>
/// <para>
/// Two profiles are built in (see <see cref="SlaProfiles"/>): <c>operational</c> and <c>legal-59fz</c>. A configured profile with the
/// name of a built-in one, or with <see cref="BasedOn"/> set, changes only what it sets: a clock listed in <see cref="Timers"/> replaces
/// the values it sets in the base's clock of the same <see cref="SlaTimerOptions.Kind"/> (or removes it with
/// <see cref="SlaTimerOptions.Enabled"/> = <see langword="false"/>); a non-empty <see cref="Escalations"/> replaces the base's ladder;
/// every other property set replaces the base's value.
/// </para>
/// <para>Example: <c>"Profiles": { "operational": { "Timers": [ { "Kind": "FirstAnswer", "Target": "02:00:00" } ] } }</c>.</para>
/// </remarks>
public sealed class SlaProfile
{
    /// <summary>Gets or sets the name of the profile this one changes, or <see langword="null"/> (the built-in profile of the same name, if any).</summary>
    public string? BasedOn { get; set; }

    /// <summary>Gets or sets a human-readable description.</summary>
    public string? Description { get; set; }

    /// <summary>Gets or sets the business calendar of clocks that do not name one (a key of <see cref="SlaOptions.Calendars"/>), or <see langword="null"/> for <c>default</c>.</summary>
    public string? Calendar { get; set; }

    /// <summary>Gets the clocks.</summary>
    public List<SlaTimerOptions> Timers { get; } = [];

    /// <summary>
    /// Gets the escalation ladder, applied to every clock that escalates; empty to inherit the base's ladder, or, without a base,
    /// to use a warning at <see cref="SlaOptions.WarningThreshold"/> and a breach at 100 %.
    /// </summary>
    public List<SlaEscalationStep> Escalations { get; } = [];

    /// <summary>
    /// Gets or sets a value indicating whether a specialist registers appeals with <see cref="IAppealDesk.RegisterAsync"/>; otherwise
    /// an appeal is registered when it is accepted. An appeal not registered explicitly is registered by its first answer,
    /// extension or forwarding.
    /// </summary>
    /// <value>The default value (when neither this profile nor its base sets it) is <see langword="false"/>.</value>
    public bool? ManualRegistration { get; set; }

    /// <summary>Gets or sets how many times the resolution term may be extended (59-ФЗ art. 12 part 2: once).</summary>
    /// <value>From 0 to 10. The default value (when neither this profile nor its base sets it) is 0: no extension.</value>
    public int? MaxExtensions { get; set; }

    /// <summary>Gets or sets the longest single extension, in the resolution clock's measure (59-ФЗ: at most 30 days).</summary>
    /// <value>The default value (when neither this profile nor its base sets it) is zero.</value>
    public TimeSpan? MaxExtension { get; set; }

    /// <summary>Gets or sets a value indicating whether an extension must be notified to the citizen (59-ФЗ art. 12 part 2).</summary>
    /// <value>The default value (when neither this profile nor its base sets it) is <see langword="true"/>.</value>
    public bool? ExtensionRequiresNotice { get; set; }

    /// <summary>Gets or sets a value indicating whether forwarding to another body must be notified to the citizen (59-ФЗ art. 8 part 3).</summary>
    /// <value>The default value (when neither this profile nor its base sets it) is <see langword="true"/>.</value>
    public bool? ForwardingRequiresNotice { get; set; }
}

/// <summary>One clock of an <see cref="SlaProfile"/>. Values left <see langword="null"/> are taken from the base profile's clock of the same kind.</summary>
public sealed class SlaTimerOptions
{
    /// <summary>Gets or sets what the clock measures; a profile has at most one clock of each kind.</summary>
    public SlaTimerKind Kind { get; set; }

    /// <summary>Gets or sets a value indicating whether the clock runs; <see langword="false"/> removes the base profile's clock of this kind.</summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool Enabled { get; set; } = true;

    /// <summary>Gets or sets the target: working time, elapsed time or whole days (for example <c>"30.00:00:00"</c>), depending on <see cref="Mode"/>.</summary>
    public TimeSpan? Target { get; set; }

    /// <summary>Gets or sets how the clock counts time.</summary>
    /// <value>The default value (when neither this clock nor its base sets it) is <see cref="SlaTimeMode.Business"/>.</value>
    public SlaTimeMode? Mode { get; set; }

    /// <summary>Gets or sets the business calendar (a key of <see cref="SlaOptions.Calendars"/>), or <see langword="null"/> for the profile's.</summary>
    public string? Calendar { get; set; }

    /// <summary>Gets or sets what the clock counts from. <see cref="SlaTimerKind.Registration"/> and <see cref="SlaTimerKind.NextAnswer"/> ignore it.</summary>
    /// <value>The default value (when neither this clock nor its base sets it) is <see cref="SlaAnchor.Receipt"/>.</value>
    public SlaAnchor? From { get; set; }

    /// <summary>Gets or sets the target for urgent appeals, or <see langword="null"/> for <see cref="Target"/>.</summary>
    public TimeSpan? UrgentTarget { get; set; }

    /// <summary>Gets or sets how the clock counts time for urgent appeals, or <see langword="null"/> for <see cref="Mode"/>.</summary>
    public SlaTimeMode? UrgentMode { get; set; }

    /// <summary>Gets or sets a value indicating whether the clock is chased (see <see cref="SlaTimer.Escalates"/>).</summary>
    /// <value>The default value (when neither this clock nor its base sets it) is <see langword="true"/>.</value>
    public bool? Escalate { get; set; }
}

/// <summary>A step of an escalation ladder: when a clock reaches a share of its target, the monitor raises an event for an audience.</summary>
/// <remarks>
/// The step is due when the clock has counted <see cref="Percent"/> % of its target in its own measure (a 50 % step of a four-business-hour
/// clock is due after two business hours). Steps below 100 % raise <see cref="AppealEventKind.SlaWarning"/>, the 100 % step
/// <see cref="AppealEventKind.SlaBreached"/>, steps above it <see cref="AppealEventKind.SlaEscalated"/>; the event's detail is the step
/// key <c>{clock key}:{step name}</c>, for example <c>first-answer:unit-head</c>.
/// </remarks>
public sealed class SlaEscalationStep
{
    /// <summary>Gets or sets the share of the target, in percent (for example 50, 80, 100, 150).</summary>
    /// <value>Greater than 0 and at most 1,000.</value>
    public double Percent { get; set; }

    /// <summary>Gets or sets the step's name, unique in the ladder (part of the step key), or <see langword="null"/> for <see cref="Audience"/>.</summary>
    public string? Name { get; set; }

    /// <summary>Gets or sets who is told: by convention one of <see cref="SlaAudiences"/>, or any name the host's event subscriber understands.</summary>
    public string Audience { get; set; } = SlaAudiences.Unit;

    /// <summary>Gets the kinds of clocks the step applies to; empty for every clock that escalates.</summary>
    public List<SlaTimerKind> Timers { get; } = [];

    /// <summary>Gets the effective name: <see cref="Name"/>, or <see cref="Audience"/> when no name is set.</summary>
    public string EffectiveName => string.IsNullOrWhiteSpace(Name) ? Audience : Name;
}

/// <summary>The conventional audiences of escalation steps.</summary>
public static class SlaAudiences
{
    /// <summary>The responsible unit itself (a reminder).</summary>
    public const string Unit = "unit";

    /// <summary>The head of the responsible unit.</summary>
    public const string UnitHead = "unit-head";

    /// <summary>The head of the control centre.</summary>
    public const string CentreHead = "centre-head";

    /// <summary>The regional control centre (ЦУР).</summary>
    public const string RegionalCentre = "regional-centre";
}

/// <summary>The built-in SLA profiles.</summary>
public static class SlaProfiles
{
    /// <summary>The name of the operational profile (social networks, chat-bot, monitoring).</summary>
    public const string Operational = "operational";

    /// <summary>The name of the legal profile of Federal Law 59-ФЗ (official appeals).</summary>
    public const string Legal59Fz = "legal-59fz";

    /// <summary>Gets the names of the built-in profiles.</summary>
    public static IReadOnlyList<string> Names { get; } = [Operational, Legal59Fz];

    /// <summary>
    /// Creates the operational profile: the first answer within 4 business hours (urgent appeals: 1 hour around the clock), the next
    /// answer after a citizen's follow-up within 4 business hours (urgent: 1 hour around the clock), the resolution within 30 calendar
    /// days; the ladder 50 % → the unit, 80 % → the unit head, 100 % → the centre head, 150 % → the regional centre.
    /// </summary>
    /// <returns>A new profile object (changing it changes nothing built in).</returns>
    public static SlaProfile CreateOperational()
    {
        var profile = new SlaProfile
        {
            Description = "Operational: social networks and the chat-bot answer within 4 business hours, urgent appeals within 1 hour around the clock.",
            ManualRegistration = false,
            MaxExtensions = 0,
            MaxExtension = TimeSpan.Zero,
            ExtensionRequiresNotice = true,
            ForwardingRequiresNotice = true,
        };
        profile.Timers.Add(new SlaTimerOptions
        {
            Kind = SlaTimerKind.FirstAnswer,
            Target = TimeSpan.FromHours(4),
            Mode = SlaTimeMode.Business,
            From = SlaAnchor.Receipt,
            UrgentTarget = TimeSpan.FromHours(1),
            UrgentMode = SlaTimeMode.AroundTheClock,
            Escalate = true,
        });
        profile.Timers.Add(new SlaTimerOptions
        {
            Kind = SlaTimerKind.NextAnswer,
            Target = TimeSpan.FromHours(4),
            Mode = SlaTimeMode.Business,
            UrgentTarget = TimeSpan.FromHours(1),
            UrgentMode = SlaTimeMode.AroundTheClock,
            Escalate = true,
        });
        profile.Timers.Add(new SlaTimerOptions
        {
            Kind = SlaTimerKind.Resolution,
            Target = TimeSpan.FromDays(30),
            Mode = SlaTimeMode.CalendarDays,
            From = SlaAnchor.Receipt,
            Escalate = true,
        });
        AddStandardLadder(profile);
        return profile;
    }

    /// <summary>
    /// Creates the legal profile of 59-ФЗ: registration within 3 days of receipt (art. 8 part 2), registered by a specialist; forwarding
    /// to the competent body within 7 days of registration with a notice to the citizen (art. 8 part 3; not chased, since it applies only
    /// to appeals outside the body's competence); the answer within 30 days of registration (art. 12 part 1); one extension of at most
    /// 30 days with a notice to the citizen (art. 12 part 2). Terms are calendar days ending on a working day. The ladder is that of the
    /// operational profile.
    /// </summary>
    /// <returns>A new profile object (changing it changes nothing built in).</returns>
    public static SlaProfile CreateLegal59Fz()
    {
        var profile = new SlaProfile
        {
            Description = "Federal Law 59-ФЗ: registration within 3 days, forwarding within 7 days, answer within 30 days of registration, one extension of up to 30 days.",
            ManualRegistration = true,
            MaxExtensions = 1,
            MaxExtension = TimeSpan.FromDays(30),
            ExtensionRequiresNotice = true,
            ForwardingRequiresNotice = true,
        };
        profile.Timers.Add(new SlaTimerOptions
        {
            Kind = SlaTimerKind.Registration,
            Target = TimeSpan.FromDays(3),
            Mode = SlaTimeMode.CalendarDays,
            From = SlaAnchor.Receipt,
            Escalate = true,
        });
        profile.Timers.Add(new SlaTimerOptions
        {
            Kind = SlaTimerKind.Forwarding,
            Target = TimeSpan.FromDays(7),
            Mode = SlaTimeMode.CalendarDays,
            From = SlaAnchor.Registration,
            Escalate = false,
        });
        profile.Timers.Add(new SlaTimerOptions
        {
            Kind = SlaTimerKind.Resolution,
            Target = TimeSpan.FromDays(30),
            Mode = SlaTimeMode.CalendarDays,
            From = SlaAnchor.Registration,
            Escalate = true,
        });
        AddStandardLadder(profile);
        return profile;
    }

    /// <summary>Creates a built-in profile by name.</summary>
    /// <param name="name">The name (case-insensitive).</param>
    /// <returns>A new profile object, or <see langword="null"/> when no built-in profile has that name.</returns>
    public static SlaProfile? TryCreate(string? name) =>
        string.Equals(name, Operational, StringComparison.OrdinalIgnoreCase) ? CreateOperational()
        : string.Equals(name, Legal59Fz, StringComparison.OrdinalIgnoreCase) ? CreateLegal59Fz()
        : null;

    private static void AddStandardLadder(SlaProfile profile)
    {
        profile.Escalations.Add(new SlaEscalationStep { Percent = 50, Name = "remind-unit", Audience = SlaAudiences.Unit });
        profile.Escalations.Add(new SlaEscalationStep { Percent = 80, Audience = SlaAudiences.UnitHead });
        profile.Escalations.Add(new SlaEscalationStep { Percent = 100, Audience = SlaAudiences.CentreHead });
        profile.Escalations.Add(new SlaEscalationStep { Percent = 150, Audience = SlaAudiences.RegionalCentre });
    }
}
