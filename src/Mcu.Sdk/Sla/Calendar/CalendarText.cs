using System.Globalization;

namespace Mcu.Sdk.Sla;

/// <summary>Culture-invariant formatting of dates and times for error messages.</summary>
internal static class CalendarText
{
    internal static string Date(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    internal static string Time(TimeOnly time) =>
        time.Ticks % TimeSpan.TicksPerMinute == 0
            ? time.ToString("HH:mm", CultureInfo.InvariantCulture)
            : time.ToString("HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture);

    internal static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);
}
