using System.Text.Json;
using Mcu.Samples.Console.Simulation;
using Mcu.Samples.Console.Tests.TestSupport;
using Mcu.Sdk.Classification;

namespace Mcu.Samples.Console.Tests;

/// <summary>End-to-end tests of <c>mcu classify</c>.</summary>
public sealed class ClassifyCommandTests : IDisposable
{
    private static readonly string[] Keys = ["id", "topic", "urgent", "outOfScope", "confidence", "department", "terms"];

    private static readonly string Input = string.Join(
        '\n',
        """{"id":"pothole","text":"На ул. Красной огромная яма на дороге, машины бьют колёса"}""",
        """{"id":"plumber","text":"Посоветуйте хорошего сантехника, пожалуйста"}""",
        """{"id":"manhole","text":"Открытый люк посреди тротуара на Северной, ребёнок чуть не упал! Срочно!"}""",
        """{"id":"water","text":"Третий день нет горячей воды в доме на Ставропольской 120"}""",
        """{"id":"empty","text":""}""");

    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Classify_Stdin_PrintsOneLineEachWithExactlyTheKeysInOrder()
    {
        var result = await McuRun.RunWithInputAsync(Input, "classify");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(5, result.Lines.Count);
        foreach (var line in result.Lines)
        {
            using var json = JsonDocument.Parse(line);
            Assert.Equal(Keys, json.RootElement.EnumerateObject().Select(p => p.Name));
            Assert.Equal(JsonValueKind.String, json.RootElement.GetProperty("topic").ValueKind);
            Assert.Equal(JsonValueKind.Number, json.RootElement.GetProperty("confidence").ValueKind);
            Assert.InRange(json.RootElement.GetProperty("confidence").GetDouble(), 0, 1);
            Assert.Equal(JsonValueKind.Array, json.RootElement.GetProperty("terms").ValueKind);
        }

        Assert.Equal(["pothole", "plumber", "manhole", "water", "empty"], result.Lines.Select(l => Parse(l).GetProperty("id").GetString()));
        Assert.Equal(string.Empty, result.Stderr);
    }

    [Fact]
    public async Task Classify_KnownTexts_DecideTopicUrgencyScopeAndDepartment()
    {
        var result = await McuRun.RunWithInputAsync(Input, "classify");
        var lines = result.Lines.Select(Parse).ToDictionary(e => e.GetProperty("id").GetString()!);

        Assert.Equal("roads", lines["pothole"].GetProperty("topic").GetString());
        Assert.Equal("transport-roads", lines["pothole"].GetProperty("department").GetString());
        Assert.False(lines["pothole"].GetProperty("urgent").GetBoolean());

        Assert.True(lines["plumber"].GetProperty("outOfScope").GetBoolean());
        Assert.Equal("none", lines["plumber"].GetProperty("department").GetString()); // rejected with the polite refusal

        Assert.True(lines["manhole"].GetProperty("urgent").GetBoolean());
        Assert.Equal("roads", lines["manhole"].GetProperty("topic").GetString());
        Assert.Contains("открытый люк", lines["manhole"].GetProperty("terms").EnumerateArray().Select(t => t.GetString()));

        Assert.Equal("utilities", lines["water"].GetProperty("topic").GetString());
        Assert.Equal("city-economy", lines["water"].GetProperty("department").GetString());

        Assert.Equal("other", lines["empty"].GetProperty("topic").GetString());
        Assert.Equal("mcu", lines["empty"].GetProperty("department").GetString()); // the centre triages what nobody matched
        Assert.Equal("""{"id":"empty","topic":"other","urgent":false,"outOfScope":false,"confidence":0.0,"department":"mcu","terms":[]}""", result.Lines[4]);
    }

    [Fact]
    public async Task Classify_InputFile_GivesTheSameLinesAsStdin()
    {
        var file = _folder.Write("texts.jsonl", Input);

        var fromFile = await McuRun.RunAsync("classify", "--input", file);
        var fromStdin = await McuRun.RunWithInputAsync(Input, "classify");

        Assert.True(fromFile.ExitCode == 0, fromFile.ToString());
        Assert.Equal(fromStdin.Stdout, fromFile.Stdout);
    }

    [Fact]
    public async Task Classify_BadLines_AreSkippedWithLineNumbersAndExitCode2()
    {
        var input = string.Join('\n', """{"id":"1","text":"Яма на дороге"}""", "not json", """{"id":"3"}""", """{"text":"без id"}""", """{"id":"5","text":"Мусор не вывозят неделю"}""");

        var result = await McuRun.RunWithInputAsync(input, "classify");

        Assert.Equal(2, result.ExitCode);
        Assert.Equal(["1", "5"], result.Lines.Select(l => Parse(l).GetProperty("id").GetString()));
        Assert.Contains("stdin:2: skipped: not a valid JSON object", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("stdin:3: skipped: missing field 'text'", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("stdin:4: skipped: missing field 'id'", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Classify_TrainWithoutModel_FailsWithExitCode1()
    {
        var history = _folder.Write("history.jsonl", """{"id":"1","text":"Яма","topic":"roads"}""");

        var result = await McuRun.RunAsync("classify", "--train", history);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("--model", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Classify_WithModel_UsesTheEnsembleSoTheModelCoversWhatTheLexiconMisses()
    {
        // Two made-up city words the lexicon cannot know; the city's own history teaches the model their topics.
        var examples = Enumerable.Range(1, 12).SelectMany(i => new[]
        {
            new LabeledText($"Глюкозавр опять сломался возле школы номер {i}, дети ждут", TopicCode.Education, null),
            new LabeledText($"Фырчалка гудит под окнами всю ночь, дом {i}, спать невозможно", TopicCode.PublicOrder, null),
        });
        var model = Path.Combine(_folder.Path, "city.model");
        NaiveBayesModel.Train(examples).SaveFile(model);
        const string input = """{"id":"1","text":"Опять этот глюкозавр"}""";

        var plain = await McuRun.RunWithInputAsync(input, "classify");
        var ensemble = await McuRun.RunWithInputAsync(input, "classify", "--model", model);

        Assert.True(ensemble.ExitCode == 0, ensemble.ToString());
        Assert.Equal("other", Parse(plain.LastLine).GetProperty("topic").GetString());
        var line = Parse(ensemble.LastLine);
        Assert.Equal(Keys, line.EnumerateObject().Select(p => p.Name));
        Assert.Equal("education", line.GetProperty("topic").GetString());
        Assert.Equal("education", line.GetProperty("department").GetString());
    }

    [Fact]
    public async Task Classify_TrainThenEvaluateThenClassify_ChainsThroughTheModelFile()
    {
        var generator = new AppealTextGenerator(seed: 3);
        var appeals = Enumerable.Range(0, 260).Select(_ => generator.Next()).ToArray();
        var history = _folder.Write("history.jsonl", [.. appeals.Take(200).Select(a => JsonSerializer.Serialize(new { text = a.Text, topic = a.Topic, subtopic = a.Subtopic }))]);
        var evaluation = _folder.Write(
            "evaluation.jsonl",
            [.. appeals.Skip(200).Select((a, i) => JsonSerializer.Serialize(new { id = "e" + i, text = a.Text, topic = a.Topic, subtopic = a.Subtopic, urgent = a.Urgent, outOfScope = a.OutOfScope }))]);
        var model = Path.Combine(_folder.Path, "models", "city.model");

        var trained = await McuRun.RunAsync("classify", "--train", history, "--model", model);
        var evaluated = await McuRun.RunAsync("classify", "--evaluate", evaluation, "--model", model);
        var classified = await McuRun.RunWithInputAsync(Input, "classify", "--model", model);

        Assert.True(trained.ExitCode == 0, trained.ToString());
        Assert.True(File.Exists(model));
        Assert.True(evaluated.ExitCode == 0, evaluated.ToString());
        Assert.NotEmpty(evaluated.Stdout);
        Assert.True(classified.ExitCode == 0, classified.ToString());
        Assert.Equal(5, classified.Lines.Count);
        Assert.All(classified.Lines, line => Assert.Equal(Keys, Parse(line).EnumerateObject().Select(p => p.Name)));

        // The rules keep deciding urgency and scope in the ensemble.
        var lines = classified.Lines.Select(Parse).ToDictionary(e => e.GetProperty("id").GetString()!);
        Assert.True(lines["manhole"].GetProperty("urgent").GetBoolean());
        Assert.True(lines["plumber"].GetProperty("outOfScope").GetBoolean());
    }

    [Fact]
    public async Task Classify_TrainOnSeveralFiles_LearnsUrgencyAndScopeFromFlaggedLinesAndCoversUnknownWords()
    {
        var generator = new AppealTextGenerator(seed: 5);
        var flagged = _folder.Write(
            "flagged.jsonl",
            [.. Enumerable.Range(0, 150).Select(_ => generator.Next()).Select(a => JsonSerializer.Serialize(new { text = a.Text, topic = a.Topic, subtopic = a.Subtopic, urgent = a.Urgent, outOfScope = a.OutOfScope }))]);
        var city = _folder.Write(
            "city.jsonl",
            [.. Enumerable.Range(1, 12).Select(i => JsonSerializer.Serialize(new { text = $"Глюкозавр опять барахлит, уже {i} раз", topic = "education", subtopic = "schools" }))]);
        var model = Path.Combine(_folder.Path, "city.model");

        var trained = await McuRun.RunAsync("classify", "--train", flagged, city, "--model", model);
        var classified = await McuRun.RunWithInputAsync("""{"id":"1","text":"Опять этот глюкозавр"}""", "classify", "--model", model);

        Assert.True(trained.ExitCode == 0, trained.ToString());
        Assert.Contains("logistic model stacked on the default lexicon's rules on 162 labelled appeals (150 with urgency and scope labels)", trained.Stdout, StringComparison.Ordinal);
        Assert.True(LogisticModel.IsModelFile(model));
        Assert.True(LogisticModel.LoadFile(model).PredictsUrgency);
        Assert.Equal("education", Parse(classified.LastLine).GetProperty("topic").GetString());
    }

    [Fact]
    public async Task Classify_TrainKindBayes_WritesANaiveBayesModelThatEvaluateReads()
    {
        var generator = new AppealTextGenerator(seed: 7);
        var appeals = Enumerable.Range(0, 120).Select(_ => generator.Next()).ToArray();
        var history = _folder.Write("history.jsonl", [.. appeals.Take(100).Select(a => JsonSerializer.Serialize(new { text = a.Text, topic = a.Topic, subtopic = a.Subtopic }))]);
        var evaluation = _folder.Write(
            "evaluation.jsonl",
            [.. appeals.Skip(100).Select((a, i) => JsonSerializer.Serialize(new { id = "e" + i, text = a.Text, topic = a.Topic, subtopic = a.Subtopic, urgent = a.Urgent, outOfScope = a.OutOfScope }))]);
        var model = Path.Combine(_folder.Path, "city.nb");

        var trained = await McuRun.RunAsync("classify", "--train", history, "--kind", "bayes", "--model", model);
        var evaluated = await McuRun.RunAsync("classify", "--evaluate", evaluation, "--model", model);
        var wrongKind = await McuRun.RunAsync("classify", "--train", history, "--kind", "forest", "--model", model);

        Assert.True(trained.ExitCode == 0, trained.ToString());
        Assert.Contains("Trained a Naive Bayes model", trained.Stdout, StringComparison.Ordinal);
        Assert.False(LogisticModel.IsModelFile(model));
        Assert.True(evaluated.ExitCode == 0, evaluated.ToString());
        Assert.Contains("(Naive Bayes)", evaluated.Stdout, StringComparison.Ordinal);
        Assert.Contains("ensemble (CV)", evaluated.Stdout, StringComparison.Ordinal);
        Assert.Equal(1, wrongKind.ExitCode);
        Assert.Contains("forest", wrongKind.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Classify_EvaluateWithoutModel_ComparesTheRulesWithTheDefaultClassifier()
    {
        var generator = new AppealTextGenerator(seed: 9);
        var evaluation = _folder.Write(
            "evaluation.jsonl",
            [.. Enumerable.Range(0, 40).Select(_ => generator.Next()).Select((a, i) => JsonSerializer.Serialize(new { id = "e" + i, text = a.Text, topic = a.Topic, subtopic = a.Subtopic, urgent = a.Urgent, outOfScope = a.OutOfScope }))]);

        var evaluated = await McuRun.RunAsync("classify", "--evaluate", evaluation);

        Assert.True(evaluated.ExitCode == 0, evaluated.ToString());
        Assert.Contains("the model shipped with the SDK (logistic, stacked on the rules)", evaluated.Stdout, StringComparison.Ordinal);
        Assert.Contains("in-sample", evaluated.Stdout, StringComparison.Ordinal);
        Assert.Matches(@"\s+rules\s+default", evaluated.Stdout);
        Assert.Contains("stacked (CV)", evaluated.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Classify_WithDamagedModel_FailsWithExitCode1()
    {
        var model = _folder.Write("broken.model", "this is not a model");

        var result = await McuRun.RunWithInputAsync("""{"id":"1","text":"Яма"}""", "classify", "--model", model);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("cannot load the model", result.Stderr, StringComparison.Ordinal);
        Assert.Equal(string.Empty, result.Stdout);
    }

    private static JsonElement Parse(string line)
    {
        using var json = JsonDocument.Parse(line);
        return json.RootElement.Clone();
    }
}
