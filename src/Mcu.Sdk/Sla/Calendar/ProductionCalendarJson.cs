using System.Globalization;
using System.Text.Json;

namespace Mcu.Sdk.Sla;

/// <summary>Reads the documented production calendar JSON format (see <c>docs/business-calendar.md</c>).</summary>
/// <remarks>
/// Hand-written over <see cref="JsonDocument"/> so that every error names the offending element and no reflection is used.
/// Comments and trailing commas are allowed; unknown properties are rejected so that typos do not go unnoticed.
/// </remarks>
internal static class ProductionCalendarJson
{
    internal const int FormatVersion = 1;

    private static readonly JsonDocumentOptions DocumentOptions = new()
    {
        AllowTrailingCommas = true,
        CommentHandling = JsonCommentHandling.Skip,
    };

    internal static ProductionCalendarYear[] Read(Stream utf8Json)
    {
        using var document = JsonDocument.Parse(utf8Json, DocumentOptions);
        return ReadRoot(document.RootElement);
    }

    internal static ProductionCalendarYear[] Read(string json)
    {
        using var document = JsonDocument.Parse(json, DocumentOptions);
        return ReadRoot(document.RootElement);
    }

    private static ProductionCalendarYear[] ReadRoot(JsonElement root)
    {
        const string path = "$";
        Expect(root, JsonValueKind.Object, path);
        JsonElement? years = null;
        foreach (var property in root.EnumerateObject())
        {
            switch (property.Name)
            {
                case "formatVersion":
                    var version = ReadInt(property.Value, "$.formatVersion");
                    if (version != FormatVersion)
                    {
                        throw Error("$.formatVersion", $"format version {CalendarText.Number(version)} is not supported; this SDK reads version {CalendarText.Number(FormatVersion)}.");
                    }

                    break;
                case "description":
                    ReadString(property.Value, "$.description");
                    break;
                case "years":
                    years = property.Value;
                    break;
                default:
                    throw UnknownProperty(path, property.Name);
            }
        }

        if (years is not { } yearsElement)
        {
            throw Error(path, "the required property 'years' is missing.");
        }

        Expect(yearsElement, JsonValueKind.Array, "$.years");
        var result = new List<ProductionCalendarYear>();
        var fullYears = new HashSet<int>();
        var index = 0;
        foreach (var yearElement in yearsElement.EnumerateArray())
        {
            var yearPath = $"$.years[{CalendarText.Number(index)}]";
            var year = ReadYear(yearElement, yearPath);
            if (!year.IsSupplement && !fullYears.Add(year.Year))
            {
                throw Error(yearPath, $"the year {CalendarText.Number(year.Year)} appears twice; a file may hold one full entry per year (plus supplements).");
            }

            result.Add(year);
            index++;
        }

        return [.. result];
    }

    private static ProductionCalendarYear ReadYear(JsonElement element, string path)
    {
        Expect(element, JsonValueKind.Object, path);
        int? year = null;
        bool provisional = false, supplement = false;
        int? publishedDays = null, publishedHours = null;
        var sources = new List<string>();
        JsonElement? days = null;
        foreach (var property in element.EnumerateObject())
        {
            var propertyPath = path + "." + property.Name;
            switch (property.Name)
            {
                case "year":
                    year = ReadInt(property.Value, propertyPath);
                    break;
                case "provisional":
                    provisional = ReadBool(property.Value, propertyPath);
                    break;
                case "supplement":
                    supplement = ReadBool(property.Value, propertyPath);
                    break;
                case "sources":
                    Expect(property.Value, JsonValueKind.Array, propertyPath);
                    var i = 0;
                    foreach (var source in property.Value.EnumerateArray())
                    {
                        sources.Add(ReadString(source, $"{propertyPath}[{CalendarText.Number(i++)}]"));
                    }

                    break;
                case "publishedWorkingDays":
                    publishedDays = ReadInt(property.Value, propertyPath);
                    if (publishedDays is < 0 or > 366)
                    {
                        throw Error(propertyPath, "must be between 0 and 366.");
                    }

                    break;
                case "publishedHoursAt40HourWeek":
                    publishedHours = ReadInt(property.Value, propertyPath);
                    if (publishedHours is < 0 or > 366 * 24)
                    {
                        throw Error(propertyPath, "must be between 0 and 8784.");
                    }

                    break;
                case "days":
                    days = property.Value;
                    break;
                default:
                    throw UnknownProperty(path, property.Name);
            }
        }

        if (year is not { } y)
        {
            throw Error(path, "the required property 'year' is missing.");
        }

        if (y is < BusinessCalendar.MinSupportedYear or > BusinessCalendar.MaxSupportedYear)
        {
            throw Error(path + ".year", $"the year {CalendarText.Number(y)} is outside the supported range {CalendarText.Number(BusinessCalendar.MinSupportedYear)}–{CalendarText.Number(BusinessCalendar.MaxSupportedYear)}.");
        }

        if (days is not { } daysElement)
        {
            throw Error(path, "the required property 'days' is missing (use an empty array for a year without entries).");
        }

        Expect(daysElement, JsonValueKind.Array, path + ".days");
        var list = new List<ProductionCalendarDay>();
        var seen = new HashSet<DateOnly>();
        var index = 0;
        foreach (var dayElement in daysElement.EnumerateArray())
        {
            var dayPath = $"{path}.days[{CalendarText.Number(index++)}]";
            var day = ReadDay(dayElement, dayPath);
            if (day.Date.Year != y)
            {
                throw Error(dayPath + ".date", $"the date {CalendarText.Date(day.Date)} is not in the year {CalendarText.Number(y)}.");
            }

            if (!seen.Add(day.Date))
            {
                throw Error(dayPath + ".date", $"the date {CalendarText.Date(day.Date)} appears more than once in the year {CalendarText.Number(y)}.");
            }

            list.Add(day);
        }

        return new ProductionCalendarYear(y, list)
        {
            IsProvisional = provisional,
            IsSupplement = supplement,
            Sources = sources,
            PublishedWorkingDays = publishedDays,
            PublishedHoursAt40HourWeek = publishedHours,
        };
    }

    private static ProductionCalendarDay ReadDay(JsonElement element, string path)
    {
        Expect(element, JsonValueKind.Object, path);
        DateOnly? date = null;
        CalendarDayKind? kind = null;
        DayOfWeek? workAs = null;
        string? name = null;
        foreach (var property in element.EnumerateObject())
        {
            var propertyPath = path + "." + property.Name;
            switch (property.Name)
            {
                case "date":
                    var text = ReadString(property.Value, propertyPath);
                    if (!DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed))
                    {
                        throw Error(propertyPath, $"'{text}' is not a date in the form yyyy-MM-dd.");
                    }

                    date = parsed;
                    break;
                case "kind":
                    kind = ParseKind(ReadString(property.Value, propertyPath), propertyPath);
                    break;
                case "workAs":
                    workAs = ParseDayOfWeek(ReadString(property.Value, propertyPath), propertyPath);
                    break;
                case "name":
                    name = ReadString(property.Value, propertyPath);
                    break;
                default:
                    throw UnknownProperty(path, property.Name);
            }
        }

        if (date is not { } d)
        {
            throw Error(path, "the required property 'date' is missing.");
        }

        if (kind is not { } k)
        {
            throw Error(path, "the required property 'kind' is missing (holiday, dayOff, working or shortened).");
        }

        if (workAs is not null && k is CalendarDayKind.Holiday or CalendarDayKind.DayOff)
        {
            throw Error(path + ".workAs", "applies only to working and shortened days.");
        }

        return new ProductionCalendarDay(d, k, workAs, name);
    }

    private static CalendarDayKind ParseKind(string text, string path)
    {
        foreach (var kind in Enum.GetValues<CalendarDayKind>())
        {
            if (string.Equals(text, kind.ToString(), StringComparison.OrdinalIgnoreCase))
            {
                return kind;
            }
        }

        throw Error(path, $"'{text}' is not a day kind; expected holiday, dayOff, working or shortened.");
    }

    private static DayOfWeek ParseDayOfWeek(string text, string path)
    {
        foreach (var day in Enum.GetValues<DayOfWeek>())
        {
            if (string.Equals(text, day.ToString(), StringComparison.OrdinalIgnoreCase))
            {
                return day;
            }
        }

        throw Error(path, $"'{text}' is not a day of the week; expected Monday … Sunday.");
    }

    private static void Expect(JsonElement element, JsonValueKind kind, string path)
    {
        if (element.ValueKind != kind)
        {
            throw Error(path, $"expected {Describe(kind)} but found {Describe(element.ValueKind)}.");
        }
    }

    private static int ReadInt(JsonElement element, string path)
    {
        if (element.ValueKind != JsonValueKind.Number || !element.TryGetInt32(out var value))
        {
            throw Error(path, "expected a whole number.");
        }

        return value;
    }

    private static bool ReadBool(JsonElement element, string path) => element.ValueKind switch
    {
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => throw Error(path, $"expected true or false but found {Describe(element.ValueKind)}."),
    };

    private static string ReadString(JsonElement element, string path)
    {
        Expect(element, JsonValueKind.String, path);
        return element.GetString()!;
    }

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        _ => "nothing",
    };

    private static JsonException UnknownProperty(string path, string name) =>
        Error(path, $"unknown property '{name}'.");

    private static JsonException Error(string path, string message) =>
        new($"Invalid production calendar JSON at '{path}': {message}", path, lineNumber: null, bytePositionInLine: null);
}
