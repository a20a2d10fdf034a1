using System.Text.Json.Serialization;

namespace Mcu.Sdk.Sla;

/// <summary>What a production calendar or a host says about one calendar date.</summary>
/// <remarks>
/// A date without an entry follows the weekly schedule. An entry replaces what the weekly schedule says
/// about that date; see <see cref="BusinessCalendar"/> for the exact rules.
/// System.Text.Json reads and writes it by name (for example <c>"Holiday"</c>).
/// </remarks>
[JsonConverter(typeof(JsonStringEnumConverter<CalendarDayKind>))]
public enum CalendarDayKind
{
    /// <summary>
    /// A non-working public holiday (нерабочий праздничный день), for example those listed in article 112 of the
    /// Labour Code of the Russian Federation or a regional holiday. No working time on this date.
    /// </summary>
    Holiday = 0,

    /// <summary>
    /// A non-working day that is not a holiday itself, for example a day off transferred by a Government decree
    /// (перенесённый выходной день). No working time on this date.
    /// </summary>
    DayOff = 1,

    /// <summary>
    /// A working day, even if the weekly schedule has no working hours on this day of the week
    /// (for example a working Saturday created by a transfer of days off).
    /// </summary>
    Working = 2,

    /// <summary>
    /// A shortened working day (предпраздничный день): a working day whose working time is reduced by
    /// <see cref="BusinessCalendarOptions.ShortenedDayReductionMinutes"/> at its end.
    /// Like <see cref="Working"/>, it is a working day even if the weekly schedule has no hours on this day of the week.
    /// </summary>
    Shortened = 3,
}
