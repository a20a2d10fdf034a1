using System.Text.Json.Serialization;

namespace Mcu.Sdk.Sla;

/// <summary>Configures a <see cref="BusinessCalendar"/>; pass it to <see cref="BusinessCalendar.Create(BusinessCalendarOptions)"/>.</summary>
/// <remarks>
/// <para>
/// A simple options object that binds from configuration (<c>IConfiguration.Bind</c>) or deserializes with System.Text.Json.
/// Times are strings such as <c>"09:00"</c>, dates <c>"2026-03-20"</c>. Example:
/// <code>
/// "BusinessCalendar": {
///   "TimeZoneId": "Asia/Vladivostok",
///   "Schedule": { "Friday": { "End": "16:45", "LunchEnd": "13:48" } },
///   "AdditionalDays": [ { "Date": "2026-03-20", "Kind": "Holiday", "Name": "Региональный праздник" } ]
/// }
/// </code>
/// </para>
/// <para>
/// <see cref="Validate"/> lists every problem; <see cref="BusinessCalendar.Create(BusinessCalendarOptions)"/> throws when there is one.
/// The calendar copies what it needs: changing the options afterwards does not change a created calendar.
/// </para>
/// </remarks>
public sealed class BusinessCalendarOptions
{
    /// <summary>The largest allowed <see cref="ShortenedDayReductionMinutes"/>: a whole day.</summary>
    public const int MaxShortenedDayReductionMinutes = 24 * 60;

    /// <summary>Gets or sets the IANA time zone id of the control centre, for example <c>Europe/Moscow</c>, <c>Europe/Kaliningrad</c>, <c>Asia/Vladivostok</c>.</summary>
    /// <value>The default value is <c>Europe/Moscow</c>.</value>
    public string TimeZoneId { get; set; } = "Europe/Moscow";

    /// <summary>
    /// Gets or sets a value indicating whether every moment is working time (a 24/7 service). The schedule, the production calendar
    /// and <see cref="AdditionalDays"/> are then ignored; only <see cref="TimeZoneId"/> matters (it sets the offset of results).
    /// </summary>
    /// <value>The default value is <see langword="false"/>.</value>
    public bool AroundTheClock { get; set; }

    /// <summary>Gets or sets the working hours of each day of the week.</summary>
    /// <value>The default value is Monday to Friday 09:00–18:00 with lunch 13:00–14:00.</value>
    public WeeklySchedule Schedule { get; set; } = new();

    /// <summary>
    /// Gets or sets a value indicating whether, when <see cref="ProductionCalendar"/> is not set, the embedded
    /// <see cref="Sla.ProductionCalendar.Russia"/> calendar applies. With <see langword="false"/> and no
    /// <see cref="ProductionCalendar"/> only the weekly schedule and <see cref="AdditionalDays"/> apply (no public holidays at all).
    /// </summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool UseRussianProductionCalendar { get; set; } = true;

    /// <summary>
    /// Gets or sets the production calendar to use instead of the embedded one, typically
    /// <c>ProductionCalendar.Russia.Merge(ProductionCalendar.Load(hostFile))</c>. Not bound from configuration.
    /// </summary>
    /// <value>The default value is <see langword="null"/>.</value>
    [JsonIgnore]
    public ProductionCalendar? ProductionCalendar { get; set; }

    /// <summary>Gets the host's own dates (regional holidays, extra days off, special working days); they win over the production calendar.</summary>
    /// <value>The default value is empty. Each date may appear once.</value>
    [JsonObjectCreationHandling(JsonObjectCreationHandling.Populate)]
    public IList<CalendarDayOverride> AdditionalDays { get; } = new List<CalendarDayOverride>();

    /// <summary>
    /// Gets or sets by how many minutes a shortened pre-holiday day is shorter (Labour Code art. 95: one hour). The last minutes of
    /// the day's working time are removed: with the default schedule the day ends at 17:00 instead of 18:00.
    /// </summary>
    /// <value>Between 0 and <see cref="MaxShortenedDayReductionMinutes"/>. The default value is 60.</value>
    public int ShortenedDayReductionMinutes { get; set; } = 60;

    /// <summary>Checks the options and describes every problem found.</summary>
    /// <returns>The problems, one sentence each naming the offending setting; empty when the options are valid.</returns>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(TimeZoneId))
        {
            errors.Add("TimeZoneId is required (an IANA time zone id such as 'Europe/Moscow').");
        }
        else if (!TimeZoneInfo.TryFindSystemTimeZoneById(TimeZoneId, out _))
        {
            errors.Add($"TimeZoneId '{TimeZoneId}' is not a time zone known to this system (expected an IANA id such as 'Europe/Moscow', 'Europe/Kaliningrad' or 'Asia/Vladivostok').");
        }

        if (AroundTheClock)
        {
            return errors;
        }

        if (ShortenedDayReductionMinutes is < 0 or > MaxShortenedDayReductionMinutes)
        {
            errors.Add($"ShortenedDayReductionMinutes ({CalendarText.Number(ShortenedDayReductionMinutes)}) must be between 0 and {CalendarText.Number(MaxShortenedDayReductionMinutes)}.");
        }

        if (Schedule is null)
        {
            errors.Add("Schedule is required.");
        }
        else
        {
            var anyWorkingDay = false;
            foreach (var day in Enum.GetValues<DayOfWeek>())
            {
                var hours = Schedule.GetDay(day);
                ValidateHours(hours, $"Schedule.{day}", errors);
                anyWorkingDay |= hours is { IsWorkingDay: true };
            }

            if (!anyWorkingDay)
            {
                errors.Add("Schedule has no working day; set the hours of at least one day of the week, or set AroundTheClock.");
            }
        }

        ValidateAdditionalDays(errors);
        return errors;
    }

    internal static void ValidateHours(DaySchedule? hours, string path, List<string> errors)
    {
        if (hours is null || !hours.IsWorkingDay)
        {
            return;
        }

        var start = hours.Start.Ticks;
        var end = DayPlan.EndTicks(hours.End);
        if (end <= start)
        {
            errors.Add($"{path}: End ({CalendarText.Time(hours.End)}) must be after Start ({CalendarText.Time(hours.Start)}); use 00:00 as End for midnight.");
            return;
        }

        if ((hours.LunchStart is null) != (hours.LunchEnd is null))
        {
            errors.Add($"{path}: set both LunchStart and LunchEnd, or neither.");
            return;
        }

        if (hours is { LunchStart: { } lunchStart, LunchEnd: { } lunchEnd })
        {
            if (lunchEnd <= lunchStart)
            {
                errors.Add($"{path}: LunchEnd ({CalendarText.Time(lunchEnd)}) must be after LunchStart ({CalendarText.Time(lunchStart)}).");
            }
            else if (lunchStart.Ticks <= start || lunchEnd.Ticks >= end)
            {
                errors.Add($"{path}: the lunch break {CalendarText.Time(lunchStart)}–{CalendarText.Time(lunchEnd)} must lie inside the working hours {CalendarText.Time(hours.Start)}–{CalendarText.Time(hours.End)}.");
            }
        }
    }

    private void ValidateAdditionalDays(List<string> errors)
    {
        var seen = new HashSet<DateOnly>();
        for (var i = 0; i < AdditionalDays.Count; i++)
        {
            var path = $"AdditionalDays[{CalendarText.Number(i)}]";
            var day = AdditionalDays[i];
            if (day is null)
            {
                errors.Add($"{path} is null.");
                continue;
            }

            path += $" ({CalendarText.Date(day.Date)})";
            if (day.Date.Year is < BusinessCalendar.MinSupportedYear or > BusinessCalendar.MaxSupportedYear)
            {
                errors.Add($"{path}: the date is outside the supported years {CalendarText.Number(BusinessCalendar.MinSupportedYear)}–{CalendarText.Number(BusinessCalendar.MaxSupportedYear)}.");
            }

            if (!seen.Add(day.Date))
            {
                errors.Add($"{path}: the date appears more than once in AdditionalDays.");
            }

            if (!Enum.IsDefined(day.Kind))
            {
                errors.Add($"{path}: Kind ({day.Kind}) is not one of Holiday, DayOff, Working, Shortened.");
                continue;
            }

            var working = day.Kind is CalendarDayKind.Working or CalendarDayKind.Shortened;
            if (day.WorkAs is { } workAs && (!working || !Enum.IsDefined(workAs)))
            {
                errors.Add(working
                    ? $"{path}: WorkAs ({workAs}) is not a day of the week."
                    : $"{path}: WorkAs applies only to Working and Shortened days.");
            }

            if (day.Hours is not null)
            {
                if (!working)
                {
                    errors.Add($"{path}: Hours apply only to Working and Shortened days.");
                }
                else if (!day.Hours.IsWorkingDay)
                {
                    errors.Add($"{path}: Hours.IsWorkingDay is false; use Kind DayOff for a non-working date.");
                }
                else
                {
                    ValidateHours(day.Hours, path + ".Hours", errors);
                }
            }
        }
    }
}
