using System.Text;
using System.Text.Json;
using Mcu.Sdk.Classification;

namespace Mcu.Sdk.Tests.Classification;

public sealed class LexiconClassifierLexiconTests
{
    [Fact]
    public void Default_CoversEveryWellKnownTopicAndIsBroad()
    {
        var lexicon = Lexicon.Default;

        foreach (var topic in TopicCode.WellKnown.Where(t => t != TopicCode.Other))
        {
            var terms = lexicon.Terms.Count(t => t.Target == topic.Value || t.Target.StartsWith(topic.Value + "/", StringComparison.Ordinal));
            Assert.True(terms >= 40, $"{topic} has only {terms} terms.");
            Assert.True(lexicon.Names.ContainsKey(topic.Value), $"{topic} has no name.");
        }

        Assert.True(lexicon.Terms.Count >= 2000, $"The default lexicon has only {lexicon.Terms.Count} terms.");
        Assert.Contains(lexicon.Terms, t => t.Target == LexiconTargets.Urgent);
        Assert.Contains(lexicon.Terms, t => t.Target == LexiconTargets.OutOfScope);
        Assert.Contains(lexicon.Terms, t => t.Target == LexiconTargets.Negation);
        Assert.Contains(lexicon.Terms, t => t.Target == LexiconTargets.Gratitude);
        Assert.Equal("подвал", lexicon.StemOverrides["подвале"]);
    }

    [Fact]
    public void Default_EveryTaxonomySubtopicHasTerms()
    {
        string[] subtopics =
        [
            "utilities/water", "utilities/hot-water", "utilities/sewage", "utilities/heating", "utilities/electricity", "utilities/gas",
            "utilities/flooding", "utilities/elevator", "utilities/roof", "utilities/housing-management", "utilities/capital-repair",
            "roads/potholes", "roads/sidewalks", "roads/manholes", "roads/traffic-lights", "roads/signs-markings", "roads/snow-ice",
            "roads/storm-drain", "roads/traffic", "roads/parking", "landscaping/trees", "landscaping/green-zones", "landscaping/playgrounds",
            "landscaping/yards", "landscaping/street-lighting", "landscaping/parks-squares", "landscaping/fountains",
            "public-transport/schedule", "public-transport/routes", "public-transport/vehicles-condition", "public-transport/air-conditioning",
            "public-transport/drivers", "public-transport/stops", "public-transport/fares", "waste/containers", "waste/collection",
            "waste/illegal-dumps", "waste/bulky-waste", "waste/grey-collectors", "animals/stray-dogs", "animals/wild-animals",
            "animals/dead-animals", "animals/domestic-escaped", "healthcare/clinics", "healthcare/ambulance", "healthcare/medicines",
            "healthcare/appointments", "education/schools", "education/kindergartens", "education/school-transport",
            "education/additional-education", "social-protection/benefits", "social-protection/accessibility", "social-protection/elderly-care",
            "social-protection/large-families", "public-order/noise", "public-order/antisocial-behaviour", "public-order/safety",
            "ecology/air-pollution", "ecology/water-pollution", "ecology/burning", "ecology/felling", "construction/illegal-construction",
            "construction/construction-sites", "construction/dilapidated-buildings", "trade-services/kiosks", "trade-services/shops",
            "trade-services/consumer-rights", "communications/mobile", "communications/internet", "communications/tv",
            "culture-sport/sports-grounds", "culture-sport/events", "culture-sport/libraries", "culture-sport/culture-houses",
            "public-services/documents", "public-services/mfc", "public-services/gosuslugi", "employment/job-centre", "employment/wage-arrears",
            "cemeteries/upkeep", "cemeteries/burials", "land-property/land-plots", "land-property/municipal-property", "land-property/housing-queue",
        ];

        foreach (var subtopic in subtopics)
        {
            Assert.True(Lexicon.Default.Terms.Count(t => t.Target == subtopic) >= 8, $"{subtopic} has fewer than 8 terms.");
        }
    }

    [Fact]
    public void Parse_FullFormat_ReadsEverySection()
    {
        var lexicon = Lexicon.Parse("""
            {
              // Comments and trailing commas are allowed.
              "description": "A city's additions",
              "stemOverrides": { "колодца": "колодц", },
              "topics": {
                "roads": {
                  "name": "Дороги",
                  "terms": { "дорога": 2 },
                  "subtopics": { "potholes": { "name": "Ямы", "terms": { "яма": 3, "stem:выбоин": 3 } } }
                },
                "city-parking": { "terms": { "платная парковка": 4 } }
              },
              "urgent": { "открытый люк": 3 },
              "outOfScope": { "word:продам": 4 },
              "negation": { "уже убрали": 1 },
              "gratitude": { "спасибо": 1 },
              "complaint": { "word:нет": 1 },
              "location": { "возле": 1 },
              "focus": { "почините": 1 }
            }
            """);

        Assert.Equal(11, lexicon.Terms.Count);
        Assert.Contains(lexicon.Terms, t => t.Text == "яма" && t.Target == "roads/potholes" && t.Weight == 3);
        Assert.Contains(lexicon.Terms, t => t.Text == "платная парковка" && t.Target == "city-parking");
        Assert.Contains(lexicon.Terms, t => t.Target == LexiconTargets.Complaint);
        Assert.Contains(lexicon.Terms, t => t.Target == LexiconTargets.Location);
        Assert.Contains(lexicon.Terms, t => t.Text == "почините" && t.Target == LexiconTargets.Focus);
        Assert.Equal("Ямы", lexicon.Names["roads/potholes"]);
        Assert.Equal("колодц", lexicon.StemOverrides["колодца"]);
    }

    [Fact]
    public void Classify_CustomTopic_IsRouted()
    {
        var lexicon = Lexicon.Default.Merge(Lexicon.Parse("""
            { "topics": { "city-parking": { "terms": { "платная парковка": 9, "паркомат": 9 } } } }
            """));
        var classifier = new LexiconClassifier(lexicon);

        var result = classifier.Classify("Паркомат на Красной не принимает карты");

        Assert.Equal("city-parking", result.Topic.Value);
    }

    [Fact]
    public void Merge_DocumentedCityExample_ChangesTheDecisions()
    {
        // The worked example of docs/classifier.md.
        var city = Lexicon.Parse("""
            {
              "topics": {
                "waste": {
                  "subtopics": { "collection": { "terms": { "ЧистоГрад": 5, "чистоград не вывозит": 7 } } }
                },
                "roads": {
                  "subtopics": { "potholes": { "terms": { "колдобоина": 4 } } }
                },
                "city-parking": {
                  "name": "Городские платные парковки",
                  "terms": { "паркомат": 6, "городская парковка": 6, "абонемент на парковку": 6 }
                },
                "animals": {
                  "subtopics": { "stray-dogs": { "terms": { "word:стая": 0 } } }
                }
              },
              "urgent": { "провалился в люк": 5 }
            }
            """, "city-terms.json");
        var before = new LexiconClassifier();
        var after = new LexiconClassifier(Lexicon.Default.Merge(city));

        Assert.Equal("city-parking", after.Classify("Паркомат на Красной не принимает карты").Topic.Value);
        Assert.Equal("Городские платные парковки", after.Lexicon.Names["city-parking"]);
        Assert.Equal("collection", after.Classify("ЧистоГрад не вывозит уже неделю").Subtopic);
        Assert.Equal("potholes", after.Classify("На Садовой огромная колдобоина").Subtopic);
        Assert.Contains(before.Classify("Стая ворон кружит").Terms, t => t.Target == "animals/stray-dogs");
        Assert.DoesNotContain(after.Classify("Стая ворон кружит").Terms, t => t.Target == "animals/stray-dogs");
    }

    [Fact]
    public void Merge_SameStemsNewWeight_OverridesTheTerm()
    {
        var host = Lexicon.Parse("""{ "urgent": { "открытого люка": 0.5 } }""");

        var merged = Lexicon.Default.Merge(host);

        Assert.DoesNotContain(merged.Terms, t => t.Target == LexiconTargets.Urgent && t.Text == "открытый люк");
        Assert.Contains(merged.Terms, t => t.Target == LexiconTargets.Urgent && t.Text == "открытого люка" && t.Weight == 0.5);
        Assert.Equal(Lexicon.Default.Terms.Count, merged.Terms.Count);
    }

    [Fact]
    public void Merge_WeightZero_RemovesTheTerm()
    {
        var baseLexicon = Lexicon.Parse("""{ "topics": { "roads": { "terms": { "яма": 3, "дорога": 2 } } } }""");
        var host = Lexicon.Parse("""{ "topics": { "roads": { "terms": { "ямы": 0 } } } }""");

        var merged = baseLexicon.Merge(host);

        Assert.Equal(["дорога"], merged.Terms.Select(t => t.Text));
        Assert.Equal(TopicCode.Other, new LexiconClassifier(merged).Classify("Большая яма").Topic);
    }

    [Fact]
    public void Merge_RemovalOfUnknownTerm_IsIgnored()
    {
        var merged = Lexicon.Parse("""{ "urgent": { "пожар": 3 } }""").Merge(Lexicon.Parse("""{ "urgent": { "наводнение": 0 } }"""));

        Assert.Single(merged.Terms);
    }

    [Fact]
    public void Merge_NewTermsAndOverrides_AreAdded()
    {
        var host = Lexicon.Parse("""
            {
              "stemOverrides": { "подвале": "" },
              "topics": { "roads": { "subtopics": { "potholes": { "name": "Ямы на дорогах", "terms": { "колдоёбина": 4 } } } } }
            }
            """);

        var merged = Lexicon.Default.Merge(host);

        Assert.Contains(merged.Terms, t => t.Text == "колдоёбина" && t.Target == "roads/potholes");
        Assert.False(merged.StemOverrides.ContainsKey("подвале"));
        Assert.Equal("Ямы на дорогах", merged.Names["roads/potholes"]);
        Assert.Equal(Lexicon.Default.Terms.Count + 1, merged.Terms.Count);
    }

    [Fact]
    public void Constructor_HostFilesInOptions_AreMergedOverTheDefault()
    {
        var path = Path.Combine(Path.GetTempPath(), $"lexicon-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, """
            {
              "topics": { "roads": { "subtopics": { "potholes": { "terms": { "яма": 0 } } } } },
              "urgent": { "гигантская воронка": 5 }
            }
            """, Encoding.UTF8);
        try
        {
            var options = new LexiconClassifierOptions();
            options.LexiconPaths.Add(path);
            var classifier = new LexiconClassifier(options);

            var result = classifier.Classify("Гигантская воронка посреди двора");

            Assert.DoesNotContain(classifier.Lexicon.Terms, t => t.Target == "roads/potholes" && t.Text == "яма");
            Assert.True(result.IsUrgent);
            Assert.Contains(result.Terms, t => t.Term == "гигантская воронка");
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Constructor_MissingHostFile_ThrowsFileNotFound()
    {
        var options = new LexiconClassifierOptions();
        options.LexiconPaths.Add(Path.Combine(Path.GetTempPath(), $"missing-{Guid.NewGuid():N}.json"));

        Assert.Throws<FileNotFoundException>(() => new LexiconClassifier(options));
    }

    [Fact]
    public void Parse_BrokenJson_ReportsLineAndPosition()
    {
        const string json = "{\n  \"urgent\": {\n    \"пожар\": 3\n    \"дым\": 2\n  }\n}";

        var exception = Assert.Throws<JsonException>(() => Lexicon.Parse(json, "city.json"));

        Assert.Contains("city.json", exception.Message, StringComparison.Ordinal);
        Assert.Contains("line 4", exception.Message, StringComparison.Ordinal);
        Assert.Equal(3, exception.LineNumber);
    }

    [Theory]
    [InlineData("""{ "topics": { "Дороги": { "terms": { "яма": 1 } } } }""", "not a valid topic code", 1)]
    [InlineData("""{ "topics": { "roads": { "subtopics": { "ямы и дыры": { "terms": { "яма": 1 } } } } } }""", "not a valid subtopic code", 1)]
    [InlineData("{\n \"urgent\": {\n  \"\": 3\n }\n}", "is empty", 3)]
    [InlineData("{\n \"urgent\": {\n  \"  \": 3\n }\n}", "is empty", 3)]
    [InlineData("{\n \"urgent\": {\n  \"!!!\": 3\n }\n}", "has no words", 3)]
    [InlineData("""{ "urgent": { "пожар": "три" } }""", "must be a number", 1)]
    [InlineData("""{ "urgent": { "пожар": 1000 } }""", "from -100 to 100", 1)]
    [InlineData("""{ "negation": { "уже убрали": -1 } }""", "cannot have a negative weight", 1)]
    [InlineData("""{ "urgnet": { "пожар": 3 } }""", "Unknown property 'urgnet'", 1)]
    [InlineData("""{ "topics": { "roads": { "term": { "яма": 3 } } } }""", "Unknown property 'term'", 1)]
    [InlineData("""{ "urgent": { "stem:": 3 } }""", "must be followed by one word", 1)]
    [InlineData("""{ "urgent": { "lemma:пожар": 3 } }""", "unknown prefix", 1)]
    [InlineData("""{ "urgent": { "один два три четыре пять шесть семь": 3 } }""", "more than 6 words", 1)]
    [InlineData("{\n \"urgent\": {\n  \"пожар\": 3,\n  \"пожары\": 2\n }\n}", "the same stems", 4)]
    [InlineData("""{ "stemOverrides": { "подвал": 5 } }""", "must be a string", 1)]
    [InlineData("""{ "stemOverrides": { "два слова": "сл" } }""", "must be one word", 1)]
    [InlineData("[]", "must be a JSON object", 1)]
    [InlineData("", "invalid JSON", 1)]
    public void Parse_InvalidLexicon_ThrowsJsonExceptionWithPosition(string json, string expected, int line)
    {
        var exception = Assert.Throws<JsonException>(() => Lexicon.Parse(json, "city.json"));

        Assert.Contains(expected, exception.Message, StringComparison.Ordinal);
        Assert.Contains($"city.json: ", exception.Message, StringComparison.Ordinal);
        Assert.Contains($"line {line}", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_StreamWithByteOrderMark_Reads()
    {
        var bytes = Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes("""{ "urgent": { "пожар": 3 } }""")).ToArray();
        using var stream = new MemoryStream(bytes);

        var lexicon = Lexicon.Load(stream);

        Assert.Single(lexicon.Terms);
    }

    [Fact]
    public void Constructor_TermsInCode_Validates()
    {
        var lexicon = new Lexicon([new LexiconTerm("прорвало трубу", "urgent", 3), new LexiconTerm("яма", "roads/potholes", 2)]);

        Assert.Equal(2, lexicon.Terms.Count);
        Assert.Throws<ArgumentException>(() => new Lexicon([new LexiconTerm("яма", "roads", 2), new LexiconTerm("ямы", "roads", 3)]));
        Assert.Throws<ArgumentException>(() => new Lexicon([new LexiconTerm("???", "roads", 2)]));
        Assert.Throws<ArgumentException>(() => new Lexicon([], new Dictionary<string, string> { ["два слова"] = "x" }));
    }

    [Theory]
    [InlineData("", "roads", 1)]
    [InlineData("яма", "Дороги", 1)]
    [InlineData("яма", "roads/", 1)]
    [InlineData("яма", "roads/ямы", 1)]
    public void LexiconTerm_InvalidTextOrTarget_ThrowsArgumentException(string text, string target, double weight)
    {
        Assert.Throws<ArgumentException>(() => new LexiconTerm(text, target, weight));
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(101)]
    public void LexiconTerm_InvalidWeight_ThrowsArgumentOutOfRange(double weight)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new LexiconTerm("яма", "roads", weight));
    }

    [Fact]
    public void LexiconTerm_NormalizesTargetAndMarksRemoval()
    {
        var term = new LexiconTerm("  яма ", "Roads/Potholes", 0);

        Assert.Equal("яма", term.Text);
        Assert.Equal("roads/potholes", term.Target);
        Assert.True(term.IsRemoval);
    }

    [Fact]
    public void Classify_ExactWordTerm_MatchesOnlyThatForm()
    {
        var lexicon = Lexicon.Parse("""{ "outOfScope": { "word:продам": 5 } }""");
        var classifier = new LexiconClassifier(lexicon);

        Assert.True(classifier.Classify("Продам гараж").IsOutOfScope);
        Assert.False(classifier.Classify("Продают просроченные продукты").IsOutOfScope);
    }
}
