using Mcu.Sdk.Internal;
using Microsoft.Extensions.Options;

namespace Mcu.Sdk.Sla;

/// <summary>Sets an appeal's SLA deadlines.</summary>
/// <remarks>
/// Implementations must be safe for concurrent use and read time only from the appeal or a <see cref="TimeProvider"/>.
/// Deadlines without <see cref="SlaDeadlines.Timers"/> are read by the desk, the monitor and the reports as two around-the-clock
/// clocks counted from receipt (first answer and resolution).
/// </remarks>
public interface ISlaPolicy
{
    /// <summary>Computes the deadlines of an appeal (classified and routed).</summary>
    /// <param name="appeal">The appeal.</param>
    /// <returns>The deadlines, or <see langword="null"/> when no clock runs for the appeal.</returns>
    SlaDeadlines? ComputeDeadlines(Appeal appeal);
}

/// <summary>An SLA rule: when every condition that is set holds, its profile (and target overrides) apply.</summary>
public sealed class SlaRule
{
    /// <summary>Gets or sets the rule's name, recorded with the deadlines (<see cref="SlaDeadlines.RuleName"/>).</summary>
    public string? Name { get; set; }

    /// <summary>Gets the channel ids that match; empty for any channel.</summary>
    public List<string> Channels { get; } = [];

    /// <summary>Gets the topic codes that match; empty for any topic.</summary>
    public List<string> Topics { get; } = [];

    /// <summary>Gets or sets the urgency that matches, or <see langword="null"/> for any.</summary>
    public bool? Urgent { get; set; }

    /// <summary>
    /// Gets or sets the profile that applies (a built-in name such as <c>legal-59fz</c>, or a key of <see cref="SlaOptions.Profiles"/>),
    /// or <see langword="null"/> for <see cref="SlaOptions.DefaultProfile"/>.
    /// </summary>
    public string? Profile { get; set; }

    /// <summary>
    /// Gets or sets the target of the profile's first-answer clock for matching appeals, in that clock's measure (urgent appeals included),
    /// or <see langword="null"/> to keep the profile's.
    /// </summary>
    public TimeSpan? FirstAnswer { get; set; }

    /// <summary>
    /// Gets or sets the target of the profile's resolution clock for matching appeals, in that clock's measure, or <see langword="null"/>
    /// to keep the profile's.
    /// </summary>
    public TimeSpan? Resolution { get; set; }
}

/// <summary>The texts of the notices the desk sends the citizen in the legal regime; the reply template <c>Notice</c> wraps them.</summary>
/// <remarks>
/// Placeholders: <c>{due}</c> (the new deadline: the last day, <c>dd.MM.yyyy</c>, for a term in calendar days, else
/// <c>dd.MM.yyyy HH:mm</c> local time), <c>{term}</c> (the extension, for example «30 дней»), <c>{reason}</c>, <c>{recipient}</c>.
/// </remarks>
public sealed class SlaNoticeOptions
{
    /// <summary>Gets or sets the notice of an extension of the term (59-ФЗ art. 12 part 2).</summary>
    public string Extension { get; set; } =
        "Срок рассмотрения вашего обращения продлён на {term}, до {due} включительно, в соответствии с частью 2 статьи 12 Федерального закона от 02.05.2006 № 59-ФЗ. Причина: {reason}.";

    /// <summary>Gets or sets the notice of forwarding to the competent body (59-ФЗ art. 8 part 3).</summary>
    public string Forwarding { get; set; } =
        "Ваше обращение направлено для рассмотрения по компетенции: {recipient} (часть 3 статьи 8 Федерального закона от 02.05.2006 № 59-ФЗ). Ответ по существу вам даст этот орган.";
}

/// <summary>SLA options, bindable from the <c>Mcu:Sla</c> configuration section.</summary>
/// <remarks>
/// <para>
/// An appeal's clocks come from a profile (<see cref="SlaProfile"/>): the first rule of <see cref="Rules"/> that matches chooses it,
/// otherwise <see cref="DefaultProfile"/> applies. The built-in profiles <c>operational</c> and <c>legal-59fz</c> are always available;
/// <see cref="Profiles"/> adds profiles or changes the built-in ones. Business calendars are named in <see cref="Calendars"/>; the name
/// <c>default</c> is <see cref="BusinessCalendar.Default"/> unless configured.
/// </para>
/// </remarks>
public sealed class SlaOptions
{
    /// <summary>The name of the default business calendar.</summary>
    public const string DefaultCalendarName = "default";

    /// <summary>Gets or sets the profile of appeals no rule chooses a profile for.</summary>
    /// <value>The default value is <c>operational</c>.</value>
    public string DefaultProfile { get; set; } = SlaProfiles.Operational;

    /// <summary>
    /// Gets or sets the first-answer target of the default profile (in its clock's measure) for appeals whose rule does not set one,
    /// or <see langword="null"/> to keep the profile's.
    /// </summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public TimeSpan? FirstAnswer { get; set; }

    /// <summary>
    /// Gets or sets the resolution target of the default profile (in its clock's measure) for appeals whose rule does not set one,
    /// or <see langword="null"/> to keep the profile's.
    /// </summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public TimeSpan? Resolution { get; set; }

    /// <summary>Gets the rules, tried in order; the first that matches wins.</summary>
    public List<SlaRule> Rules { get; } = [];

    /// <summary>Gets the profiles by name (case-insensitive): new ones, or changes to the built-in <c>operational</c> and <c>legal-59fz</c>.</summary>
    public Dictionary<string, SlaProfile> Profiles { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Gets the business calendars by name (case-insensitive); <c>default</c> is <see cref="BusinessCalendar.Default"/> unless set here.</summary>
    public Dictionary<string, BusinessCalendarOptions> Calendars { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Gets the texts of the notices of the legal regime.</summary>
    public SlaNoticeOptions Notices { get; } = new();

    /// <summary>
    /// Gets or sets the share of a target after which a warning is raised, for profiles that define no escalation ladder
    /// (the ladder is then a warning at this share and a breach at 100 %).
    /// </summary>
    /// <value>From 0.05 to 0.99. The default value is 0.8.</value>
    public double WarningThreshold { get; set; } = 0.8;

    /// <summary>Gets or sets how often the monitor checks the clocks.</summary>
    /// <value>From 1 second to 1 hour. The default value is 1 minute.</value>
    public TimeSpan MonitorInterval { get; set; } = TimeSpan.FromMinutes(1);
}

/// <summary>Validates <see cref="SlaOptions"/> at start.</summary>
internal sealed class SlaOptionsValidator : IValidateOptions<SlaOptions>
{
    public ValidateOptionsResult Validate(string? name, SlaOptions options)
    {
        var failures = SlaConfiguration.Validate(options);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}

/// <summary>
/// The default SLA policy: the first matching rule's profile (else the default profile) with the rule's target overrides, counted in
/// each clock's mode on its business calendar. See <see cref="SlaEngine"/>.
/// </summary>
public sealed class RuleBasedSlaPolicy : ISlaPolicy
{
    private readonly SlaEngine _engine;

    /// <summary>Initializes a new instance of the <see cref="RuleBasedSlaPolicy"/> class with its own engine.</summary>
    /// <param name="options">The options.</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The options are invalid.</exception>
    public RuleBasedSlaPolicy(IOptions<SlaOptions> options) => _engine = new SlaEngine(Throw.IfNull(options));

    /// <summary>Initializes a new instance of the <see cref="RuleBasedSlaPolicy"/> class over an engine.</summary>
    /// <param name="engine">The engine.</param>
    /// <exception cref="ArgumentNullException"><paramref name="engine"/> is <see langword="null"/>.</exception>
    public RuleBasedSlaPolicy(SlaEngine engine) => _engine = Throw.IfNull(engine);

    /// <inheritdoc/>
    public SlaDeadlines? ComputeDeadlines(Appeal appeal) => _engine.ComputeDeadlines(appeal);
}
