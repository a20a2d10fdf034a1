using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Mcu.Sdk.Tests.Classification;

/// <summary>
/// Validates the labelled evaluation set of citizens' appeals (<c>Classification/Data/appeals-dev.jsonl</c>,
/// the second development part <c>appeals-dev2.jsonl</c>, <c>appeals-test.jsonl</c>) and the separate training
/// file <c>history-train.jsonl</c>: format, labels, separation of the parts and the minimum counts described in
/// <c>Classification/Data/README.md</c>.
/// </summary>
public sealed partial class EvaluationSetTests
{
    private const string DevFile = "appeals-dev.jsonl";
    private const string Dev2File = "appeals-dev2.jsonl";
    private const string TestFile = "appeals-test.jsonl";
    private const string HistoryFile = "history-train.jsonl";
    private const string TrainFile = "appeals-train.jsonl";
    private const string OtherTopic = "other";

    /// <summary>The SDK taxonomy: the twenty topic codes and the subtopic codes of each.</summary>
    private static readonly Dictionary<string, string[]> Taxonomy = new(StringComparer.Ordinal)
    {
        ["utilities"] = ["water", "hot-water", "sewage", "heating", "electricity", "gas", "flooding", "elevator", "roof", "housing-management", "capital-repair"],
        ["roads"] = ["potholes", "sidewalks", "manholes", "traffic-lights", "signs-markings", "snow-ice", "storm-drain", "traffic", "parking"],
        ["landscaping"] = ["trees", "green-zones", "playgrounds", "yards", "street-lighting", "parks-squares", "fountains"],
        ["public-transport"] = ["schedule", "routes", "vehicles-condition", "air-conditioning", "drivers", "stops", "fares"],
        ["waste"] = ["containers", "collection", "illegal-dumps", "bulky-waste", "grey-collectors"],
        ["animals"] = ["stray-dogs", "wild-animals", "dead-animals", "domestic-escaped"],
        ["healthcare"] = ["clinics", "ambulance", "medicines", "appointments"],
        ["education"] = ["schools", "kindergartens", "school-transport", "additional-education"],
        ["social-protection"] = ["benefits", "accessibility", "elderly-care", "large-families"],
        ["public-order"] = ["noise", "antisocial-behaviour", "safety"],
        ["ecology"] = ["air-pollution", "water-pollution", "burning", "felling"],
        ["construction"] = ["illegal-construction", "construction-sites", "dilapidated-buildings"],
        ["trade-services"] = ["kiosks", "shops", "consumer-rights"],
        ["communications"] = ["mobile", "internet", "tv"],
        ["culture-sport"] = ["sports-grounds", "events", "libraries", "culture-houses"],
        ["public-services"] = ["documents", "mfc", "gosuslugi"],
        ["employment"] = ["job-centre", "wage-arrears"],
        ["cemeteries"] = ["upkeep", "burials"],
        ["land-property"] = ["land-plots", "municipal-property", "housing-queue"],
        [OtherTopic] = [],
    };

    /// <summary>The five biggest topics of the Krasnodar mix, which must outnumber every smaller topic in each part.</summary>
    private static readonly string[] TopFiveTopics = ["utilities", "roads", "landscaping", "public-transport", "waste"];

    private static readonly JsonSerializerOptions StrictJson = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow,
        RespectNullableAnnotations = true,
        RespectRequiredConstructorParameters = true,
    };

    /// <summary>Every line of every data file is one JSON object of the documented shape with a non-blank, trimmed text.</summary>
    /// <param name="fileName">The data file name.</param>
    [Theory]
    [InlineData(DevFile)]
    [InlineData(Dev2File)]
    [InlineData(TestFile)]
    [InlineData(HistoryFile)]
    [InlineData(TrainFile)]
    public void Parse_EveryLineOfDataFile_IsWellFormedRecord(string fileName)
    {
        var problems = new List<string>();
        var lines = File.ReadAllLines(DataPath(fileName), Encoding.UTF8);
        Assert.NotEmpty(lines);

        for (var i = 0; i < lines.Length; i++)
        {
            try
            {
                var text = fileName == HistoryFile
                    ? Deserialize<HistoryLine>(lines[i]).Text
                    : Deserialize<AppealLine>(lines[i]).Text;
                if (string.IsNullOrWhiteSpace(text) || !string.Equals(text, text.Trim(), StringComparison.Ordinal))
                {
                    problems.Add($"{fileName}:{i + 1}: blank or untrimmed text");
                }
            }
            catch (JsonException ex)
            {
                problems.Add($"{fileName}:{i + 1}: {ex.Message}");
            }
        }

        Assert.Empty(problems);
    }

    /// <summary>
    /// Ids are d#### in the development part, e#### in the second development part, t#### in the test part,
    /// w#### in the training part, and unique across all parts.
    /// </summary>
    [Fact]
    public void Ids_AcrossDevAndTestParts_AreUniqueAndCarryThePartPrefix()
    {
        var dev = LoadAppeals(DevFile);
        var dev2 = LoadAppeals(Dev2File);
        var test = LoadAppeals(TestFile);
        var train = LoadAppeals(TrainFile);

        var badDev = dev.Where(a => !DevIdPattern().IsMatch(a.Id)).Select(a => a.Id);
        var badDev2 = dev2.Where(a => !Dev2IdPattern().IsMatch(a.Id)).Select(a => a.Id);
        var badTest = test.Where(a => !TestIdPattern().IsMatch(a.Id)).Select(a => a.Id);
        var badTrain = train.Where(a => !TrainIdPattern().IsMatch(a.Id)).Select(a => a.Id);
        var duplicates = dev.Concat(dev2).Concat(test).Concat(train)
            .GroupBy(a => a.Id, StringComparer.Ordinal)
            .Where(g => g.Count() > 1)
            .Select(g => g.Key);

        Assert.Empty(badDev);
        Assert.Empty(badDev2);
        Assert.Empty(badTest);
        Assert.Empty(badTrain);
        Assert.Empty(duplicates);
    }

    /// <summary>Topics are taxonomy codes; a subtopic belongs to its topic; only "other" has no subtopic.</summary>
    /// <param name="fileName">The data file name.</param>
    [Theory]
    [InlineData(DevFile)]
    [InlineData(Dev2File)]
    [InlineData(TestFile)]
    [InlineData(HistoryFile)]
    [InlineData(TrainFile)]
    public void Labels_InDataFile_AreTaxonomyCodes(string fileName)
    {
        var labels = fileName == HistoryFile
            ? LoadHistory().Select(h => (h.Text, h.Topic, h.Subtopic)).ToList()
            : LoadAppeals(fileName).Select(a => (a.Text, a.Topic, a.Subtopic)).ToList();

        var problems = labels
            .Where(l => !IsValidLabel(l.Topic, l.Subtopic))
            .Select(l => $"{l.Topic}/{l.Subtopic ?? "null"}: {l.Text}")
            .ToList();

        Assert.Empty(problems);
    }

    /// <summary>An out-of-scope appeal is labelled "other" without a subtopic and is never urgent.</summary>
    /// <param name="fileName">The data file name.</param>
    [Theory]
    [InlineData(DevFile)]
    [InlineData(Dev2File)]
    [InlineData(TestFile)]
    [InlineData(TrainFile)]
    public void OutOfScopeLines_InPart_AreOtherWithoutSubtopicAndNotUrgent(string fileName)
    {
        var problems = LoadAppeals(fileName)
            .Where(a => a.OutOfScope && (a.Topic != OtherTopic || a.Subtopic is not null || a.Urgent))
            .Select(a => a.Id)
            .ToList();

        Assert.Empty(problems);
    }

    /// <summary>No text appears twice in one file, in two parts, or in a part and the history training file.</summary>
    [Fact]
    public void Texts_AcrossDevTestAndHistory_NeverRepeat()
    {
        var sources = LoadAppeals(DevFile).Select(a => (File: DevFile, a.Text))
            .Concat(LoadAppeals(Dev2File).Select(a => (File: Dev2File, a.Text)))
            .Concat(LoadAppeals(TestFile).Select(a => (File: TestFile, a.Text)))
            .Concat(LoadHistory().Select(h => (File: HistoryFile, h.Text)))
            .Concat(LoadAppeals(TrainFile).Select(a => (File: TrainFile, a.Text)));

        var repeated = sources
            .GroupBy(s => Normalize(s.Text), StringComparer.Ordinal)
            .Where(g => g.Count() > 1)
            .Select(g => $"{string.Join(", ", g.Select(s => s.File))}: {g.First().Text}")
            .ToList();

        Assert.Empty(repeated);
    }

    /// <summary>
    /// Each part meets the minimums: total lines, every topic at least six times, every subtopic at least once,
    /// the top-five topics above every smaller topic, at least 40 urgent and 25 out-of-scope lines.
    /// </summary>
    /// <param name="fileName">The data file name.</param>
    /// <param name="minimumLines">The minimum number of lines of the part.</param>
    [Theory]
    [InlineData(DevFile, 300)]
    [InlineData(Dev2File, 600)]
    [InlineData(TestFile, 250)]
    [InlineData(TrainFile, 1500)]
    public void Counts_InPart_MeetTheMinimums(string fileName, int minimumLines)
    {
        var appeals = LoadAppeals(fileName);
        var perTopic = Taxonomy.Keys.ToDictionary(t => t, t => appeals.Count(a => a.Topic == t), StringComparer.Ordinal);

        Assert.True(appeals.Count >= minimumLines, $"{fileName}: {appeals.Count} lines, expected at least {minimumLines}.");
        Assert.Empty(perTopic.Where(p => p.Value < 6).Select(p => $"{p.Key}={p.Value}"));
        Assert.Empty(MissingSubtopics(appeals.Select(a => (a.Topic, a.Subtopic))));

        var smallestTop = TopFiveTopics.Min(t => perTopic[t]);
        var largestRest = perTopic.Where(p => p.Key != OtherTopic && !TopFiveTopics.Contains(p.Key)).Max(p => p.Value);
        Assert.True(smallestTop > largestRest, $"{fileName}: a top-five topic has {smallestTop} lines, a smaller topic has {largestRest}.");

        var urgent = appeals.Count(a => a.Urgent);
        var outOfScope = appeals.Count(a => a.OutOfScope);
        Assert.True(urgent >= 40, $"{fileName}: {urgent} urgent lines, expected at least 40.");
        Assert.True(outOfScope >= 25, $"{fileName}: {outOfScope} out-of-scope lines, expected at least 25.");
    }

    /// <summary>The history training file has at least 600 lines and covers every topic and subtopic.</summary>
    [Fact]
    public void History_TrainingFile_HasEnoughLinesAndCoversTheTaxonomy()
    {
        var history = LoadHistory();

        Assert.True(history.Count >= 600, $"{history.Count} history lines, expected at least 600.");
        Assert.Empty(Taxonomy.Keys.Except(history.Select(h => h.Topic), StringComparer.Ordinal));
        Assert.Empty(MissingSubtopics(history.Select(h => (h.Topic, h.Subtopic))));
    }

    private static bool IsValidLabel(string topic, string? subtopic) =>
        Taxonomy.TryGetValue(topic, out var subtopics) &&
        (topic == OtherTopic ? subtopic is null : subtopic is not null && subtopics.Contains(subtopic, StringComparer.Ordinal));

    private static List<string> MissingSubtopics(IEnumerable<(string Topic, string? Subtopic)> labels)
    {
        var present = labels.Select(l => $"{l.Topic}/{l.Subtopic}").ToHashSet(StringComparer.Ordinal);
        return Taxonomy
            .SelectMany(t => t.Value.Select(s => $"{t.Key}/{s}"))
            .Where(label => !present.Contains(label))
            .ToList();
    }

    /// <summary>Lower case (invariant), ё folded to е, runs of white space collapsed: the form used to detect repeats.</summary>
    private static string Normalize(string text)
    {
        var words = text.ToLower(CultureInfo.InvariantCulture).Replace('ё', 'е')
            .Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        return string.Join(' ', words);
    }

    private static string DataPath(string fileName) =>
        Path.Combine(AppContext.BaseDirectory, "Classification", "Data", fileName);

    private static List<AppealLine> LoadAppeals(string fileName) =>
        File.ReadAllLines(DataPath(fileName), Encoding.UTF8).Select(Deserialize<AppealLine>).ToList();

    private static List<HistoryLine> LoadHistory() =>
        File.ReadAllLines(DataPath(HistoryFile), Encoding.UTF8).Select(Deserialize<HistoryLine>).ToList();

    private static T Deserialize<T>(string line)
        where T : class =>
        JsonSerializer.Deserialize<T>(line, StrictJson) ?? throw new JsonException("The line is the JSON literal null.");

    [GeneratedRegex("^d[0-9]{4}$", RegexOptions.CultureInvariant)]
    private static partial Regex DevIdPattern();

    [GeneratedRegex("^t[0-9]{4}$", RegexOptions.CultureInvariant)]
    private static partial Regex TestIdPattern();

    [GeneratedRegex("^e[0-9]{4}$", RegexOptions.CultureInvariant)]
    private static partial Regex Dev2IdPattern();

    [GeneratedRegex("^w[0-9]{4}$", RegexOptions.CultureInvariant)]
    private static partial Regex TrainIdPattern();

    /// <summary>One line of the development or test part.</summary>
    /// <param name="Id">The id: d#### (development), e#### (second development part) or t#### (test).</param>
    /// <param name="Text">The appeal text as the citizen wrote it.</param>
    /// <param name="Topic">The topic code.</param>
    /// <param name="Subtopic">The subtopic code, or <see langword="null"/> for topic "other".</param>
    /// <param name="Urgent">Whether the appeal reports a danger needing immediate reaction.</param>
    /// <param name="OutOfScope">Whether the request is not the administration's business.</param>
    private sealed record AppealLine(string Id, string Text, string Topic, string? Subtopic, bool Urgent, bool OutOfScope);

    /// <summary>One line of the history training file.</summary>
    /// <param name="Text">The appeal text.</param>
    /// <param name="Topic">The topic code.</param>
    /// <param name="Subtopic">The subtopic code, or <see langword="null"/> for topic "other".</param>
    private sealed record HistoryLine(string Text, string Topic, string? Subtopic);
}
