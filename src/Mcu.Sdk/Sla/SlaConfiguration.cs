using System.Globalization;
using Mcu.Sdk.Classification;

namespace Mcu.Sdk.Sla;

/// <summary>A clock of a profile with its base merged in: every value known.</summary>
internal sealed record EffectiveTimer(
    SlaTimerKind Kind,
    TimeSpan Target,
    SlaTimeMode Mode,
    string? Calendar,
    SlaAnchor From,
    TimeSpan? UrgentTarget,
    SlaTimeMode? UrgentMode,
    bool Escalate);

/// <summary>An escalation step with its effective name.</summary>
internal sealed record EffectiveStep(double Percent, string Name, string Audience, IReadOnlyList<SlaTimerKind> Timers);

/// <summary>A profile with its base merged in.</summary>
internal sealed record EffectiveProfile(
    string Name,
    string? Description,
    string? Calendar,
    IReadOnlyList<EffectiveTimer> Timers,
    IReadOnlyList<EffectiveStep> Steps,
    bool ManualRegistration,
    int MaxExtensions,
    TimeSpan MaxExtension,
    bool ExtensionRequiresNotice,
    bool ForwardingRequiresNotice);

/// <summary>Resolves the profiles of <see cref="SlaOptions"/> (built-in ones, configured changes, <c>BasedOn</c>) and validates the options.</summary>
internal static class SlaConfiguration
{
    public const int MaxExtensionsLimit = 10;

    /// <summary>Gets every profile name: the built-in ones and the configured ones.</summary>
    public static IReadOnlyList<string> ProfileNames(SlaOptions options)
    {
        var names = new List<string>(SlaProfiles.Names);
        foreach (var name in options.Profiles.Keys)
        {
            if (!names.Contains(name, StringComparer.OrdinalIgnoreCase))
            {
                names.Add(name);
            }
        }

        return names;
    }

    /// <summary>Resolves a profile by name, reporting problems (not validating the result).</summary>
    /// <returns>The profile, or <see langword="null"/> when the name is unknown or its base cannot be resolved.</returns>
    public static EffectiveProfile? Resolve(SlaOptions options, string name, List<string>? errors) =>
        Resolve(options, name, errors, new HashSet<string>(StringComparer.OrdinalIgnoreCase));

    /// <summary>Checks the options and describes every problem, one sentence each naming the setting.</summary>
    public static List<string> Validate(SlaOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        if (options.WarningThreshold is < 0.05 or > 0.99 || double.IsNaN(options.WarningThreshold))
        {
            errors.Add($"Sla:WarningThreshold must be from 0.05 to 0.99; got {Number(options.WarningThreshold)}.");
        }

        if (options.MonitorInterval < TimeSpan.FromSeconds(1) || options.MonitorInterval > TimeSpan.FromHours(1))
        {
            errors.Add($"Sla:MonitorInterval must be from 1 second to 1 hour; got {options.MonitorInterval}.");
        }

        if (options.Notices is null || string.IsNullOrWhiteSpace(options.Notices.Extension) || string.IsNullOrWhiteSpace(options.Notices.Forwarding))
        {
            errors.Add("Sla:Notices:Extension and Sla:Notices:Forwarding must not be empty.");
        }

        foreach (var (key, calendar) in options.Calendars)
        {
            if (string.IsNullOrWhiteSpace(key))
            {
                errors.Add("Sla:Calendars has a calendar without a name.");
            }
            else if (calendar is null)
            {
                errors.Add($"Sla:Calendars:{key} is empty.");
            }
            else
            {
                errors.AddRange(calendar.Validate().Select(e => $"Sla:Calendars:{key}: {e}"));
            }
        }

        var profiles = new Dictionary<string, EffectiveProfile>(StringComparer.OrdinalIgnoreCase);
        foreach (var name in ProfileNames(options))
        {
            if (string.IsNullOrWhiteSpace(name))
            {
                errors.Add("Sla:Profiles has a profile without a name.");
                continue;
            }

            if (options.Profiles.TryGetValue(name, out var configured) && configured is null)
            {
                errors.Add($"Sla:Profiles:{name} is empty.");
                continue;
            }

            var profile = Resolve(options, name, errors);
            if (profile is not null)
            {
                ValidateProfile(options, profile, errors);
                profiles[name] = profile;
            }
        }

        profiles.TryGetValue(options.DefaultProfile ?? string.Empty, out var defaultProfile);
        if (defaultProfile is null)
        {
            errors.Add($"Sla:DefaultProfile '{options.DefaultProfile}' is not a profile (built-in: {string.Join(", ", SlaProfiles.Names)}; or one of Sla:Profiles).");
        }
        else
        {
            ValidateOverrides("Sla", defaultProfile, options.FirstAnswer, options.Resolution, errors);
        }

        for (var i = 0; i < options.Rules.Count; i++)
        {
            var rule = options.Rules[i];
            var label = rule?.Name ?? $"#{i + 1}";
            if (rule is null)
            {
                errors.Add($"SLA rule {label} is empty.");
                continue;
            }

            EffectiveProfile? profile;
            if (rule.Profile is null)
            {
                profile = defaultProfile;
            }
            else if (!profiles.TryGetValue(rule.Profile, out profile))
            {
                errors.Add($"SLA rule {label}: Profile '{rule.Profile}' is not a profile.");
            }

            if (profile is not null)
            {
                ValidateOverrides($"SLA rule {label}", profile, rule.FirstAnswer, rule.Resolution, errors);
            }

            errors.AddRange(rule.Topics.Where(t => !TopicCode.TryParse(t, out _)).Select(t => $"SLA rule {label}: invalid topic code '{t}'."));
            errors.AddRange(rule.Channels.Where(c => !ChannelId.TryParse(c, out _)).Select(c => $"SLA rule {label}: invalid channel id '{c}'."));
        }

        return errors;
    }

    /// <summary>Tells whether a duration is a whole, positive number of days.</summary>
    public static bool IsWholeDays(TimeSpan duration) => duration > TimeSpan.Zero && duration.Ticks % TimeSpan.TicksPerDay == 0;

    private static EffectiveProfile? Resolve(SlaOptions options, string name, List<string>? errors, HashSet<string> visiting)
    {
        options.Profiles.TryGetValue(name, out var configured);
        var builtIn = SlaProfiles.TryCreate(name);
        var canonical = builtIn is not null ? SlaProfiles.Names.First(n => string.Equals(n, name, StringComparison.OrdinalIgnoreCase)) : name;
        if (configured is null)
        {
            return builtIn is null ? null : Merge(canonical, null, builtIn, errors, $"built-in profile {canonical}");
        }

        if (!visiting.Add(name))
        {
            errors?.Add($"Sla:Profiles:{name}: BasedOn forms a cycle.");
            return null;
        }

        try
        {
            EffectiveProfile? baseProfile = null;
            var baseName = configured.BasedOn;
            if (string.IsNullOrWhiteSpace(baseName) || string.Equals(baseName, name, StringComparison.OrdinalIgnoreCase))
            {
                if (builtIn is not null)
                {
                    baseProfile = Merge(canonical, null, builtIn, errors, $"built-in profile {canonical}");
                }
            }
            else
            {
                baseProfile = Resolve(options, baseName, errors, visiting);
                if (baseProfile is null)
                {
                    errors?.Add($"Sla:Profiles:{name}: BasedOn '{baseName}' is not a profile.");
                    return null;
                }
            }

            return Merge(canonical, baseProfile, configured, errors, $"Sla:Profiles:{name}");
        }
        finally
        {
            visiting.Remove(name);
        }
    }

    private static EffectiveProfile Merge(string name, EffectiveProfile? baseProfile, SlaProfile profile, List<string>? errors, string path)
    {
        var timers = baseProfile is null ? new List<EffectiveTimer>() : [.. baseProfile.Timers];
        var seen = new HashSet<SlaTimerKind>();
        for (var i = 0; i < profile.Timers.Count; i++)
        {
            var options = profile.Timers[i];
            var timerPath = $"{path}:Timers[{i}]";
            if (options is null)
            {
                errors?.Add($"{timerPath} is empty.");
                continue;
            }

            if (!Enum.IsDefined(options.Kind))
            {
                errors?.Add($"{timerPath}: Kind ({options.Kind}) is not one of {string.Join(", ", Enum.GetNames<SlaTimerKind>())}.");
                continue;
            }

            if (!seen.Add(options.Kind))
            {
                errors?.Add($"{timerPath}: the profile has more than one {options.Kind} clock.");
                continue;
            }

            var index = timers.FindIndex(t => t.Kind == options.Kind);
            var inherited = index >= 0 ? timers[index] : null;
            if (!options.Enabled)
            {
                if (index >= 0)
                {
                    timers.RemoveAt(index);
                }

                continue;
            }

            if (options.Target is null && inherited is null)
            {
                errors?.Add($"{timerPath} ({options.Kind}): Target is required.");
                continue;
            }

            var merged = new EffectiveTimer(
                options.Kind,
                options.Target ?? inherited!.Target,
                options.Mode ?? inherited?.Mode ?? SlaTimeMode.Business,
                options.Calendar ?? inherited?.Calendar,
                options.From ?? inherited?.From ?? SlaAnchor.Receipt,
                options.UrgentTarget ?? inherited?.UrgentTarget,
                options.UrgentMode ?? inherited?.UrgentMode,
                options.Escalate ?? inherited?.Escalate ?? true);
            if (index >= 0)
            {
                timers[index] = merged;
            }
            else
            {
                timers.Add(merged);
            }
        }

        IReadOnlyList<EffectiveStep> steps = baseProfile?.Steps ?? [];
        if (profile.Escalations.Count > 0)
        {
            var list = new List<EffectiveStep>(profile.Escalations.Count);
            for (var i = 0; i < profile.Escalations.Count; i++)
            {
                var step = profile.Escalations[i];
                if (step is null)
                {
                    errors?.Add($"{path}:Escalations[{i}] is empty.");
                    continue;
                }

                list.Add(new EffectiveStep(step.Percent, step.EffectiveName ?? string.Empty, step.Audience ?? string.Empty, [.. step.Timers]));
            }

            steps = list;
        }

        return new EffectiveProfile(
            name,
            profile.Description ?? baseProfile?.Description,
            profile.Calendar ?? baseProfile?.Calendar,
            timers,
            steps,
            profile.ManualRegistration ?? baseProfile?.ManualRegistration ?? false,
            profile.MaxExtensions ?? baseProfile?.MaxExtensions ?? 0,
            profile.MaxExtension ?? baseProfile?.MaxExtension ?? TimeSpan.Zero,
            profile.ExtensionRequiresNotice ?? baseProfile?.ExtensionRequiresNotice ?? true,
            profile.ForwardingRequiresNotice ?? baseProfile?.ForwardingRequiresNotice ?? true);
    }

    private static void ValidateProfile(SlaOptions options, EffectiveProfile profile, List<string> errors)
    {
        var path = options.Profiles.ContainsKey(profile.Name) ? $"Sla:Profiles:{profile.Name}" : $"built-in profile {profile.Name}";
        foreach (var timer in profile.Timers)
        {
            var timerPath = $"{path}: the {timer.Kind} clock";
            if (!Enum.IsDefined(timer.Mode))
            {
                errors.Add($"{timerPath}: Mode ({timer.Mode}) is not one of {string.Join(", ", Enum.GetNames<SlaTimeMode>())}.");
            }

            if (timer.UrgentMode is { } urgentMode && !Enum.IsDefined(urgentMode))
            {
                errors.Add($"{timerPath}: UrgentMode ({urgentMode}) is not one of {string.Join(", ", Enum.GetNames<SlaTimeMode>())}.");
            }

            if (!Enum.IsDefined(timer.From))
            {
                errors.Add($"{timerPath}: From ({timer.From}) is not one of {string.Join(", ", Enum.GetNames<SlaAnchor>())}.");
            }
            else if (timer.Kind == SlaTimerKind.Registration && timer.From != SlaAnchor.Receipt)
            {
                errors.Add($"{timerPath}: a registration clock counts from Receipt.");
            }

            CheckTarget($"{timerPath}: Target", timer.Target, timer.Mode, errors);
            if (timer.UrgentTarget is { } urgent)
            {
                CheckTarget($"{timerPath}: UrgentTarget", urgent, timer.UrgentMode ?? timer.Mode, errors);
            }
            else if (timer.UrgentMode == SlaTimeMode.CalendarDays && timer.Mode != SlaTimeMode.CalendarDays)
            {
                CheckTarget($"{timerPath}: Target (as the urgent target)", timer.Target, SlaTimeMode.CalendarDays, errors);
            }

            var calendar = timer.Calendar ?? profile.Calendar;
            if (calendar is not null && !string.Equals(calendar, SlaOptions.DefaultCalendarName, StringComparison.OrdinalIgnoreCase) && !options.Calendars.ContainsKey(calendar))
            {
                errors.Add($"{timerPath}: Calendar '{calendar}' is not one of Sla:Calendars.");
            }
        }

        if (!profile.Timers.Any(t => t.Kind is SlaTimerKind.FirstAnswer or SlaTimerKind.Resolution))
        {
            errors.Add($"{path}: a profile needs a FirstAnswer or a Resolution clock.");
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var step in profile.Steps)
        {
            var stepPath = $"{path}: the escalation step at {Number(step.Percent)} %";
            if (!double.IsFinite(step.Percent) || step.Percent <= 0 || step.Percent > 1000)
            {
                errors.Add($"{stepPath}: Percent must be greater than 0 and at most 1000.");
            }

            if (string.IsNullOrWhiteSpace(step.Audience))
            {
                errors.Add($"{stepPath}: Audience is required.");
            }
            else if (step.Name.Contains(':', StringComparison.Ordinal))
            {
                errors.Add($"{stepPath}: the name '{step.Name}' must not contain ':' (it is part of the step key).");
            }
            else if (!names.Add(step.Name))
            {
                errors.Add($"{stepPath}: the name '{step.Name}' is used by another step of the ladder.");
            }

            foreach (var kind in step.Timers.Where(k => !Enum.IsDefined(k)))
            {
                errors.Add($"{stepPath}: Timers has {kind}, which is not a kind of clock.");
            }
        }

        if (profile.MaxExtensions is < 0 or > MaxExtensionsLimit)
        {
            errors.Add($"{path}: MaxExtensions must be from 0 to {MaxExtensionsLimit}; got {profile.MaxExtensions}.");
        }
        else if (profile.MaxExtensions > 0)
        {
            var resolution = profile.Timers.FirstOrDefault(t => t.Kind == SlaTimerKind.Resolution);
            if (resolution is null)
            {
                errors.Add($"{path}: extensions need a Resolution clock.");
            }
            else if (profile.MaxExtension <= TimeSpan.Zero)
            {
                errors.Add($"{path}: MaxExtension must be positive when MaxExtensions is above 0.");
            }
            else if (resolution.Mode == SlaTimeMode.CalendarDays && !IsWholeDays(profile.MaxExtension))
            {
                errors.Add($"{path}: MaxExtension must be whole days, as the Resolution clock counts calendar days; got {profile.MaxExtension}.");
            }
        }
        else if (profile.MaxExtension < TimeSpan.Zero)
        {
            errors.Add($"{path}: MaxExtension must not be negative.");
        }
    }

    private static void ValidateOverrides(string path, EffectiveProfile profile, TimeSpan? firstAnswer, TimeSpan? resolution, List<string> errors)
    {
        Check("FirstAnswer", SlaTimerKind.FirstAnswer, firstAnswer);
        Check("Resolution", SlaTimerKind.Resolution, resolution);

        void Check(string name, SlaTimerKind kind, TimeSpan? target)
        {
            if (target is not { } value)
            {
                return;
            }

            if (value <= TimeSpan.Zero)
            {
                errors.Add($"{path}: {name} must be positive.");
                return;
            }

            var timer = profile.Timers.FirstOrDefault(t => t.Kind == kind);
            if (timer is not null && (timer.Mode == SlaTimeMode.CalendarDays || timer.UrgentMode == SlaTimeMode.CalendarDays) && !IsWholeDays(value))
            {
                errors.Add($"{path}: {name} must be whole days, as the {kind} clock of profile {profile.Name} counts calendar days; got {value}.");
            }
        }
    }

    private static void CheckTarget(string path, TimeSpan target, SlaTimeMode mode, List<string> errors)
    {
        if (target <= TimeSpan.Zero)
        {
            errors.Add($"{path} must be positive; got {target}.");
        }
        else if (mode == SlaTimeMode.CalendarDays && !IsWholeDays(target))
        {
            errors.Add($"{path} must be whole days in CalendarDays mode (for example \"30.00:00:00\"); got {target}.");
        }
    }

    private static string Number(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);
}
