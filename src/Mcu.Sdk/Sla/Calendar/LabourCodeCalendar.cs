namespace Mcu.Sdk.Sla;

/// <summary>
/// The provisional production calendar of a year without decree data: the non-working holidays of article 112 part 1 of the
/// Labour Code of the Russian Federation and the shortened pre-holiday days of its article 95.
/// </summary>
/// <remarks>
/// The weekend transfer of article 112 part 2 is not applied: the Government sets the transfers by decree every year.
/// The holiday list is the one in force since 2013 (Federal Law of 23.04.2012 No. 35-FZ); earlier years are approximations.
/// </remarks>
internal static class LabourCodeCalendar
{
    internal const string Source =
        "Предварительно: только нерабочие праздничные дни по ТК РФ, ст. 112, ч. 1 и предпраздничные дни по ТК РФ, ст. 95. "
        + "Переносы выходных (ст. 112, ч. 2 и ч. 5) устанавливаются постановлением Правительства РФ и здесь не применены.";

    private const string PreHolidayName = "Предпраздничный день";

    private static readonly (int Month, int Day, string Name)[] Holidays =
    [
        (1, 1, "Новогодние каникулы"),
        (1, 2, "Новогодние каникулы"),
        (1, 3, "Новогодние каникулы"),
        (1, 4, "Новогодние каникулы"),
        (1, 5, "Новогодние каникулы"),
        (1, 6, "Новогодние каникулы"),
        (1, 7, "Рождество Христово"),
        (1, 8, "Новогодние каникулы"),
        (2, 23, "День защитника Отечества"),
        (3, 8, "Международный женский день"),
        (5, 1, "Праздник Весны и Труда"),
        (5, 9, "День Победы"),
        (6, 12, "День России"),
        (11, 4, "День народного единства"),
    ];

    /// <summary>Builds the provisional year.</summary>
    internal static ProductionCalendarYear GetYear(int year)
    {
        var days = new List<ProductionCalendarDay>(Holidays.Length + 8);
        var holidayDates = new HashSet<DateOnly>();
        foreach (var (month, day, name) in Holidays)
        {
            var date = new DateOnly(year, month, day);
            holidayDates.Add(date);
            days.Add(new ProductionCalendarDay(date, CalendarDayKind.Holiday, name: name));
        }

        // Article 95: the working day immediately preceding a non-working holiday is one hour shorter. The data describe a
        // five-day week, so only Monday to Friday dates qualify; 31 December precedes 1 January of the next year.
        foreach (var holiday in holidayDates.Append(new DateOnly(year, 12, 31).AddDays(1)))
        {
            var eve = holiday.AddDays(-1);
            if (eve.Year == year
                && !holidayDates.Contains(eve)
                && eve.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday))
            {
                days.Add(new ProductionCalendarDay(eve, CalendarDayKind.Shortened, name: PreHolidayName));
            }
        }

        return new ProductionCalendarYear(year, days) { IsProvisional = true, Sources = [Source] };
    }
}
