using System.Text.Json.Serialization;

namespace Mcu.Sdk.Sla;

/// <summary>A host's own entry for one date, applied on top of the weekly schedule and the production calendar.</summary>
/// <remarks>
/// A simple options object meant to be bound from configuration or JSON, for example
/// <c>{ "Date": "2026-03-20", "Kind": "Holiday", "Name": "Региональный праздник" }</c> or
/// <c>{ "Date": "2025-12-30", "Kind": "Working", "Hours": { "Start": "09:00", "End": "15:00" } }</c>.
/// Host entries win over the production calendar on the same date.
/// </remarks>
public sealed class CalendarDayOverride
{
    /// <summary>Gets or sets the local date the entry applies to.</summary>
    public DateOnly Date { get; set; }

    /// <summary>Gets or sets what the date is.</summary>
    /// <value>The default value is <see cref="CalendarDayKind.Holiday"/>.</value>
    public CalendarDayKind Kind { get; set; }

    /// <summary>
    /// Gets or sets, for a <see cref="CalendarDayKind.Working"/> or <see cref="CalendarDayKind.Shortened"/> date without
    /// <see cref="Hours"/>, the day of the week whose weekly hours the date uses.
    /// </summary>
    /// <value>
    /// The default value is <see langword="null"/>: the date's own day of the week if it has weekly hours, otherwise the first
    /// day from Monday to Sunday that has weekly hours.
    /// </value>
    [JsonConverter(typeof(JsonStringEnumConverter<DayOfWeek>))]
    public DayOfWeek? WorkAs { get; set; }

    /// <summary>
    /// Gets or sets explicit working hours for a <see cref="CalendarDayKind.Working"/> or <see cref="CalendarDayKind.Shortened"/> date
    /// (a shortened date loses <see cref="BusinessCalendarOptions.ShortenedDayReductionMinutes"/> from these hours).
    /// </summary>
    /// <value>The default value is <see langword="null"/>: the hours come from the weekly schedule.</value>
    public DaySchedule? Hours { get; set; }

    /// <summary>Gets or sets a human-readable name, for example «День Республики».</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public string? Name { get; set; }
}
