using Mcu.Sdk.Classification;
using Xunit;

namespace Mcu.Sdk.Tests.Classification;

public sealed class StackedClassifierTests
{
    // A small lexicon of our own, so the tests do not depend on the tuning of the default one.
    private const string LexiconJson = """
        {
          "topics": {
            "roads": { "terms": { "яма": 3, "асфальт": 3 }, "subtopics": { "manholes": { "terms": { "люк": 3 } } } },
            "utilities": { "terms": { "вода": 3, "труба": 3 } },
            "landscaping": { "terms": { "дерево": 3 } }
          },
          "urgent": { "прорыв": 3, "открытый люк": 3 },
          "outOfScope": { "продам": 4 }
        }
        """;

    private static readonly LabeledAppeal[] Training =
    [
        new("1", "яма на дороге, асфальт разбит", TopicCode.Roads, "potholes", false, false),
        new("2", "яма у остановки, колесо пробил", TopicCode.Roads, "potholes", false, false),
        new("3", "дорогу размыло, одни колдобины", TopicCode.Roads, "potholes", false, false),
        new("4", "колдобины во дворе, машины скребут", TopicCode.Roads, "potholes", false, false),
        new("5", "открытый люк у школы, дети ходят", TopicCode.Roads, "manholes", true, false),
        new("6", "люк провалился на дороге", TopicCode.Roads, "manholes", true, false),
        new("7", "нет воды в кране третий день", TopicCode.Utilities, "water", false, false),
        new("8", "прорыв трубы, вода хлещет на улицу", TopicCode.Utilities, "water", true, false),
        new("9", "кран в подвале подтекает, сантехник не приходит", TopicCode.Utilities, "water", false, false),
        new("10", "сантехник не пришел, в кране ржавая вода", TopicCode.Utilities, "water", false, false),
        new("11", "упало дерево на машину", TopicCode.Landscaping, "trees", true, false),
        new("12", "ветка дерева висит над тротуаром", TopicCode.Landscaping, "trees", false, false),
        new("13", "спилите сухое дерево во дворе", TopicCode.Landscaping, "trees", false, false),
        new("14", "продам гараж недорого", TopicCode.Other, null, false, true),
        new("15", "продам диван, самовывоз", TopicCode.Other, null, false, true),
        new("16", "посоветуйте мастера по ремонту", TopicCode.Other, null, false, true),
        new("17", "спасибо за работу", TopicCode.Other, null, false, false),
        new("18", "добрый день", TopicCode.Other, null, false, false),
    ];

    // The training set is tiny: every word counts.
    private static readonly LogisticModelOptions Small = new() { MinFeatureCount = 1 };

    private static LexiconClassifier Rules() => new(Lexicon.Parse(LexiconJson));

    private static StackedClassifier Create(StackedClassifierOptions? options = null)
    {
        var rules = Rules();
        return new StackedClassifier(rules, LogisticModel.Train(Training, rules, Small), options);
    }

    [Fact]
    public void Classify_TrainingTexts_AreLearned()
    {
        var classifier = Create();

        foreach (var appeal in Training)
        {
            var result = classifier.Classify(appeal.Text);
            Assert.True(appeal.OutOfScope == result.IsOutOfScope, $"{appeal.Text}: scope {result}");
            Assert.True(appeal.Topic == result.Topic, $"{appeal.Text}: {result} ({result.Reason})");
        }
    }

    [Fact]
    public void Classify_WordTheLexiconLacks_IsCoveredByTheModel()
    {
        // "колдобины" and "сантехник" are not lexicon terms: only the model knows them (from a few examples, so it is
        // not very sure: the test routes what it finds likeliest).
        var classifier = Create(new StackedClassifierOptions { MinConfidence = 0.2 });

        var roads = classifier.Classify("опять колдобины");
        var water = classifier.Classify("сантехник так и не пришел");

        Assert.Equal(TopicCode.Roads, roads.Topic);
        Assert.Equal(TopicCode.Utilities, water.Topic);
        Assert.Contains(water.Terms, term => term.Term == "сантехник" && term.Target == "model:utilities" && term.Weight > 0);
        Assert.StartsWith("model: utilities", water.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Classify_ExplainsWithRuleTermsAndModelFeatures()
    {
        var result = Create().Classify("яма на дороге");

        Assert.Equal(TopicCode.Roads, result.Topic);
        Assert.Contains(result.Terms, term => term.Target == "roads" && term.Term == "яма");
        Assert.Contains(result.Terms, term => term.Target == "model:roads");
        Assert.Contains("rules roads", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Classify_OutOfScopeAndUrgent_ComeFromTheModel()
    {
        var classifier = Create();

        var advert = classifier.Classify("продам велосипед");
        var danger = classifier.Classify("прорыв трубы на улице");

        Assert.True(advert.IsOutOfScope);
        Assert.Equal(TopicCode.Other, advert.Topic);
        Assert.False(advert.IsUrgent);
        Assert.StartsWith("out of scope", advert.Reason, StringComparison.Ordinal);
        Assert.True(danger.IsUrgent);
        Assert.Equal(TopicCode.Utilities, danger.Topic);
    }

    [Fact]
    public void Classify_ModelTrainedWithoutFlags_LeavesUrgencyAndScopeToTheRules()
    {
        var rules = Rules();
        var model = LogisticModel.Train([], Training.Select(a => a.ToLabeledText()), rules);
        var classifier = new StackedClassifier(rules, model);

        Assert.False(model.PredictsUrgency);
        Assert.False(model.PredictsScope);
        Assert.Equal(0, model.FlaggedExampleCount);
        Assert.True(classifier.Classify("продам гараж").IsOutOfScope);
        Assert.True(classifier.Classify("открытый люк на дороге").IsUrgent);
    }

    [Fact]
    public void Classify_TopicTheModelNeverSaw_IsTheRules()
    {
        // A city adds a topic to its lexicon after the model was trained: the rules decide it.
        var trainedOn = Rules();
        var model = LogisticModel.Train(Training, trainedOn);
        var cityRules = new LexiconClassifier(Lexicon.Parse(LexiconJson).Merge(Lexicon.Parse("""{ "topics": { "tourism": { "terms": { "пляж": 6 } } } }""")));
        var classifier = new StackedClassifier(cityRules, model);

        var result = classifier.Classify("пляж грязный");

        Assert.False(model.Knows(new TopicCode("tourism")));
        Assert.Equal(new TopicCode("tourism"), result.Topic);
        Assert.StartsWith("rules: tourism is a topic the model was not trained on", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Classify_LowProbability_Abstains()
    {
        var classifier = Create(new StackedClassifierOptions { MinConfidence = 0.99 });

        var result = classifier.Classify("яма и вода и дерево");

        Assert.Equal(TopicCode.Other, result.Topic);
        Assert.True(ClassifierEvaluation.IsAbstention(result), result.Reason);
        Assert.Contains("below 0.99", result.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("🙂🙂🙂")]
    [InlineData("qwerty zxcv")]
    public void Classify_TextWithoutKnownWords_NeverThrows(string text)
    {
        var result = Create().Classify(text);

        Assert.NotNull(result);
        Assert.InRange(result.Confidence, 0, 1);
    }

    [Fact]
    public void Classify_VeryLongText_ReadsOnlyTheStart()
    {
        var text = "яма на дороге. " + new string('а', LogisticModel.MaxTextLength * 3);

        Assert.Equal(TopicCode.Roads, Create().Classify(text).Topic);
    }

    [Fact]
    public async Task ClassifyAsync_Cancelled_Throws()
    {
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await Create().ClassifyAsync("яма", cts.Token));
    }

    [Fact]
    public void Constructor_ChecksArgumentsAndOptions()
    {
        var rules = Rules();
        var model = LogisticModel.Train(Training, rules);

        Assert.Throws<ArgumentNullException>(() => new StackedClassifier(null!, model));
        Assert.Throws<ArgumentNullException>(() => new StackedClassifier(rules, null!));
        var error = Assert.Throws<ArgumentException>(() => new StackedClassifier(rules, model, new StackedClassifierOptions { UrgentThreshold = 2 }));
        Assert.Contains("UrgentThreshold", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Train_SameExamples_GiveTheSameModel()
    {
        var rules = Rules();
        using var first = new MemoryStream();
        using var second = new MemoryStream();

        LogisticModel.Train(Training, rules).Save(first);
        LogisticModel.Train(Training, rules).Save(second);

        Assert.Equal(first.ToArray(), second.ToArray());
    }

    [Fact]
    public void Train_ChecksArguments()
    {
        var rules = Rules();

        Assert.Throws<ArgumentException>(() => LogisticModel.Train([], rules));
        Assert.Throws<ArgumentException>(() => LogisticModel.Train([null!], rules));
        Assert.Throws<ArgumentNullException>(() => LogisticModel.Train(Training, null!));
        var error = Assert.Throws<ArgumentException>(() => LogisticModel.Train(Training, rules, new LogisticModelOptions { Epochs = 0 }));
        Assert.Contains("Epochs", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SaveAndLoad_PredictExactlyAsTheTrainedModel()
    {
        var rules = Rules();
        var model = LogisticModel.Train(Training, rules);
        using var stream = new MemoryStream();
        model.Save(stream);
        stream.Position = 0;

        var loaded = LogisticModel.Load(stream);

        Assert.Equal(model.FeatureCount, loaded.FeatureCount);
        Assert.Equal(model.Topics, loaded.Topics);
        Assert.Equal(model.ExampleCount, loaded.ExampleCount);
        var a = new StackedClassifier(rules, model);
        var b = new StackedClassifier(rules, loaded);
        foreach (var text in Training.Select(t => t.Text).Append("яма и вода"))
        {
            var x = a.Classify(text);
            var y = b.Classify(text);
            Assert.Equal(x.Topic, y.Topic);
            Assert.Equal(x.Subtopic, y.Subtopic);
            Assert.Equal(x.Confidence, y.Confidence);
            Assert.Equal(x.IsUrgent, y.IsUrgent);
            Assert.Equal(x.Terms, y.Terms);
        }
    }

    [Fact]
    public void Options_AreACopy_SoTheSavedModelCannotBeChangedThroughThem()
    {
        var model = LogisticModel.Train(Training, Rules(), Small);
        using var before = new MemoryStream();
        model.Save(before);

        model.Options.UseBigrams = true;
        model.Options.Epochs = 999;
        using var after = new MemoryStream();
        model.Save(after);

        Assert.False(model.Options.UseBigrams);
        Assert.Equal(before.ToArray(), after.ToArray());
    }

    [Fact]
    public void Load_DamagedOrForeignFiles_SayWhatIsWrong()
    {
        var rules = Rules();
        using var stream = new MemoryStream();
        LogisticModel.Train(Training, rules).Save(stream);
        var bytes = stream.ToArray();

        var truncated = Assert.Throws<InvalidDataException>(() => LogisticModel.Load(new MemoryStream(bytes[..(bytes.Length / 2)])));
        Assert.Contains("truncated", truncated.Message, StringComparison.Ordinal);
        var flipped = (byte[])bytes.Clone();
        flipped[bytes.Length / 2] ^= 0x55;
        Assert.Contains("checksum", Assert.Throws<InvalidDataException>(() => LogisticModel.Load(new MemoryStream(flipped))).Message, StringComparison.Ordinal);
        var foreign = Assert.Throws<InvalidDataException>(() => LogisticModel.Load(new MemoryStream("not a model at all, just text"u8.ToArray())));
        Assert.Contains("not a logistic model file", foreign.Message, StringComparison.Ordinal);
        var newer = (byte[])bytes.Clone();
        newer[8] = 99;
        Assert.Contains("newer", Assert.Throws<InvalidDataException>(() => LogisticModel.Load(new MemoryStream(newer))).Message, StringComparison.Ordinal);
        Assert.Contains("empty", Assert.Throws<InvalidDataException>(() => LogisticModel.Load(new MemoryStream())).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SaveFileAndLoadFile_RoundTripAndNameTheFile()
    {
        var folder = Path.Combine(Path.GetTempPath(), "mcu-stacked-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        try
        {
            var path = Path.Combine(folder, "city.model");
            var model = LogisticModel.Train(Training, Rules());
            model.SaveFile(path);

            Assert.True(LogisticModel.IsModelFile(path));
            Assert.Equal(model.FeatureCount, LogisticModel.LoadFile(path).FeatureCount);
            Assert.False(File.Exists(path + ".tmp"));
            var missing = Path.Combine(folder, "missing.model");
            Assert.Contains(missing, Assert.Throws<FileNotFoundException>(() => LogisticModel.LoadFile(missing)).Message, StringComparison.Ordinal);
            File.WriteAllText(Path.Combine(folder, "text.model"), "hello");
            Assert.False(LogisticModel.IsModelFile(Path.Combine(folder, "text.model")));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void Predict_ReadsTheSameFeaturesAsTraining()
    {
        // Prediction reads words through a cache of word forms; it must see exactly the features training saw.
        var rules = new LexiconClassifier();
        var model = LogisticModel.Default;
        var texts = ClassifierEvaluation.LoadJsonlFile(Path.Combine(AppContext.BaseDirectory, "Classification", "Data", "appeals-dev.jsonl")).Select(a => a.Text).Take(200).ToList();
        foreach (var round in new[] { 1, 2 })
        {
            foreach (var text in texts)
            {
                var classification = rules.Classify(text);
                var expected = StackedFeatures.ToList(text, classification, model.Options.UseBigrams)
                    .Select(pair => (Id: model.FeatureId(pair.Key), pair.Value))
                    .Where(pair => pair.Id >= 0)
                    .DistinctBy(pair => pair.Id)
                    .OrderBy(pair => pair.Id)
                    .ToArray();

                Assert.True(expected.SequenceEqual(model.ReadFeatures(text, classification)), $"round {round}: {text}");
            }
        }
    }

    public static TheoryData<string> AwkwardTexts => new()
    {
        "",
        "!!! ???",
        "ул. Школьная д. 5 не горит фонарь, на Садовой яма 12а",
        "voda hleshet iz truby v podjezde, musor ne vyvozjat",
        "Прорвало трубу трубу трубу в подвале подвале, вода вода вода",
        "Спасибо за уборку двора! А яму на дороге так и не заделали",
        "Открыт люк у школы №5, дети ходят рядом, срочно",
        "Продам гараж недорого, звоните",
        new string('а', 70) + " трубопроводнаяавариянаулицебезводывсёрайоне" + new string('в', 80) + " нет воды",
        "ЁЛКА упала на провода, искрят, свет моргает, ЖКХ не реагирует",
        string.Concat(Enumerable.Repeat("Яма на дороге у дома 7. ", 200)),
        string.Concat(Enumerable.Repeat("Нет горячей воды третий день. ", 140)),
    };

    [Theory]
    [MemberData(nameof(AwkwardTexts))]
    public void Classify_InOnePass_ReadsAndDecidesAsTwoPasses(string text)
    {
        var classifier = StackedClassifier.Default;
        AssertOnePassAgrees(classifier, text);

        // A city that shortens the rules' reading: longer texts take two passes, shorter ones one.
        var shortRules = new StackedClassifier(new LexiconClassifier(new LexiconClassifierOptions { MaxTextLength = 200 }), LogisticModel.Default);
        AssertOnePassAgrees(shortRules, text);
    }

    [Fact]
    public void Classify_InOnePass_ReadsAndDecidesAsTwoPasses_OnTheDevelopmentTexts()
    {
        // The single pass (the rules show the model each word's stem and each term as they classify) must read exactly the
        // features training reads and decide exactly as the two-pass path; twice, so the second round reads the word table.
        var classifier = new StackedClassifier(new LexiconClassifier(), LogisticModel.Default);
        var texts = new[] { "appeals-dev.jsonl", "appeals-dev2.jsonl" }
            .SelectMany(f => ClassifierEvaluation.LoadJsonlFile(Path.Combine(AppContext.BaseDirectory, "Classification", "Data", f)))
            .Select(a => a.Text)
            .ToList();
        foreach (var round in new[] { 1, 2 })
        {
            foreach (var text in texts)
            {
                AssertOnePassAgrees(classifier, text, $"round {round}: ");
            }
        }
    }

    [Fact]
    public void Classify_ModelWithStemPairs_TakesTwoPasses()
    {
        var model = LogisticModel.Train(Training, Rules(), new LogisticModelOptions { UseBigrams = true, MinFeatureCount = 1, PruneBelow = 0 });
        var classifier = new StackedClassifier(Rules(), model);

        Assert.Null(classifier.ReadFeaturesInOnePass("Яма на дороге"));
        Assert.Equal(classifier.ClassifyInTwoPasses("Яма на дороге").ToString(), classifier.Classify("Яма на дороге").ToString());
    }

    private static void AssertOnePassAgrees(StackedClassifier classifier, string text, string context = "")
    {
        var model = classifier.Model;
        var rules = classifier.Rules.Classify(text);
        var oneClassification = classifier.Classify(text);
        var twoClassification = classifier.ClassifyInTwoPasses(text);
        Assert.True(twoClassification.ToString() == oneClassification.ToString(), context + text);
        Assert.True(twoClassification.Terms.SequenceEqual(oneClassification.Terms), context + text);
        if (classifier.ReadFeaturesInOnePass(text) is { } onePass)
        {
            var expected = StackedFeatures.ToList(text[..Math.Min(text.Length, LogisticModel.MaxTextLength)], rules, useBigrams: false)
                .Select(pair => (Id: model.FeatureId(pair.Key), pair.Value))
                .Where(pair => pair.Id >= 0)
                .DistinctBy(pair => pair.Id)
                .OrderBy(pair => pair.Id)
                .ToArray();
            Assert.True(expected.SequenceEqual(onePass), context + text);
        }
        else
        {
            Assert.True(text.Length > Math.Min(LogisticModel.MaxTextLength, classifier.Rules.MaxTextLength), context + text);
        }
    }
}

public sealed class DefaultModelTests
{
    private static string Data(string file) => Path.Combine(AppContext.BaseDirectory, "Classification", "Data", file);

    [Fact]
    public void Default_IsReproducibleFromTheProjectsLabelledFiles()
    {
        // The shipped model is `mcu classify --train appeals-dev.jsonl appeals-dev2.jsonl appeals-train.jsonl history-train.jsonl`
        // (see docs/classifier.md): training again on the same files must give the same model.
        var flagged = new[] { "appeals-dev.jsonl", "appeals-dev2.jsonl", "appeals-train.jsonl" }.SelectMany(f => ClassifierEvaluation.LoadJsonlFile(Data(f))).ToList();
        var history = ClassifierEvaluation.LoadJsonlFile(Data("history-train.jsonl")).Select(a => a.ToLabeledText()).ToList();
        var rules = new LexiconClassifier();

        var retrained = LogisticModel.Train(flagged, history, rules);
        var shipped = LogisticModel.Default;

        Assert.Equal(shipped.ExampleCount, retrained.ExampleCount);
        Assert.Equal(shipped.FlaggedExampleCount, retrained.FlaggedExampleCount);
        Assert.Equal(shipped.Topics, retrained.Topics);
        Assert.Equal(shipped.FeatureCount, retrained.FeatureCount);
        var a = new StackedClassifier(rules, shipped);
        var b = new StackedClassifier(rules, retrained);
        var differ = flagged.Count(appeal => a.Classify(appeal.Text).ToString() != b.Classify(appeal.Text).ToString());
        Assert.True(differ == 0, $"{differ} of {flagged.Count} texts classified differently: retrain the shipped model (docs/classifier.md).");
    }

    [Fact]
    public void Default_IsTheClassifierOfAddMcu()
    {
        var services = new Microsoft.Extensions.DependencyInjection.ServiceCollection();
        services.AddMcu();
        using var provider = Microsoft.Extensions.DependencyInjection.ServiceCollectionContainerBuilderExtensions.BuildServiceProvider(services);

        var classifier = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<IAppealClassifier>(provider);

        var stacked = Assert.IsType<StackedClassifier>(classifier);
        Assert.Same(LogisticModel.Default, stacked.Model);
        Assert.True(stacked.Model.PredictsUrgency);
        Assert.True(stacked.Model.PredictsScope);
        Assert.Equal(20, stacked.Model.Topics.Count);
    }
}
