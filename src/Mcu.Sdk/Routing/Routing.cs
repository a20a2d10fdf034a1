using System.ComponentModel.DataAnnotations;
using Mcu.Sdk.Classification;
using Mcu.Sdk.Internal;
using Microsoft.Extensions.Options;

namespace Mcu.Sdk.Routing;

/// <summary>What the router decided for an appeal.</summary>
/// <param name="UnitId">The responsible unit, or <see langword="null"/> when the appeal is rejected.</param>
/// <param name="Reject">Whether the appeal is out of scope and gets the polite refusal.</param>
/// <param name="Escalate">Whether the appeal is urgent and must be escalated at once.</param>
/// <param name="Reason">Why: the rule that matched, for the history.</param>
public sealed record RoutingDecision(string? UnitId, bool Reject, bool Escalate, string Reason);

/// <summary>Chooses the unit responsible for an appeal.</summary>
/// <remarks>Implementations must be safe for concurrent use and must not throw for any classified appeal.</remarks>
public interface IAppealRouter
{
    /// <summary>Routes an appeal (already classified).</summary>
    /// <param name="appeal">The appeal.</param>
    /// <param name="cancellationToken">A token to cancel the operation.</param>
    /// <returns>The decision.</returns>
    ValueTask<RoutingDecision> RouteAsync(Appeal appeal, CancellationToken cancellationToken = default);
}

/// <summary>A unit an appeal can be routed to: a department, a resource-supply organisation, the police.</summary>
public sealed class UnitOptions
{
    /// <summary>Gets or sets the unit id used in rules and reports, such as <c>city-economy</c>.</summary>
    [Required]
    public string Id { get; set; } = string.Empty;

    /// <summary>Gets or sets the unit's name as the citizen reads it, such as «департамент городского хозяйства и ТЭК».</summary>
    [Required]
    public string Name { get; set; } = string.Empty;
}

/// <summary>A routing rule: when every condition that is set holds, the appeal goes to <see cref="Unit"/>.</summary>
public sealed class RoutingRule
{
    /// <summary>Gets or sets the rule's name, shown in the appeal history.</summary>
    public string? Name { get; set; }

    /// <summary>Gets the topic codes that match (any of them); empty for any topic.</summary>
    public List<string> Topics { get; } = [];

    /// <summary>Gets the subtopic codes that match (any of them); empty for any subtopic.</summary>
    public List<string> Subtopics { get; } = [];

    /// <summary>Gets keywords of which at least one must occur in the text (case-insensitive, ё = е); empty for no keyword condition.</summary>
    public List<string> Keywords { get; } = [];

    /// <summary>Gets the channel ids that match; empty for any channel.</summary>
    public List<string> Channels { get; } = [];

    /// <summary>Gets the districts that match; empty for any district.</summary>
    public List<string> Districts { get; } = [];

    /// <summary>Gets or sets the urgency that matches, or <see langword="null"/> for any.</summary>
    public bool? Urgent { get; set; }

    /// <summary>Gets or sets the unit id the appeal goes to.</summary>
    [Required]
    public string Unit { get; set; } = string.Empty;
}

/// <summary>Options of the rule-based router, bindable from the <c>Mcu:Routing</c> configuration section.</summary>
public sealed class RoutingOptions
{
    /// <summary>Gets the units. When empty, the built-in units of a typical city administration are used.</summary>
    public List<UnitOptions> Units { get; } = [];

    /// <summary>Gets the rules, tried in order; the first that matches wins.</summary>
    public List<RoutingRule> Rules { get; } = [];

    /// <summary>Gets or sets a value indicating whether the built-in topic → unit rules apply after <see cref="Rules"/>.</summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool UseDefaultRules { get; set; } = true;

    /// <summary>Gets or sets the unit of appeals no rule matches: the centre itself triages them.</summary>
    /// <value>The default value is <c>mcu</c>.</value>
    [Required]
    public string DefaultUnit { get; set; } = "mcu";

    /// <summary>Gets or sets a value indicating whether out-of-scope appeals are rejected with the polite refusal.</summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool RejectOutOfScope { get; set; } = true;

    /// <summary>Gets or sets a value indicating whether urgent appeals are escalated.</summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool EscalateUrgent { get; set; } = true;
}

/// <summary>The built-in units and topic rules of a typical Russian city administration.</summary>
public static class DefaultRouting
{
    /// <summary>Gets the built-in units (ids and Russian names).</summary>
    public static IReadOnlyList<(string Id, string Name)> Units { get; } =
    [
        ("mcu", "муниципальный центр управления"),
        ("city-economy", "департамент городского хозяйства и ТЭК"),
        ("transport-roads", "департамент транспорта и дорожного хозяйства"),
        ("veterinary", "ветеринарная служба"),
        ("police", "полиция"),
        ("healthcare", "управление здравоохранения"),
        ("education", "департамент образования"),
        ("social-protection", "управление социальной защиты населения"),
        ("ecology", "управление по охране окружающей среды"),
        ("architecture", "департамент архитектуры и градостроительства"),
        ("consumer-market", "управление потребительского рынка и услуг"),
        ("communications", "управление информатизации и связи"),
        ("culture-sport", "управление культуры и спорта"),
        ("public-services", "многофункциональный центр (МФЦ)"),
        ("employment", "центр занятости населения"),
        ("funeral-services", "управление ритуальных услуг"),
        ("property", "департамент муниципальной собственности и городских земель"),
    ];

    /// <summary>Gets the built-in topic → unit map.</summary>
    public static IReadOnlyDictionary<TopicCode, string> TopicUnits { get; } = new Dictionary<TopicCode, string>
    {
        [TopicCode.Utilities] = "city-economy",
        [TopicCode.Landscaping] = "city-economy",
        [TopicCode.Waste] = "city-economy",
        [TopicCode.Roads] = "transport-roads",
        [TopicCode.PublicTransport] = "transport-roads",
        [TopicCode.Animals] = "veterinary",
        [TopicCode.PublicOrder] = "police",
        [TopicCode.Healthcare] = "healthcare",
        [TopicCode.Education] = "education",
        [TopicCode.SocialProtection] = "social-protection",
        [TopicCode.Ecology] = "ecology",
        [TopicCode.Construction] = "architecture",
        [TopicCode.TradeServices] = "consumer-market",
        [TopicCode.Communications] = "communications",
        [TopicCode.CultureSport] = "culture-sport",
        [TopicCode.PublicServices] = "public-services",
        [TopicCode.Employment] = "employment",
        [TopicCode.Cemeteries] = "funeral-services",
        [TopicCode.LandProperty] = "property",
        [TopicCode.Other] = "mcu",
    };
}

/// <summary>Validates <see cref="RoutingOptions"/> at start: every rule names a known unit and valid codes.</summary>
internal sealed class RoutingOptionsValidator : IValidateOptions<RoutingOptions>
{
    public ValidateOptionsResult Validate(string? name, RoutingOptions options)
    {
        var failures = new List<string>();
        var units = new HashSet<string>(options.Units.Select(u => u.Id), StringComparer.Ordinal);
        if (options.Units.Count == 0)
        {
            units.UnionWith(DefaultRouting.Units.Select(u => u.Id));
        }

        foreach (var unit in options.Units)
        {
            if (string.IsNullOrWhiteSpace(unit.Id) || string.IsNullOrWhiteSpace(unit.Name))
            {
                failures.Add("Every unit needs an Id and a Name.");
            }
        }

        if (options.Units.GroupBy(u => u.Id, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1) is { } duplicate)
        {
            failures.Add($"Unit '{duplicate.Key}' is defined more than once.");
        }

        if (!units.Contains(options.DefaultUnit))
        {
            failures.Add($"DefaultUnit '{options.DefaultUnit}' is not a defined unit.");
        }

        for (var i = 0; i < options.Rules.Count; i++)
        {
            var rule = options.Rules[i];
            var label = rule.Name ?? $"#{i + 1}";
            if (string.IsNullOrWhiteSpace(rule.Unit))
            {
                failures.Add($"Routing rule {label} has no Unit.");
            }
            else if (!units.Contains(rule.Unit))
            {
                failures.Add($"Routing rule {label} sends to unknown unit '{rule.Unit}'. Known units: {string.Join(", ", units.Order(StringComparer.Ordinal))}.");
            }

            foreach (var topic in rule.Topics)
            {
                if (!TopicCode.TryParse(topic, out _))
                {
                    failures.Add($"Routing rule {label} has an invalid topic code '{topic}'.");
                }
            }

            foreach (var channel in rule.Channels)
            {
                if (!ChannelId.TryParse(channel, out _))
                {
                    failures.Add($"Routing rule {label} has an invalid channel id '{channel}'.");
                }
            }

            if (rule.Keywords.Any(string.IsNullOrWhiteSpace))
            {
                failures.Add($"Routing rule {label} has an empty keyword.");
            }
        }

        if (options.UseDefaultRules && options.Units.Count > 0)
        {
            foreach (var unit in DefaultRouting.TopicUnits.Values.Distinct(StringComparer.Ordinal))
            {
                if (!units.Contains(unit))
                {
                    failures.Add($"UseDefaultRules is on but unit '{unit}' of the built-in rules is not among the configured units; define it or set UseDefaultRules to false.");
                }
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}

/// <summary>The default router: the configured rules in order, then the built-in topic map, then the default unit.</summary>
public sealed class RuleBasedRouter : IAppealRouter
{
    private readonly RoutingOptions _options;
    private readonly CompiledRule[] _rules;

    /// <summary>Initializes a new instance of the <see cref="RuleBasedRouter"/> class.</summary>
    /// <param name="options">The routing options.</param>
    public RuleBasedRouter(IOptions<RoutingOptions> options)
    {
        _options = Throw.IfNull(options).Value;
        _rules = _options.Rules.Select((r, i) => new CompiledRule(r, r.Name ?? $"rule #{i + 1}")).ToArray();
    }

    /// <summary>Gets the display name of a unit, or the id when unknown.</summary>
    /// <param name="unitId">The unit id.</param>
    /// <returns>The name.</returns>
    public string GetUnitName(string unitId)
    {
        foreach (var unit in _options.Units)
        {
            if (string.Equals(unit.Id, unitId, StringComparison.Ordinal))
            {
                return unit.Name;
            }
        }

        foreach (var (id, name) in DefaultRouting.Units)
        {
            if (string.Equals(id, unitId, StringComparison.Ordinal))
            {
                return name;
            }
        }

        return unitId;
    }

    /// <inheritdoc/>
    public ValueTask<RoutingDecision> RouteAsync(Appeal appeal, CancellationToken cancellationToken = default)
    {
        Throw.IfNull(appeal);
        var classification = appeal.Classification ?? AppealClassification.Unknown;
        var escalate = _options.EscalateUrgent && classification.IsUrgent;
        if (_options.RejectOutOfScope && classification.IsOutOfScope)
        {
            return ValueTask.FromResult(new RoutingDecision(null, true, false, "out of scope"));
        }

        string? normalizedText = null;
        foreach (var rule in _rules)
        {
            if (rule.Matches(appeal, classification, ref normalizedText))
            {
                return ValueTask.FromResult(new RoutingDecision(rule.Rule.Unit, false, escalate, $"rule '{rule.Name}'"));
            }
        }

        if (_options.UseDefaultRules && DefaultRouting.TopicUnits.TryGetValue(classification.Topic, out var unit)
            && classification.Topic != TopicCode.Other)
        {
            return ValueTask.FromResult(new RoutingDecision(unit, false, escalate, $"built-in rule for topic '{classification.Topic}'"));
        }

        return ValueTask.FromResult(new RoutingDecision(_options.DefaultUnit, false, escalate, "no rule matched: default unit"));
    }

    // The classifier's normalisation (lower case, ё = е, Latin look-alikes folded), so keywords match as terms do.
    private static string Normalize(string text) => Classification.Text.TextNormalizer.Normalize(text);

    private sealed class CompiledRule(RoutingRule rule, string name)
    {
        private readonly HashSet<TopicCode> _topics = rule.Topics.Select(t => new TopicCode(t)).ToHashSet();
        private readonly HashSet<string> _subtopics = rule.Subtopics.ToHashSet(StringComparer.OrdinalIgnoreCase);
        private readonly string[] _keywords = rule.Keywords.Select(Normalize).ToArray();
        private readonly HashSet<ChannelId> _channels = rule.Channels.Select(c => new ChannelId(c)).ToHashSet();
        private readonly HashSet<string> _districts = rule.Districts.ToHashSet(StringComparer.OrdinalIgnoreCase);

        public RoutingRule Rule { get; } = rule;

        public string Name { get; } = name;

        public bool Matches(Appeal appeal, AppealClassification classification, ref string? normalizedText)
        {
            if (_topics.Count > 0 && !_topics.Contains(classification.Topic))
            {
                return false;
            }

            if (_subtopics.Count > 0 && (classification.Subtopic is null || !_subtopics.Contains(classification.Subtopic)))
            {
                return false;
            }

            if (_channels.Count > 0 && !_channels.Contains(appeal.Channel))
            {
                return false;
            }

            if (_districts.Count > 0 && (appeal.District is null || !_districts.Contains(appeal.District)))
            {
                return false;
            }

            if (Rule.Urgent is { } urgent && urgent != classification.IsUrgent)
            {
                return false;
            }

            if (_keywords.Length > 0)
            {
                normalizedText ??= Normalize(appeal.Messages.Count == 0 ? appeal.Text : string.Join('\n', appeal.Messages.Select(m => m.Text)));
                var text = normalizedText;
                if (!_keywords.Any(k => text.Contains(k, StringComparison.Ordinal)))
                {
                    return false;
                }
            }

            return true;
        }
    }
}
