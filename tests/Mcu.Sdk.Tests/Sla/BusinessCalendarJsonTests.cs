using System.Text;
using System.Text.Json;
using Mcu.Sdk.Sla;

namespace Mcu.Sdk.Tests.Sla;

/// <summary>Host production calendar files: loading, merging with the embedded calendar, and clear errors.</summary>
public sealed class BusinessCalendarJsonTests
{
    private static readonly TimeSpan Moscow = TimeSpan.FromHours(3);

    // A host's file with two regional holidays of 2026 (written for this test) as a supplement to the federal calendar.
    private const string RegionalSupplement2026 = """
        {
          "formatVersion": 1,
          "description": "Региональные нерабочие дни (пример для теста)",
          "years": [
            {
              "year": 2026,
              "supplement": true,
              "sources": [ "Закон субъекта РФ о праздниках (пример)" ],
              "days": [
                { "date": "2026-03-20", "kind": "holiday", "name": "Региональный праздник" },
                { "date": "2026-05-27", "kind": "holiday", "name": "Региональный праздник" }, // trailing commas and comments are allowed
              ]
            }
          ]
        }
        """;

    [Fact]
    public void Load_RegionalSupplement_AddsHolidaysOnTopOfFederalCalendar()
    {
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(RegionalSupplement2026));
        var production = ProductionCalendar.Russia.Merge(ProductionCalendar.Load(stream));
        var calendar = BusinessCalendar.Create(new BusinessCalendarOptions { ProductionCalendar = production });

        // Thursday 19 Mar 17:00–18:00 gives 1 h; Friday 20 Mar is now a regional holiday; the second hour is Monday 23 Mar.
        Assert.Equal(
            new DateTimeOffset(2026, 3, 23, 10, 0, 0, Moscow),
            calendar.AddBusinessTime(new DateTimeOffset(2026, 3, 19, 17, 0, 0, Moscow), TimeSpan.FromHours(2)));

        // The federal days stay: 9 Jan 2026 is still the transferred day off, and the year is still fixed by decree.
        Assert.False(calendar.IsWorkingDay(new DateOnly(2026, 1, 9)));
        Assert.False(calendar.IsProvisional(2026));
        Assert.Equal(245, Enumerable.Range(0, 365).Count(d => calendar.IsWorkingDay(new DateOnly(2026, 1, 1).AddDays(d))));
    }

    [Fact]
    public void Load_SupplementForYearWithoutFullEntry_LaysOverProvisionalYear()
    {
        var production = ProductionCalendar.Parse(RegionalSupplement2026);
        Assert.True(production.IsProvisional(2026));
        var days = production.GetDays(2026);
        Assert.Contains(days, d => d.Date == new DateOnly(2026, 1, 1) && d.Kind == CalendarDayKind.Holiday);
        Assert.Contains(days, d => d.Date == new DateOnly(2026, 3, 20) && d.Kind == CalendarDayKind.Holiday);
    }

    [Fact]
    public void Merge_OfficialYear_ReplacesProvisionalYear()
    {
        // A host loads the decree for 2027 once it is published (a made-up transfer for this test).
        const string official2027 = """
            { "years": [ { "year": 2027, "provisional": false, "sources": [ "Постановление о переносе выходных дней в 2027 году (пример)" ],
              "days": [
                { "date": "2027-01-01", "kind": "holiday" },
                { "date": "2027-12-31", "kind": "dayOff", "name": "Перенесённый выходной" }
              ] } ] }
            """;
        var merged = ProductionCalendar.Russia.Merge(ProductionCalendar.Parse(official2027));
        var calendar = BusinessCalendar.Create(new BusinessCalendarOptions { ProductionCalendar = merged });

        Assert.False(calendar.IsProvisional(2027));
        Assert.False(calendar.IsWorkingDay(new DateOnly(2027, 12, 31)));
        // The provisional entries are gone with the replaced year: 22 Feb 2027 is no longer shortened.
        Assert.Equal(TimeSpan.FromHours(8), calendar.GetWorkingTime(new DateOnly(2027, 2, 22)));
        // Other years are untouched.
        Assert.Equal(TimeSpan.FromHours(7), calendar.GetWorkingTime(new DateOnly(2026, 4, 30)));
    }

    [Fact]
    public void Parse_EmbeddedFormatFields_AreExposed()
    {
        var year = ProductionCalendar.Russia.FindYear(2026)!;
        Assert.False(year.IsProvisional);
        Assert.False(year.IsSupplement);
        Assert.Equal(247, year.PublishedWorkingDays);
        Assert.Equal(1972, year.PublishedHoursAt40HourWeek);
        Assert.Equal(CalendarDayKind.DayOff, year.Days.Single(d => d.Date == new DateOnly(2026, 1, 9)).Kind);
    }

    [Theory]
    [InlineData("""{ "years": [ { "year": 2026, "days": [ { "date": "2026-02-30", "kind": "holiday" } ] } ] }""", "$.years[0].days[0].date", "not a date")]
    [InlineData("""{ "years": [ { "year": 2026, "days": [ { "date": "2025-12-31", "kind": "holiday" } ] } ] }""", "$.years[0].days[0].date", "not in the year 2026")]
    [InlineData("""{ "years": [ { "year": 2026, "days": [ { "date": "2026-03-20", "kind": "holiday" }, { "date": "2026-03-20", "kind": "dayOff" } ] } ] }""", "$.years[0].days[1].date", "more than once")]
    [InlineData("""{ "years": [ { "year": 2026, "days": [ { "date": "2026-03-20", "kind": "festival" } ] } ] }""", "$.years[0].days[0].kind", "not a day kind")]
    [InlineData("""{ "years": [ { "year": 2026, "days": [ { "date": "2026-03-20", "kind": "holiday", "workAs": "Monday" } ] } ] }""", "$.years[0].days[0].workAs", "only to working and shortened")]
    [InlineData("""{ "years": [ { "year": 2026, "days": [ { "date": "2026-03-21", "kind": "working", "workAs": "Funday" } ] } ] }""", "$.years[0].days[0].workAs", "not a day of the week")]
    [InlineData("""{ "years": [ { "year": 2026, "days": [ { "date": "2026-03-20" } ] } ] }""", "$.years[0].days[0]", "'kind' is missing")]
    [InlineData("""{ "years": [ { "year": 2026, "dayz": [] } ] }""", "$.years[0]", "unknown property 'dayz'")]
    [InlineData("""{ "years": [ { "year": 2026, "days": [] }, { "year": 2026, "days": [] } ] }""", "$.years[1]", "appears twice")]
    [InlineData("""{ "years": [ { "year": 1800, "days": [] } ] }""", "$.years[0].year", "outside the supported range")]
    [InlineData("""{ "formatVersion": 2, "years": [] }""", "$.formatVersion", "not supported")]
    [InlineData("""{ "calendar": [] }""", "$", "unknown property 'calendar'")]
    [InlineData("""{ }""", "$", "'years' is missing")]
    [InlineData("""[ ]""", "$", "expected an object but found an array")]
    [InlineData("""{ "years": [ { "year": "2026", "days": [] } ] }""", "$.years[0].year", "whole number")]
    public void Parse_InvalidDocument_ThrowsJsonExceptionNamingTheElement(string json, string path, string fragment)
    {
        var ex = Assert.Throws<JsonException>(() => ProductionCalendar.Parse(json));
        Assert.Equal(path, ex.Path);
        Assert.Contains(fragment, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_MalformedJson_ThrowsJsonException()
    {
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes("{ \"years\": [ "));
        Assert.ThrowsAny<JsonException>(() => ProductionCalendar.Load(stream));
    }

    [Fact]
    public void Create_TwoFullEntriesForOneYear_ThrowsArgumentException()
    {
        var a = new ProductionCalendarYear(2026, []);
        var b = new ProductionCalendarYear(2026, []);
        var ex = Assert.Throws<ArgumentException>(() => ProductionCalendar.Create([a, b]));
        Assert.Equal("years", ex.ParamName);
    }

    [Fact]
    public void ProductionCalendarYear_DateOutsideYear_ThrowsArgumentException()
    {
        var ex = Assert.Throws<ArgumentException>(
            () => new ProductionCalendarYear(2026, [new ProductionCalendarDay(new DateOnly(2027, 1, 1), CalendarDayKind.Holiday)]));
        Assert.Contains("2027-01-01", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ProductionCalendarDay_WorkAsOnHoliday_ThrowsArgumentException()
    {
        Assert.Throws<ArgumentException>(
            () => new ProductionCalendarDay(new DateOnly(2026, 1, 1), CalendarDayKind.Holiday, DayOfWeek.Monday));
    }

    [Fact]
    public void Create_ProgrammaticYear_WorksLikeLoadedOne()
    {
        // A host building its data in code: 2 Jan 2030 (Wednesday) declared a working day is overruled by nothing else.
        var year = new ProductionCalendarYear(2030, [new ProductionCalendarDay(new DateOnly(2030, 1, 1), CalendarDayKind.Holiday)])
        {
            Sources = ["Пример"],
        };
        var production = ProductionCalendar.Create([year]);
        Assert.False(production.IsProvisional(2030));
        Assert.Single(production.GetDays(2030));
        var calendar = BusinessCalendar.Create(new BusinessCalendarOptions { ProductionCalendar = production });
        Assert.True(calendar.IsWorkingDay(new DateOnly(2030, 1, 2)));
    }

    [Fact]
    public void Russia_ExposedLists_CannotBeModified()
    {
        // The embedded calendar is shared process-wide: its lists are read-only views, not arrays a caller could overwrite.
        var days = (IList<ProductionCalendarDay>)ProductionCalendar.Russia.GetDays(2025);
        Assert.Throws<NotSupportedException>(() => days[0] = default);
        Assert.Throws<NotSupportedException>(() => ((IList<int>)ProductionCalendar.Russia.Years)[0] = 1999);
        Assert.Throws<NotSupportedException>(() => ((IList<string>)ProductionCalendar.Russia.FindYear(2025)!.Sources).Clear());
    }
}
