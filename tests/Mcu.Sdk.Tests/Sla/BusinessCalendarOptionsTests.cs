using System.Text;
using System.Text.Json;
using Mcu.Sdk.Sla;
using Microsoft.Extensions.Configuration;

namespace Mcu.Sdk.Tests.Sla;

/// <summary>Validation of <see cref="BusinessCalendarOptions"/> and binding from JSON and configuration.</summary>
public sealed class BusinessCalendarOptionsTests
{
    private static readonly TimeSpan Moscow = TimeSpan.FromHours(3);

    [Fact]
    public void Validate_DefaultOptions_HasNoErrors()
    {
        Assert.Empty(new BusinessCalendarOptions().Validate());
    }

    [Fact]
    public void Validate_EndBeforeStart_NamesDayAndTimes()
    {
        var options = new BusinessCalendarOptions();
        options.Schedule.Friday = DaySchedule.Create(new TimeOnly(9, 0), new TimeOnly(8, 0));
        var error = Assert.Single(options.Validate());
        Assert.Contains("Schedule.Friday", error, StringComparison.Ordinal);
        Assert.Contains("End (08:00) must be after Start (09:00)", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_LunchOutsideDay_NamesTheBreak()
    {
        var options = new BusinessCalendarOptions();
        options.Schedule.Monday = DaySchedule.Create(new TimeOnly(9, 0), new TimeOnly(12, 0), new TimeOnly(13, 0), new TimeOnly(14, 0));
        var error = Assert.Single(options.Validate());
        Assert.Contains("Schedule.Monday: the lunch break 13:00–14:00 must lie inside the working hours 09:00–12:00", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_LunchWithoutEnd_AsksForBoth()
    {
        var options = new BusinessCalendarOptions();
        options.Schedule.Tuesday!.LunchEnd = null;
        Assert.Contains("set both LunchStart and LunchEnd", Assert.Single(options.Validate()), StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_LunchEndBeforeLunchStart_IsReported()
    {
        var options = new BusinessCalendarOptions();
        options.Schedule.Tuesday!.LunchEnd = new TimeOnly(12, 0);
        Assert.Contains("LunchEnd (12:00) must be after LunchStart (13:00)", Assert.Single(options.Validate()), StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_UnknownTimeZone_IsReported()
    {
        var options = new BusinessCalendarOptions { TimeZoneId = "Europe/Moskva" };
        Assert.Contains("TimeZoneId 'Europe/Moskva' is not a time zone known", Assert.Single(options.Validate()), StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_DuplicateAdditionalDates_IsReported()
    {
        var options = new BusinessCalendarOptions();
        options.AdditionalDays.Add(new CalendarDayOverride { Date = new DateOnly(2026, 3, 20), Kind = CalendarDayKind.Holiday });
        options.AdditionalDays.Add(new CalendarDayOverride { Date = new DateOnly(2026, 3, 20), Kind = CalendarDayKind.DayOff });
        Assert.Contains("AdditionalDays[1] (2026-03-20): the date appears more than once", Assert.Single(options.Validate()), StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_NoWorkingDay_IsReported()
    {
        var options = new BusinessCalendarOptions();
        foreach (var day in Enum.GetValues<DayOfWeek>())
        {
            options.Schedule.SetDay(day, null);
        }

        Assert.Contains("Schedule has no working day", Assert.Single(options.Validate()), StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_NegativeReduction_IsReported()
    {
        var options = new BusinessCalendarOptions { ShortenedDayReductionMinutes = -5 };
        Assert.Contains("ShortenedDayReductionMinutes (-5)", Assert.Single(options.Validate()), StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_HoursOnHoliday_IsReported()
    {
        var options = new BusinessCalendarOptions();
        options.AdditionalDays.Add(new CalendarDayOverride
        {
            Date = new DateOnly(2026, 3, 20),
            Kind = CalendarDayKind.Holiday,
            Hours = DaySchedule.Create(new TimeOnly(9, 0), new TimeOnly(12, 0)),
        });
        Assert.Contains("Hours apply only to Working and Shortened days", Assert.Single(options.Validate()), StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_AroundTheClock_IgnoresSchedule()
    {
        var options = new BusinessCalendarOptions { AroundTheClock = true };
        options.Schedule.Friday = DaySchedule.Create(new TimeOnly(9, 0), new TimeOnly(8, 0));
        Assert.Empty(options.Validate());
    }

    [Fact]
    public void Create_SeveralProblems_ThrowsArgumentExceptionListingAll()
    {
        var options = new BusinessCalendarOptions { TimeZoneId = "Nowhere/City", ShortenedDayReductionMinutes = 5000 };
        var ex = Assert.Throws<ArgumentException>(() => BusinessCalendar.Create(options));
        Assert.Equal("options", ex.ParamName);
        Assert.Contains("Nowhere/City", ex.Message, StringComparison.Ordinal);
        Assert.Contains("ShortenedDayReductionMinutes (5000)", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_NullOptions_ThrowsArgumentNullException()
    {
        Assert.Throws<ArgumentNullException>(() => BusinessCalendar.Create(null!));
    }

    [Fact]
    public void Create_OptionsChangedAfterwards_CalendarIsUnaffected()
    {
        var options = new BusinessCalendarOptions();
        var extra = new CalendarDayOverride { Date = new DateOnly(2025, 10, 21), Kind = CalendarDayKind.DayOff };
        options.AdditionalDays.Add(extra);
        var calendar = BusinessCalendar.Create(options);

        options.Schedule.Monday = null;
        extra.Kind = CalendarDayKind.Working;
        options.AdditionalDays.Clear();

        Assert.True(calendar.IsWorkingDay(new DateOnly(2025, 10, 20)));
        Assert.False(calendar.IsWorkingDay(new DateOnly(2025, 10, 21)));
    }

    [Fact]
    public void Deserialize_SystemTextJson_BindsScheduleAndAdditionalDays()
    {
        const string json = """
            {
              "TimeZoneId": "Asia/Vladivostok",
              "Schedule": { "Friday": { "Start": "09:00", "End": "16:45", "LunchStart": "13:00", "LunchEnd": "13:48" } },
              "AdditionalDays": [
                { "Date": "2025-10-21", "Kind": "DayOff", "Name": "Городской день отдыха" },
                { "Date": "2025-10-25", "Kind": "Working", "WorkAs": "Friday" }
              ],
              "ShortenedDayReductionMinutes": 60
            }
            """;
        var options = JsonSerializer.Deserialize<BusinessCalendarOptions>(json)!;
        var calendar = BusinessCalendar.Create(options);

        Assert.Equal("Asia/Vladivostok", calendar.TimeZone.Id);
        Assert.Equal(new TimeSpan(6, 57, 0), calendar.GetWorkingTime(new DateOnly(2025, 10, 24)));
        Assert.False(calendar.IsWorkingDay(new DateOnly(2025, 10, 21)));
        Assert.Equal(TimeSpan.FromHours(8), calendar.GetWorkingTime(new DateOnly(2025, 10, 20)));
        Assert.Equal(new TimeSpan(6, 57, 0), calendar.GetWorkingTime(new DateOnly(2025, 10, 25))); // Saturday working as Friday
    }

    [Fact]
    public void Bind_Configuration_ChangesOnlyGivenValuesOfDefaultSchedule()
    {
        const string json = """
            {
              "BusinessCalendar": {
                "TimeZoneId": "Europe/Kaliningrad",
                "Schedule": {
                  "Monday": { "IsWorkingDay": false },
                  "Friday": { "End": "16:45", "LunchEnd": "13:48" },
                  "Saturday": { "Start": "10:00", "End": "14:00" }
                },
                "AdditionalDays": [ { "Date": "2026-03-20", "Kind": "Holiday", "Name": "Региональный праздник" } ],
                "ShortenedDayReductionMinutes": 30
              }
            }
            """;
        var configuration = new ConfigurationBuilder().AddJsonStream(new MemoryStream(Encoding.UTF8.GetBytes(json))).Build();
        var options = new BusinessCalendarOptions();
        configuration.GetSection("BusinessCalendar").Bind(options);
        var calendar = BusinessCalendar.Create(options);

        Assert.Equal("Europe/Kaliningrad", calendar.TimeZone.Id);
        Assert.False(calendar.IsWorkingDay(new DateOnly(2025, 10, 20))); // Monday off
        Assert.Equal(new TimeSpan(6, 57, 0), calendar.GetWorkingTime(new DateOnly(2025, 10, 24))); // 09:00–16:45, lunch 13:00–13:48
        Assert.Equal(TimeSpan.FromHours(4), calendar.GetWorkingTime(new DateOnly(2025, 10, 25))); // Saturday 10:00–14:00, no lunch
        Assert.False(calendar.IsWorkingDay(new DateOnly(2026, 3, 20)));
        Assert.Equal(new TimeSpan(7, 30, 0), calendar.GetWorkingTime(new DateOnly(2026, 4, 30))); // shortened by 30 min only
    }

    [Fact]
    public void Create_WithoutProductionCalendar_HolidaysAreOrdinaryDays()
    {
        var calendar = BusinessCalendar.Create(new BusinessCalendarOptions { UseRussianProductionCalendar = false });
        Assert.Null(calendar.ProductionCalendar);
        Assert.False(calendar.IsProvisional(2030));
        // Thursday 1 Jan 2026 works like any Thursday.
        Assert.Equal(
            new DateTimeOffset(2026, 1, 1, 10, 0, 0, Moscow),
            calendar.AddBusinessTime(new DateTimeOffset(2025, 12, 31, 18, 0, 0, Moscow), TimeSpan.FromHours(1)));
    }
}
