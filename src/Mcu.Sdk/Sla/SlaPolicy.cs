using Mcu.Sdk.Classification;
using Mcu.Sdk.Internal;
using Microsoft.Extensions.Options;

namespace Mcu.Sdk.Sla;

/// <summary>Sets an appeal's SLA deadlines.</summary>
/// <remarks>Implementations must be safe for concurrent use and read time only from the appeal or a <see cref="TimeProvider"/>.</remarks>
public interface ISlaPolicy
{
    /// <summary>Computes the deadlines of an appeal (classified and routed).</summary>
    /// <param name="appeal">The appeal.</param>
    /// <returns>The deadlines, or <see langword="null"/> when no clock runs for the appeal.</returns>
    SlaDeadlines? ComputeDeadlines(Appeal appeal);
}

/// <summary>An SLA rule: when every condition that is set holds, its targets apply.</summary>
public sealed class SlaRule
{
    /// <summary>Gets or sets the rule's name, recorded with the deadlines.</summary>
    public string? Name { get; set; }

    /// <summary>Gets the channel ids that match; empty for any channel.</summary>
    public List<string> Channels { get; } = [];

    /// <summary>Gets the topic codes that match; empty for any topic.</summary>
    public List<string> Topics { get; } = [];

    /// <summary>Gets or sets the urgency that matches, or <see langword="null"/> for any.</summary>
    public bool? Urgent { get; set; }

    /// <summary>Gets or sets the first-answer target, or <see langword="null"/> to keep the default.</summary>
    public TimeSpan? FirstAnswer { get; set; }

    /// <summary>Gets or sets the resolution target, or <see langword="null"/> to keep the default.</summary>
    public TimeSpan? Resolution { get; set; }
}

/// <summary>SLA options, bindable from the <c>Mcu:Sla</c> configuration section.</summary>
public sealed class SlaOptions
{
    /// <summary>Gets or sets the default first-answer target, counted from receipt.</summary>
    /// <value>The default value is 4 hours.</value>
    public TimeSpan FirstAnswer { get; set; } = TimeSpan.FromHours(4);

    /// <summary>Gets or sets the default resolution target, counted from receipt.</summary>
    /// <value>The default value is 30 days (Federal Law 59-ФЗ, art. 12).</value>
    public TimeSpan Resolution { get; set; } = TimeSpan.FromDays(30);

    /// <summary>Gets the rules, tried in order; the first that matches wins.</summary>
    public List<SlaRule> Rules { get; } = [];

    /// <summary>Gets or sets the share of a target after which a warning is raised.</summary>
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
        var failures = new List<string>();
        if (options.FirstAnswer <= TimeSpan.Zero)
        {
            failures.Add($"Sla:FirstAnswer must be positive; got {options.FirstAnswer}.");
        }

        if (options.Resolution < options.FirstAnswer)
        {
            failures.Add($"Sla:Resolution ({options.Resolution}) must not be shorter than Sla:FirstAnswer ({options.FirstAnswer}).");
        }

        if (options.WarningThreshold is < 0.05 or > 0.99 || double.IsNaN(options.WarningThreshold))
        {
            failures.Add($"Sla:WarningThreshold must be from 0.05 to 0.99; got {options.WarningThreshold}.");
        }

        if (options.MonitorInterval < TimeSpan.FromSeconds(1) || options.MonitorInterval > TimeSpan.FromHours(1))
        {
            failures.Add($"Sla:MonitorInterval must be from 1 second to 1 hour; got {options.MonitorInterval}.");
        }

        for (var i = 0; i < options.Rules.Count; i++)
        {
            var rule = options.Rules[i];
            var label = rule.Name ?? $"#{i + 1}";
            if (rule.FirstAnswer is { } first && first <= TimeSpan.Zero)
            {
                failures.Add($"SLA rule {label}: FirstAnswer must be positive.");
            }

            if ((rule.Resolution ?? options.Resolution) < (rule.FirstAnswer ?? options.FirstAnswer))
            {
                failures.Add($"SLA rule {label}: Resolution must not be shorter than FirstAnswer.");
            }

            failures.AddRange(rule.Topics.Where(t => !TopicCode.TryParse(t, out _)).Select(t => $"SLA rule {label}: invalid topic code '{t}'."));
            failures.AddRange(rule.Channels.Where(c => !ChannelId.TryParse(c, out _)).Select(c => $"SLA rule {label}: invalid channel id '{c}'."));
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}

/// <summary>The default SLA policy: the first matching rule's targets, else the defaults, counted in calendar time from receipt.</summary>
public sealed class RuleBasedSlaPolicy : ISlaPolicy
{
    private readonly SlaOptions _options;

    /// <summary>Initializes a new instance of the <see cref="RuleBasedSlaPolicy"/> class.</summary>
    /// <param name="options">The options.</param>
    public RuleBasedSlaPolicy(IOptions<SlaOptions> options) => _options = Throw.IfNull(options).Value;

    /// <inheritdoc/>
    public SlaDeadlines? ComputeDeadlines(Appeal appeal)
    {
        Throw.IfNull(appeal);
        var topic = appeal.Topic;
        var urgent = appeal.Classification?.IsUrgent ?? false;
        for (var i = 0; i < _options.Rules.Count; i++)
        {
            var rule = _options.Rules[i];
            if ((rule.Channels.Count == 0 || rule.Channels.Any(c => new ChannelId(c) == appeal.Channel))
                && (rule.Topics.Count == 0 || rule.Topics.Any(t => new TopicCode(t) == topic))
                && (rule.Urgent is null || rule.Urgent == urgent))
            {
                return new SlaDeadlines(
                    appeal.ReceivedAt + (rule.FirstAnswer ?? _options.FirstAnswer),
                    appeal.ReceivedAt + (rule.Resolution ?? _options.Resolution),
                    rule.Name ?? $"rule #{i + 1}");
            }
        }

        return new SlaDeadlines(appeal.ReceivedAt + _options.FirstAnswer, appeal.ReceivedAt + _options.Resolution, "default");
    }
}
