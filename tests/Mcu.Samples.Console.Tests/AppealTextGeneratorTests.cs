using System.Text.RegularExpressions;
using Mcu.Samples.Console.Simulation;
using Xunit;

namespace Mcu.Samples.Console.Tests;

/// <summary>Tests of the sample's synthetic appeal generator: determinism, label mix, text quality, follow-ups and answers.</summary>
public sealed class AppealTextGeneratorTests
{
    private const int MixDraws = 20_000;

    /// <summary>The taxonomy the labels must use, written out independently of the generator.</summary>
    private static readonly (string Topic, string[] Subtopics)[] Taxonomy =
    [
        ("utilities", ["water", "hot-water", "sewage", "heating", "electricity", "gas", "flooding", "elevator", "roof", "housing-management", "capital-repair"]),
        ("roads", ["potholes", "sidewalks", "manholes", "traffic-lights", "signs-markings", "snow-ice", "storm-drain", "traffic", "parking"]),
        ("landscaping", ["trees", "green-zones", "playgrounds", "yards", "street-lighting", "parks-squares", "fountains"]),
        ("public-transport", ["schedule", "routes", "vehicles-condition", "air-conditioning", "drivers", "stops", "fares"]),
        ("waste", ["containers", "collection", "illegal-dumps", "bulky-waste", "grey-collectors"]),
        ("animals", ["stray-dogs", "wild-animals", "dead-animals", "domestic-escaped"]),
        ("healthcare", ["clinics", "ambulance", "medicines", "appointments"]),
        ("education", ["schools", "kindergartens", "school-transport", "additional-education"]),
        ("social-protection", ["benefits", "accessibility", "elderly-care", "large-families"]),
        ("public-order", ["noise", "antisocial-behaviour", "safety"]),
        ("ecology", ["air-pollution", "water-pollution", "burning", "felling"]),
        ("construction", ["illegal-construction", "construction-sites", "dilapidated-buildings"]),
        ("trade-services", ["kiosks", "shops", "consumer-rights"]),
        ("communications", ["mobile", "internet", "tv"]),
        ("culture-sport", ["sports-grounds", "events", "libraries", "culture-houses"]),
        ("public-services", ["documents", "mfc", "gosuslugi"]),
        ("employment", ["job-centre", "wage-arrears"]),
        ("cemeteries", ["upkeep", "burials"]),
        ("land-property", ["land-plots", "municipal-property", "housing-queue"]),
        ("other", []),
    ];

    /// <summary>The dangers the taxonomy calls urgent, as (topic, subtopic) pairs.</summary>
    private static readonly HashSet<(string, string?)> UrgentCapable =
    [
        ("utilities", "water"), ("utilities", "hot-water"), ("utilities", "sewage"), ("utilities", "heating"),
        ("utilities", "electricity"), ("utilities", "gas"), ("utilities", "flooding"), ("utilities", "elevator"),
        ("utilities", "roof"), ("roads", "potholes"), ("roads", "manholes"), ("roads", "traffic-lights"),
        ("roads", "storm-drain"), ("landscaping", "trees"), ("landscaping", "playgrounds"), ("landscaping", "street-lighting"),
        ("public-transport", "vehicles-condition"), ("animals", "stray-dogs"), ("animals", "wild-animals"),
        ("animals", "domestic-escaped"), ("healthcare", "ambulance"), ("public-order", "safety"), ("ecology", "burning"),
        ("construction", "construction-sites"), ("construction", "dilapidated-buildings"),
    ];

    private static readonly HashSet<string> FemaleNames =
    [
        "Ольга", "Наталья", "Елена", "Ирина", "Татьяна", "Светлана", "Анна", "Мария", "Екатерина", "Юлия", "Галина", "Людмила",
        "Марина", "Оксана", "Виктория", "Дарья", "Алина", "Валентина", "Надежда", "Любовь", "Кристина", "Анастасия", "Вера",
        "Лариса", "Карина", "Зарина",
    ];

    private static readonly Regex MasculinePastTense = new(
        @"(?<![а-яё])(звонил|сфотографировал|пробил|вызывал|отстоял|сохранил|ожидал|хотел|понял|получил)(?![а-яё])",
        RegexOptions.CultureInvariant);

    private static readonly Regex FemininePastTense = new(
        @"(?<![а-яё])(звонила|сфотографировала|пробила|вызывала|отстояла|сохранила|ожидала|хотела|поняла|получила)(?![а-яё])",
        RegexOptions.CultureInvariant);

    public static TheoryData<string> AllTopics() => [.. Taxonomy.Select(entry => entry.Topic)];

    [Fact]
    public void Topics_Always_AreTheTwentyTaxonomyCodesInOrder()
    {
        Assert.Equal(Taxonomy.Select(entry => entry.Topic), AppealTextGenerator.Topics);
    }

    [Fact]
    public void Next_SameSeed_ProducesSameSequence()
    {
        var first = new AppealTextGenerator(42);
        var second = new AppealTextGenerator(42);

        for (var i = 0; i < 500; i++)
        {
            var a = first.Next();
            var b = second.Next();
            Assert.Equal(a, b);
            Assert.Equal(first.NextFollowUp(a), second.NextFollowUp(b));
            Assert.Equal(first.NextAnswer(a, final: i % 2 == 0), second.NextAnswer(b, final: i % 2 == 0));
        }
    }

    [Fact]
    public void Next_DifferentSeeds_ProduceDifferentSequences()
    {
        var first = Draw(new AppealTextGenerator(1), 500).Select(appeal => appeal.Text).ToList();
        var second = Draw(new AppealTextGenerator(2), 500).Select(appeal => appeal.Text).ToList();

        var same = first.Zip(second).Count(pair => pair.First == pair.Second);
        Assert.True(same < 10, $"{same} of 500 texts coincide between seeds 1 and 2.");
    }

    [Fact]
    public void Next_TwoInstancesInterleaved_DoNotShareRandomness()
    {
        var sequential = Draw(new AppealTextGenerator(7), 100).ToList();

        var interleaved = new AppealTextGenerator(7);
        var other = new AppealTextGenerator(7);
        var texts = new List<GeneratedAppeal>();
        for (var i = 0; i < 100; i++)
        {
            texts.Add(interleaved.Next());
            other.Next();
            other.Next("roads");
        }

        Assert.Equal(sequential, texts);
    }

    [Fact]
    public void Next_ManyDraws_ReachEveryTopicAndSubtopicOfTheTaxonomy()
    {
        var seen = Draw(new AppealTextGenerator(3), MixDraws).Select(appeal => (appeal.Topic, appeal.Subtopic)).ToHashSet();

        foreach (var (topic, subtopics) in Taxonomy)
        {
            if (subtopics.Length == 0)
            {
                Assert.Contains((topic, (string?)null), seen);
            }

            foreach (var subtopic in subtopics)
            {
                Assert.Contains((topic, (string?)subtopic), seen);
            }
        }
    }

    [Fact]
    public void Next_ManyDraws_UseOnlyTaxonomyLabels()
    {
        var known = Taxonomy.ToDictionary(entry => entry.Topic, entry => entry.Subtopics.ToHashSet(StringComparer.Ordinal), StringComparer.Ordinal);

        foreach (var appeal in Draw(new AppealTextGenerator(4), MixDraws))
        {
            Assert.True(known.TryGetValue(appeal.Topic, out var subtopics), $"Unknown topic '{appeal.Topic}'.");
            if (appeal.Topic == "other")
            {
                Assert.Null(appeal.Subtopic);
            }
            else
            {
                Assert.NotNull(appeal.Subtopic);
                Assert.Contains(appeal.Subtopic, subtopics);
            }
        }
    }

    [Theory]
    [InlineData(11)]
    [InlineData(2024)]
    public void Next_20000Draws_TopicMixWithinTolerance(int seed)
    {
        var shares = Draw(new AppealTextGenerator(seed), MixDraws)
            .GroupBy(appeal => appeal.Topic, StringComparer.Ordinal)
            .ToDictionary(group => group.Key, group => 100.0 * group.Count() / MixDraws, StringComparer.Ordinal);

        AssertShare(shares, "utilities", 26, 1.5);
        AssertShare(shares, "roads", 18, 1.5);
        AssertShare(shares, "landscaping", 14, 1.5);
        AssertShare(shares, "waste", 12, 1.2);
        AssertShare(shares, "public-transport", 10, 1.2);
        AssertShare(shares, "animals", 4, 0.8);
        AssertShare(shares, "other", 4.9, 1.0);
        foreach (var (topic, _) in Taxonomy.Skip(6).SkipLast(1))
        {
            AssertShare(shares, topic, 0.85, 0.6);
        }
    }

    [Theory]
    [InlineData(5)]
    [InlineData(77)]
    public void Next_20000Draws_UrgentOutOfScopeAndThanksSharesWithinTolerance(int seed)
    {
        var appeals = Draw(new AppealTextGenerator(seed), MixDraws).ToList();

        var urgent = 100.0 * appeals.Count(appeal => appeal.Urgent) / MixDraws;
        var outOfScope = 100.0 * appeals.Count(appeal => appeal.OutOfScope) / MixDraws;
        var otherInScope = 100.0 * appeals.Count(appeal => appeal.Topic == "other" && !appeal.OutOfScope) / MixDraws;

        Assert.InRange(urgent, 5.0, 7.0);
        Assert.InRange(outOfScope, 2.3, 3.7);
        Assert.InRange(otherInScope, 1.3, 2.5);
    }

    [Fact]
    public void Next_OutOfScope_IsOtherWithoutSubtopicAndNeverUrgent()
    {
        var outOfScope = Draw(new AppealTextGenerator(6), MixDraws).Where(appeal => appeal.OutOfScope).ToList();

        Assert.NotEmpty(outOfScope);
        Assert.All(outOfScope, appeal =>
        {
            Assert.Equal("other", appeal.Topic);
            Assert.Null(appeal.Subtopic);
            Assert.False(appeal.Urgent);
        });
    }

    [Fact]
    public void Next_Urgent_OnlyForDangerousSubtopicsAndCoversTheMainDangers()
    {
        var urgent = Draw(new AppealTextGenerator(8), MixDraws).Where(appeal => appeal.Urgent).ToList();

        Assert.All(urgent, appeal => Assert.Contains((appeal.Topic, appeal.Subtopic), UrgentCapable));
        var kinds = urgent.Select(appeal => (appeal.Topic, appeal.Subtopic)).ToHashSet();
        Assert.Contains(("roads", (string?)"manholes"), kinds);
        Assert.Contains(("utilities", (string?)"gas"), kinds);
        Assert.Contains(("utilities", (string?)"water"), kinds);
        Assert.Contains(("utilities", (string?)"electricity"), kinds);
        Assert.Contains(("utilities", (string?)"heating"), kinds);
        Assert.Contains(("utilities", (string?)"flooding"), kinds);
        Assert.Contains(("landscaping", (string?)"trees"), kinds);
        Assert.Contains(("animals", (string?)"stray-dogs"), kinds);
        Assert.Contains(("roads", (string?)"potholes"), kinds);
    }

    [Theory]
    [MemberData(nameof(AllTopics))]
    public void NextTopic_AnyTopic_HonoursTheTopic(string topic)
    {
        var generator = new AppealTextGenerator(9);
        var expected = Taxonomy.Single(entry => entry.Topic == topic).Subtopics;

        for (var i = 0; i < 300; i++)
        {
            var appeal = generator.Next(topic);
            Assert.Equal(topic, appeal.Topic);
            if (expected.Length == 0)
            {
                Assert.Null(appeal.Subtopic);
            }
            else
            {
                Assert.Contains(appeal.Subtopic, expected);
            }
        }
    }

    [Theory]
    [InlineData("")]
    [InlineData("Utilities")]
    [InlineData("roads/potholes")]
    [InlineData("potholes")]
    public void NextTopic_UnknownCode_ThrowsArgumentException(string topic)
    {
        var generator = new AppealTextGenerator(1);

        var exception = Assert.Throws<ArgumentException>(() => generator.Next(topic));
        Assert.Equal("topic", exception.ParamName);
    }

    [Fact]
    public void NextTopic_Null_ThrowsArgumentNullException()
    {
        var generator = new AppealTextGenerator(1);

        Assert.Throws<ArgumentNullException>(() => generator.Next(null!));
    }

    [Fact]
    public void Next_Texts_AreNonEmptyRussianShortAndFullyExpanded()
    {
        foreach (var appeal in Draw(new AppealTextGenerator(10), MixDraws))
        {
            Assert.False(string.IsNullOrWhiteSpace(appeal.Text));
            Assert.True(appeal.Text.Length < 2000, $"Too long: {appeal.Text.Length} chars.");
            Assert.True(IsRussian(appeal.Text), appeal.Text);
            Assert.DoesNotContain('{', appeal.Text);
            Assert.DoesNotContain('}', appeal.Text);
            Assert.DoesNotContain("  ", appeal.Text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Next_Texts_AreVaried()
    {
        var texts = Draw(new AppealTextGenerator(12), 1000).Select(appeal => appeal.Text).ToList();

        Assert.True(texts.Distinct(StringComparer.Ordinal).Count() >= 980, "Fewer than 98 % of 1,000 texts are distinct.");
        var openings = texts.Select(text => text.Length > 12 ? text[..12] : text).Distinct(StringComparer.Ordinal).Count();
        Assert.True(openings >= 300, $"Only {openings} distinct openings in 1,000 texts.");
    }

    [Fact]
    public void Next_Texts_LookTypedByPeople()
    {
        var texts = Draw(new AppealTextGenerator(13), 5000).Select(appeal => appeal.Text).ToList();

        Assert.InRange(texts.Count(text => !text.Any(char.IsUpper)), 100, 1000);
        Assert.InRange(texts.Count(text => text.Any(char.IsSurrogate)), 200, 1500);
        Assert.InRange(texts.Count(text => text.Contains("!!!", StringComparison.Ordinal)), 100, 2500);
        Assert.InRange(texts.Count(IsGreeting), 1000, 4000);
        Assert.InRange(texts.Count(text => !text.Contains('.', StringComparison.Ordinal)), 200, 3000);
    }

    [Fact]
    public void Next_Appeals_HaveAuthorAndAddress()
    {
        string[] districts = ["Центральный", "Западный", "Карасунский", "Прикубанский"];

        foreach (var appeal in Draw(new AppealTextGenerator(14), 2000))
        {
            Assert.False(string.IsNullOrWhiteSpace(appeal.AuthorName));
            Assert.Contains(appeal.District, districts);
            Assert.StartsWith("ул. ", appeal.Street, StringComparison.Ordinal);
            Assert.Matches(@"^\d{1,3}(/\d|[АБ]|к\d)?$", appeal.House);
        }
    }

    [Fact]
    public void Next_FirstPersonVerbs_AgreeWithTheAuthorsGender()
    {
        var generator = new AppealTextGenerator(15);
        var checkedTexts = 0;
        for (var i = 0; i < MixDraws; i++)
        {
            var appeal = generator.Next();
            var text = appeal.Text.ToLowerInvariant() + " " + generator.NextFollowUp(appeal).ToLowerInvariant();
            var female = FemaleNames.Contains(appeal.AuthorName.Split(' ')[0]);
            var wrong = female ? MasculinePastTense : FemininePastTense;
            var right = female ? FemininePastTense : MasculinePastTense;
            Assert.False(wrong.IsMatch(text), $"{appeal.AuthorName}: {text}");
            checkedTexts += right.IsMatch(text) ? 1 : 0;
        }

        Assert.True(checkedTexts > 100, $"Only {checkedTexts} texts had a first-person past-tense verb.");
    }

    [Fact]
    public void NextFollowUp_AnyAppeal_ReturnsNonEmptyRussian()
    {
        var generator = new AppealTextGenerator(16);

        foreach (var appeal in Draw(new AppealTextGenerator(17), 3000))
        {
            var followUp = generator.NextFollowUp(appeal);
            Assert.False(string.IsNullOrWhiteSpace(followUp));
            Assert.True(IsRussian(followUp) || followUp.Contains("???", StringComparison.Ordinal) || followUp.Any(char.IsSurrogate), followUp);
            Assert.DoesNotContain('{', followUp);
        }
    }

    [Fact]
    public void NextAnswer_InterimAndFinal_ReturnDifferentNonEmptyRussian()
    {
        var generator = new AppealTextGenerator(18);
        var interim = new HashSet<string>(StringComparer.Ordinal);
        var final = new HashSet<string>(StringComparer.Ordinal);

        foreach (var appeal in Draw(generator, 2000))
        {
            var first = generator.NextAnswer(appeal, final: false);
            var last = generator.NextAnswer(appeal, final: true);
            foreach (var answer in (string[])[first, last])
            {
                Assert.True(IsRussian(answer), answer);
                Assert.DoesNotContain('{', answer);
                Assert.Contains(answer[^1], ".!");
            }

            interim.Add(first);
            final.Add(last);
        }

        Assert.True(interim.Count > 1000 && final.Count > 1000, "Answers are not varied enough.");
        Assert.True(interim.Intersect(final).Count() < 50, "Interim and final answers are mostly the same.");
    }

    [Fact]
    public void NextAnswer_UrgentInterim_ReportsAnEmergencyReaction()
    {
        var generator = new AppealTextGenerator(19);
        string[] emergency = ["аварийн", "срочно", "незамедлительно", "выехал"];
        var urgentCount = 0;

        foreach (var appeal in Draw(generator, MixDraws).Where(appeal => appeal.Topic != "other"))
        {
            var answer = generator.NextAnswer(appeal, final: false).ToLowerInvariant();
            var mentionsEmergency = emergency.Any(word => answer.Contains(word, StringComparison.Ordinal));
            Assert.True(mentionsEmergency == appeal.Urgent, $"Urgent={appeal.Urgent}: {answer}");
            urgentCount += appeal.Urgent ? 1 : 0;
        }

        Assert.True(urgentCount > 500);
    }

    [Fact]
    public void NextAnswer_OutOfScope_ExplainsThatTheCentreCannotHelp()
    {
        var generator = new AppealTextGenerator(20);
        string[] refusal = ["не мож", "не входит", "не входят", "не занимается", "не рассматриваются", "не публикуем", "рекомендуем обратиться"];

        foreach (var appeal in Draw(generator, MixDraws).Where(appeal => appeal.OutOfScope))
        {
            var answer = generator.NextAnswer(appeal, final: true);
            Assert.Contains(refusal, word => answer.Contains(word, StringComparison.Ordinal));
        }
    }

    [Fact]
    public void NextAnswer_SometimesAddressesTheAuthorByFirstName()
    {
        var generator = new AppealTextGenerator(21);

        var named = Draw(generator, 500).Count(appeal =>
            generator.NextAnswer(appeal, final: true).Contains(appeal.AuthorName.Split(' ')[0], StringComparison.Ordinal));

        Assert.InRange(named, 200, 400);
    }

    [Fact]
    public void NextAnswerAndFollowUp_AppealNotMadeByThisGenerator_StillWork()
    {
        var generator = new AppealTextGenerator(22);
        var foreign = new GeneratedAppeal("Запах газа", "utilities", "gas", true, false, "Пётр", "Северный", "пр. Мира", "1");
        var foreignOther = new GeneratedAppeal("Продам гараж", "other", null, false, true, "Гость", "Северный", "пр. Мира", "1");

        for (var i = 0; i < 50; i++)
        {
            Assert.True(IsRussian(generator.NextAnswer(foreign, final: false)));
            Assert.True(IsRussian(generator.NextAnswer(foreign, final: true)));
            Assert.False(string.IsNullOrWhiteSpace(generator.NextFollowUp(foreign)));
            Assert.Contains("компетенци", generator.NextAnswer(foreignOther, final: true), StringComparison.Ordinal);
            Assert.False(string.IsNullOrWhiteSpace(generator.NextFollowUp(foreignOther)));
        }
    }

    [Fact]
    public void NextAnswerAndFollowUp_InvalidAppeal_Throw()
    {
        var generator = new AppealTextGenerator(23);
        var unknownTopic = new GeneratedAppeal("Текст", "weather", null, false, false, "Анна", "Западный", "ул. Тургенева", "3");

        Assert.Throws<ArgumentNullException>(() => generator.NextAnswer(null!, final: true));
        Assert.Throws<ArgumentNullException>(() => generator.NextFollowUp(null!));
        Assert.Equal("appeal", Assert.Throws<ArgumentException>(() => generator.NextAnswer(unknownTopic, final: false)).ParamName);
        Assert.Equal("appeal", Assert.Throws<ArgumentException>(() => generator.NextFollowUp(unknownTopic)).ParamName);
    }

    private static IEnumerable<GeneratedAppeal> Draw(AppealTextGenerator generator, int count)
    {
        for (var i = 0; i < count; i++)
        {
            yield return generator.Next();
        }
    }

    private static void AssertShare(Dictionary<string, double> shares, string topic, double expected, double tolerance)
    {
        var actual = shares.GetValueOrDefault(topic);
        Assert.True(Math.Abs(actual - expected) <= tolerance, $"{topic}: {actual:F2} % instead of {expected} ± {tolerance} %.");
    }

    private static bool IsRussian(string text)
    {
        var cyrillic = text.Count(c => c is (>= 'А' and <= 'я') or 'ё' or 'Ё');
        var latin = text.Count(c => c is (>= 'A' and <= 'Z') or (>= 'a' and <= 'z'));
        return cyrillic >= 2 && cyrillic > 3 * latin;
    }

    private static bool IsGreeting(string text)
    {
        var lower = text.ToLowerInvariant();
        return lower.StartsWith("здравствуйте", StringComparison.Ordinal) || lower.StartsWith("добр", StringComparison.Ordinal)
            || lower.StartsWith("уважаем", StringComparison.Ordinal) || lower.StartsWith("здрасьте", StringComparison.Ordinal);
    }
}
