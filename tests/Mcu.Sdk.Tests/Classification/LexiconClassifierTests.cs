using Mcu.Sdk.Classification;

namespace Mcu.Sdk.Tests.Classification;

public sealed class LexiconClassifierTests
{
    private static readonly LexiconClassifier Classifier = new();

    [Theory]
    [InlineData("На улице Ленина огромная яма, машины бьют колёса", "roads", "potholes")]
    [InlineData("Третий день нет горячей воды в доме 5 по улице Мира", "utilities", "hot-water")]
    [InlineData("Мусор не вывозят уже неделю, контейнеры переполнены", "waste", "collection")]
    [InlineData("Автобус 25 ходит раз в час, расписание не соблюдается", "public-transport", "schedule")]
    [InlineData("Во дворе не горят фонари, вечером темно", "landscaping", "street-lighting")]
    [InlineData("Стая бродячих собак бегает возле школы", "animals", "stray-dogs")]
    [InlineData("Не могу записаться к врачу, талонов нет", "healthcare", "appointments")]
    [InlineData("Очередь в детский сад третий год не двигается", "education", "kindergartens")]
    public void Classify_TypicalAppeal_ReturnsTopicAndSubtopic(string text, string topic, string subtopic)
    {
        var result = Classifier.Classify(text);

        Assert.Equal(topic, result.Topic.Value);
        Assert.Equal(subtopic, result.Subtopic);
        Assert.False(result.IsOutOfScope);
        Assert.InRange(result.Confidence, 0.3, 1);
    }

    [Fact]
    public void Classify_PhraseAndItsWord_PhraseConsumesTheWord()
    {
        // "детская площадка" is a playground; its word "площадка" alone must not count again.
        var result = Classifier.Classify("Во дворе детская площадка, на ней качели висят на одной цепи");

        Assert.Equal("landscaping", result.Topic.Value);
        Assert.Equal("playgrounds", result.Subtopic);
        Assert.Contains(result.Terms, t => t.Term == "детская площадка");
        Assert.DoesNotContain(result.Terms, t => t.Term == "площадка");
    }

    [Fact]
    public void Classify_PhraseInOtherWordOrder_Matches()
    {
        var result = Classifier.Classify("Люк открыт уже неделю, Садовая 3");

        Assert.Contains(result.Terms, t => t.Term == "открытый люк" && t.Target == LexiconTargets.Urgent);
        Assert.Contains(result.Terms, t => t.Term == "открытый люк" && t.Target == "roads/manholes");
        Assert.True(result.IsUrgent);
        Assert.Equal("roads", result.Topic.Value);
    }

    [Fact]
    public void Classify_PhraseWithWordsInDifferentSentences_DoesNotMatch()
    {
        var result = Classifier.Classify("Вчера открыли новый магазин. Люк на дороге закрыт.");

        Assert.DoesNotContain(result.Terms, t => t.Term == "открытый люк");
        Assert.False(result.IsUrgent);
    }

    [Fact]
    public void Classify_PhraseBeatsWordsOfAnotherTopic_ContainerSiteIsWaste()
    {
        var result = Classifier.Classify("Контейнерная площадка завалена, площадка не убирается");

        Assert.Equal("waste", result.Topic.Value);
        Assert.Equal("containers", result.Subtopic);
    }

    [Theory]
    [InlineData("Водитель автобуса нахамил пассажирам", "вод")]
    [InlineData("Газон во дворе вытоптали машинами", "газ")]
    [InlineData("На перекрёстке сломался светофор", "свет")]
    public void Classify_ShortStem_MatchesOnlyExactStem(string text, string shortStem)
    {
        var lexicon = Lexicon.Parse($$"""{ "topics": { "test": { "terms": { "stem:{{shortStem}}": 5 } } } }""");
        var classifier = new LexiconClassifier(lexicon);

        var result = classifier.Classify(text);

        Assert.DoesNotContain(result.Terms, t => t.Target == "test");
        Assert.Equal(TopicCode.Other, result.Topic);
    }

    [Theory]
    [InlineData("Третий день нет воды", "utilities", "water")]
    [InlineData("В подъезде пахнет газом", "utilities", "gas")]
    [InlineData("Третий день нет света во всём доме", "utilities", "electricity")]
    public void Classify_ShortStemInItsOwnForms_Matches(string text, string topic, string subtopic)
    {
        var result = Classifier.Classify(text);

        Assert.Equal(topic, result.Topic.Value);
        Assert.Equal(subtopic, result.Subtopic);
    }

    [Fact]
    public void Classify_ShortStemsWithDefaultLexicon_DoNotLeakIntoLongerWords()
    {
        var driver = Classifier.Classify("Водитель маршрутки хамит и курит в салоне");
        var lawn = Classifier.Classify("Машины паркуются на газоне, весь газон в колеях");
        var trafficLight = Classifier.Classify("Светофор на перекрёстке мигает жёлтым третий день");

        Assert.Equal("public-transport", driver.Topic.Value);
        Assert.DoesNotContain(driver.Terms, t => t.Target == "utilities/water");
        Assert.DoesNotContain(lawn.Terms, t => t.Target == "utilities/gas");
        Assert.Equal("roads", trafficLight.Topic.Value);
        Assert.Equal("traffic-lights", trafficLight.Subtopic);
        Assert.DoesNotContain(trafficLight.Terms, t => t.Target == "utilities/electricity");
    }

    [Theory]
    [InlineData("подвале")]
    [InlineData("подвал")]
    [InlineData("подвалом")]
    public void Classify_StemOverride_JoinsFormsTheStemmerSplits(string form)
    {
        // Snowball stems "подвал" to "подва" but "подвале" to "подвал"; the override table joins them.
        var lexicon = Lexicon.Parse("""
            {
              "stemOverrides": { "подвал": "подвал" },
              "topics": { "utilities": { "terms": { "подвал": 3 } } }
            }
            """);
        var classifier = new LexiconClassifier(lexicon);

        var result = classifier.Classify($"Вода стоит в {form} неделю");

        Assert.Equal("utilities", result.Topic.Value);
    }

    [Fact]
    public void Classify_WithoutStemOverride_FormsOfBasementDoNotMatch()
    {
        var lexicon = Lexicon.Parse("""{ "topics": { "utilities": { "terms": { "подвал": 3 } } } }""");
        var classifier = new LexiconClassifier(lexicon);

        var result = classifier.Classify("Вода стоит в подвале неделю");

        Assert.Equal(TopicCode.Other, result.Topic);
    }

    [Theory]
    [InlineData("Прорвало трубу в подвале, вода хлещет")]
    [InlineData("В подъезде сильно пахнет газом")]
    [InlineData("Искрят провода на столбе у дома 5")]
    [InlineData("Открытый люк на тротуаре у школы")]
    [InlineData("Упало дерево на машины во дворе")]
    [InlineData("Бешеная лиса бросается на людей")]
    [InlineData("Нет отопления, на улице мороз минус 20")]
    [InlineData("Провал асфальта посреди дороги, машина провалилась колесом")]
    [InlineData("Пожар в соседнем доме, дым валит из окон")]
    [InlineData("Затопило квартиру ливнем, вода в квартиры первого этажа")]
    public void Classify_Danger_IsUrgent(string text)
    {
        var result = Classifier.Classify(text);

        Assert.True(result.IsUrgent, result.ToString());
        Assert.Contains(result.Terms, t => t.Target == LexiconTargets.Urgent && t.Weight > 0);
    }

    [Theory]
    [InlineData("Фонарь во дворе не горит уже месяц")]
    [InlineData("Яма на дороге у дома 3, объезжаем по тротуару")]
    [InlineData("Когда отремонтируют детскую площадку?")]
    public void Classify_OrdinaryProblem_IsNotUrgent(string text)
    {
        var result = Classifier.Classify(text);

        Assert.False(result.IsUrgent, result.ToString());
    }

    [Theory]
    [InlineData("Яму на Садовой уже заделали, вопрос решен")]
    [InlineData("Мусор уже вывезли")]
    [InlineData("Кран больше не течёт")]
    public void Classify_Negation_ProblemIsNotRouted(string text)
    {
        var result = Classifier.Classify(text);

        Assert.Equal(TopicCode.Other, result.Topic);
        Assert.False(result.IsUrgent);
        Assert.Contains(result.Terms, t => t.Target == LexiconTargets.Negation);
    }

    [Fact]
    public void Classify_NegationCueAfterNe_IsNoNegation()
    {
        var result = Classifier.Classify("Мусор так и не вывезли, контейнеры переполнены");

        Assert.Equal("waste", result.Topic.Value);
        Assert.DoesNotContain(result.Terms, t => t.Target == LexiconTargets.Negation);
    }

    [Fact]
    public void Classify_NotAskingForOneThing_RoutesTheOther()
    {
        var result = Classifier.Classify("Я не прошу ремонтировать дорогу. Просто уберите свалку мусора за гаражами");

        Assert.Equal("waste", result.Topic.Value);
        Assert.Contains(result.Terms, t => t.Target == LexiconTargets.Negation && t.Term == "не прошу");
    }

    [Fact]
    public void Classify_UrgencyCueInSolvedSentence_IsNotUrgent()
    {
        var result = Classifier.Classify("Упавшее дерево уже убрали, спасибо");

        Assert.False(result.IsUrgent);
        Assert.Equal(TopicCode.Other, result.Topic);
    }

    [Theory]
    [InlineData("Спасибо большое, люк закрыли за один день!")]
    [InlineData("Выражаю благодарность коммунальщикам за быстрый ремонт трубы")]
    [InlineData("Благодарю за помощь с фонарём, теперь светло во дворе")]
    [InlineData("Огромное спасибо, дерево убрали, провода починили")]
    public void Classify_Gratitude_IsOtherAndNotUrgent(string text)
    {
        var result = Classifier.Classify(text);

        Assert.Equal(TopicCode.Other, result.Topic);
        Assert.False(result.IsUrgent);
        Assert.False(result.IsOutOfScope);
        Assert.Contains(result.Terms, t => t.Target == LexiconTargets.Gratitude);
        Assert.StartsWith("gratitude", result.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Спасибо за ямы! Уже год не можем проехать по Садовой, все колёса разбиты")]
    [InlineData("Спасибо за ямы на Уральской, когда их наконец заделают?")]
    public void Classify_SarcasticGratitudeWithComplaint_StaysRoads(string text)
    {
        var result = Classifier.Classify(text);

        Assert.Equal("roads", result.Topic.Value);
        Assert.Equal("potholes", result.Subtopic);
    }

    [Fact]
    public void Classify_ThanksInAdvanceWithProblem_IsRouted()
    {
        var result = Classifier.Classify("Здравствуйте! У нас третий день нет воды. Заранее спасибо");

        Assert.Equal("utilities", result.Topic.Value);
        Assert.Equal("water", result.Subtopic);
    }

    [Theory]
    [InlineData("Посоветуйте хорошего сантехника, нужно поменять смеситель")]
    [InlineData("Продам дрова колотые, доставка по району")]
    [InlineData("Ищу работу водителем, опыт 10 лет")]
    [InlineData("Отдам котят в добрые руки")]
    [InlineData("Сдам 1к квартиру на длительный срок")]
    public void Classify_OutOfScope_IsOtherAndOutOfScope(string text)
    {
        var result = Classifier.Classify(text);

        Assert.True(result.IsOutOfScope, result.ToString());
        Assert.Equal(TopicCode.Other, result.Topic);
        Assert.Null(result.Subtopic);
        Assert.False(result.IsUrgent);
        Assert.Contains(result.Terms, t => t.Target == LexiconTargets.OutOfScope);
        Assert.StartsWith("out of scope", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Classify_AskingWhereToComplain_IsNotOutOfScope()
    {
        var result = Classifier.Classify("Подскажите, куда обратиться: управляющая компания не убирает подъезд");

        Assert.False(result.IsOutOfScope);
        Assert.Equal("utilities", result.Topic.Value);
    }

    [Fact]
    public void Classify_Explanation_ListsTermsWithTargetsAndWeights()
    {
        var result = Classifier.Classify("Открытый люк на дороге, крышки нет");

        Assert.Equal("roads", result.Topic.Value);
        Assert.Equal("manholes", result.Subtopic);
        Assert.True(result.IsUrgent);
        Assert.Null(result.Reason);
        Assert.Contains(result.Terms, t => t.Target == "roads/manholes" && t.Weight > 0);
        Assert.Contains(result.Terms, t => t.Target == "urgent" && t.Weight >= 3);
        Assert.Contains(result.Terms, t => t.Target == "roads" && t.Weight > 0);
        Assert.All(result.Terms, t => Assert.False(string.IsNullOrWhiteSpace(t.Term)));
    }

    [Fact]
    public void Classify_WeakEvidence_AbstainsWithReason()
    {
        var options = new LexiconClassifierOptions { AbstainThreshold = 50 };
        var classifier = new LexiconClassifier(Lexicon.Default, options);

        var result = classifier.Classify("На дороге яма");

        Assert.Equal(TopicCode.Other, result.Topic);
        Assert.Null(result.Subtopic);
        Assert.Matches(@"^abstained: best topic roads scored [\d.]+ below threshold 50\.$", result.Reason);
        Assert.Contains(result.Terms, t => t.Target == "roads/potholes");
    }

    [Fact]
    public void Classify_NoKnownWords_AbstainsWithReason()
    {
        var result = Classifier.Classify("Привет, как дела?");

        Assert.Equal(TopicCode.Other, result.Topic);
        Assert.Equal("abstained: no topic terms matched.", result.Reason);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   \n\t ")]
    [InlineData("🙂🙂🙂🔥🔥")]
    [InlineData("!!!???...")]
    [InlineData("\uD83D")]
    [InlineData("12345 678/9")]
    public void Classify_TextWithoutWords_ReturnsOtherWithoutThrowing(string text)
    {
        var result = Classifier.Classify(text);

        Assert.Equal(TopicCode.Other, result.Topic);
        Assert.False(result.IsUrgent);
        Assert.NotNull(result.Reason);
    }

    [Fact]
    public void Classify_HugeText_DoesNotThrow()
    {
        var text = string.Concat(Enumerable.Repeat("Яма на дороге, прорвало трубу! 🙂 ", 50_000));

        var result = Classifier.Classify(text);

        // The burst pipe is the urgent problem, so it is the main one.
        Assert.Equal("utilities", result.Topic.Value);
        Assert.True(result.IsUrgent);
    }

    [Fact]
    public void Classify_LongWordsAndMixedScripts_DoNotThrow()
    {
        var text = new string('я', 10_000) + " пoдъезд грязный " + new string('x', 300) + " wi-fi 5G ё́ Ё";

        var result = Classifier.Classify(text);

        Assert.NotNull(result);
    }

    [Fact]
    public void Classify_NullString_Throws()
    {
        Assert.Throws<ArgumentNullException>(() => Classifier.Classify((string)null!));
    }

    [Fact]
    public async Task ClassifyAsync_SameAsClassify()
    {
        const string text = "Не вывозят мусор с площадки на Садовой";

        var result = await Classifier.ClassifyAsync(text);

        var expected = Classifier.Classify(text);
        Assert.Equal(expected.Topic, result.Topic);
        Assert.Equal(expected.Subtopic, result.Subtopic);
        Assert.Equal(expected.Terms, result.Terms);
    }

    [Fact]
    public async Task ClassifyAsync_Cancelled_Throws()
    {
        using var cancellation = new CancellationTokenSource();
        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Classifier.ClassifyAsync("яма", cancellation.Token).AsTask());
    }

    [Fact]
    public void Classify_SpanAndString_Agree()
    {
        const string text = "Сосульки свисают с крыши над входом в подъезд";

        var fromString = Classifier.Classify(text);
        var fromSpan = Classifier.Classify(text.AsSpan());

        Assert.Equal(fromString.Topic, fromSpan.Topic);
        Assert.Equal(fromString.Terms, fromSpan.Terms);
    }

    [Fact]
    public void Classify_ParallelCallsOnOneInstance_GiveTheSameResults()
    {
        string[] texts =
        [
            "Яма на дороге у дома 5",
            "Нет горячей воды третий день",
            "Спасибо, мусор уже вывезли",
            "Продам гараж",
            "Бродячие собаки покусали ребёнка",
            string.Concat(Enumerable.Repeat("длинный текст про отопление и батареи ", 200)),
        ];
        var expected = texts.Select(t => Classifier.Classify(t).ToString()).ToArray();
        var failures = 0;

        Parallel.For(0, 4000, i =>
        {
            var index = i % texts.Length;
            if (Classifier.Classify(texts[index]).ToString() != expected[index])
            {
                Interlocked.Increment(ref failures);
            }
        });

        Assert.Equal(0, failures);
    }

    [Fact]
    public void Constructor_NullOptions_Throws()
    {
        Assert.Throws<ArgumentNullException>(() => new LexiconClassifier((LexiconClassifierOptions)null!));
        Assert.Throws<ArgumentNullException>(() => new LexiconClassifier((Lexicon)null!));
    }

    [Theory]
    [InlineData(nameof(LexiconClassifierOptions.AbstainThreshold), -1)]
    [InlineData(nameof(LexiconClassifierOptions.MinConfidence), 1.5)]
    [InlineData(nameof(LexiconClassifierOptions.UrgentThreshold), 0)]
    [InlineData(nameof(LexiconClassifierOptions.OutOfScopeThreshold), double.NaN)]
    [InlineData(nameof(LexiconClassifierOptions.NegationFactor), 2)]
    [InlineData(nameof(LexiconClassifierOptions.GratitudeFactor), -0.1)]
    [InlineData(nameof(LexiconClassifierOptions.LocationFactor), 1.1)]
    [InlineData(nameof(LexiconClassifierOptions.EarlyMentionBoost), 3)]
    [InlineData(nameof(LexiconClassifierOptions.MaxTextLength), 10)]
    public void Constructor_OptionOutOfRange_ThrowsNamingTheOption(string name, double value)
    {
        var options = new LexiconClassifierOptions();
        var property = typeof(LexiconClassifierOptions).GetProperty(name)!;
        property.SetValue(options, property.PropertyType == typeof(int) ? (object)(int)value : value);

        var exception = Assert.Throws<ArgumentException>(() => new LexiconClassifier(Lexicon.Empty, options));

        Assert.Contains($"LexiconClassifierOptions.{name}", exception.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Нет воды на ул. Школьной")]
    [InlineData("Нет воды, ул. Школьная 5")]
    [InlineData("Третий день нет воды на Школьной")]
    public void Classify_CapitalisedStreetName_MatchesNoTerm(string text)
    {
        var classifier = new LexiconClassifier(Lexicon.Parse("""
            { "topics": { "education": { "terms": { "школьный": 5 } }, "utilities": { "terms": { "нет воды": 3 } } } }
            """));

        var result = classifier.Classify(text);

        Assert.Equal("utilities", result.Topic.Value);
        Assert.DoesNotContain(result.Terms, t => t.Target == "education");
    }

    [Theory]
    [InlineData("Школьный двор не убирают")]
    [InlineData("нет воды. Школьный двор не убирают")]
    [InlineData("на школьной улице не убирают двор")]
    [InlineData("В ШКОЛЬНОМ ДВОРЕ НЕ УБИРАЮТ")]
    public void Classify_SentenceStartLowerCaseOrCapitals_AreWordsNotNames(string text)
    {
        var classifier = new LexiconClassifier(Lexicon.Parse("""{ "topics": { "education": { "terms": { "школьный": 5 } } } }"""));

        var result = classifier.Classify(text);

        Assert.Contains(result.Terms, t => t.Term == "школьный");
    }

    [Theory]
    [InlineData("musor ne vyvozjat uzhe nedelju", "waste")]
    [InlineData("zarplatu zaderzhivajut tretij mesjac", "employment")]
    [InlineData("shhetki i shchetki", "test")]
    public void Classify_TransliteratedRussian_ReadsTheCyrillicItStandsFor(string text, string topic)
    {
        var classifier = new LexiconClassifier(Lexicon.Parse("""
            {
              "topics": {
                "waste": { "terms": { "мусор не вывозят": 5 } },
                "employment": { "terms": { "задерживают зарплату": 5 } },
                "test": { "terms": { "word:щетки": 5 } }
              }
            }
            """));

        var result = classifier.Classify(text);

        Assert.Equal(topic, result.Topic.Value);
    }

    [Fact]
    public void Classify_LatinWordTheLexiconKnows_IsNotTransliterated()
    {
        var classifier = new LexiconClassifier(Lexicon.Parse("""
            { "topics": { "communications": { "terms": { "wifi": 5 } }, "other-topic": { "terms": { "вифи": 9 } } } }
            """));

        var result = classifier.Classify("wifi ne rabotaet");

        Assert.Equal("communications", result.Topic.Value);
    }

    [Fact]
    public void Classify_OutOfScopeCueOpeningTheText_WeighsMoreThanTheSameCueLate()
    {
        // An advertisement names what it is first ("Продаю ..."); the same word deep in a complaint weighs its plain weight.
        var classifier = new LexiconClassifier(Lexicon.Parse("""
            { "topics": { "land-property": { "terms": { "участок": 5 } } }, "outOfScope": { "word:продаю": 3 } }
            """));

        var advert = classifier.Classify("Продаю участок");
        var complaint = classifier.Classify("Участок у реки, забор на нём стоит давно, вопросы к соседям есть, а мне говорят продаю");

        Assert.True(advert.IsOutOfScope, advert.Reason);
        Assert.Equal(4.5, advert.Terms.Single(t => t.Target == LexiconTargets.OutOfScope).Weight, 3);
        Assert.False(complaint.IsOutOfScope);
        Assert.Equal(3, complaint.Terms.Single(t => t.Target == LexiconTargets.OutOfScope).Weight, 3);
    }

    [Fact]
    public void Classify_FocusCue_WeighsWhatTheCitizenAsksToFix()
    {
        // Two problems of equal weight: the one next to the request verb is the main complaint.
        const string Topics = """
            "topics": { "roads": { "terms": { "яма": 3 } }, "landscaping": { "terms": { "фонарь": 3 } } }
            """;
        var options = new LexiconClassifierOptions { EarlyMentionBoost = 0 };
        var plain = new LexiconClassifier(Lexicon.Parse("{" + Topics + "}"), options);
        var focused = new LexiconClassifier(Lexicon.Parse("{" + Topics + """, "focus": { "почините": 1 } }"""), options);
        const string Text = "во дворе яма, а еще почините наконец фонарь";

        var without = plain.Classify(Text);
        var with = focused.Classify(Text);

        Assert.Equal(TopicCode.Other, without.Topic);
        Assert.Equal("landscaping", with.Topic.Value);
        Assert.Equal(3.9, with.Terms.Single(t => t.Term == "фонарь").Weight, 3);
        Assert.Equal(3, with.Terms.Single(t => t.Term == "яма").Weight, 3);
        Assert.Contains(with.Terms, t => t.Target == LexiconTargets.Focus && t.Term == "почините");
    }

    [Fact]
    public void Classify_FocusCueInAnotherPartOfTheSentence_DoesNotWeighTheTerm()
    {
        var classifier = new LexiconClassifier(
            Lexicon.Parse("""{ "topics": { "roads": { "terms": { "яма": 3 } } }, "focus": { "почините": 1 } }"""),
            new LexiconClassifierOptions { EarlyMentionBoost = 0 });

        var result = classifier.Classify("почините, пожалуйста, у нас большая яма");

        Assert.Equal(3, result.Terms.Single(t => t.Term == "яма").Weight, 3);
    }

    [Theory]
    [InlineData("дал соседу в долг", true)]
    [InlineData("субсидию отменили из-за долга в 300 рублей", false)]
    public void Classify_PhraseWithPreposition_MatchesOnlyWithThePrepositionFirst(string text, bool matches)
    {
        var classifier = new LexiconClassifier(Lexicon.Parse("""{ "topics": { "test": { "terms": { "в долг": 5 } } } }"""));

        var result = classifier.Classify(text);

        Assert.Equal(matches, result.Terms.Any(t => t.Term == "в долг"));
    }

    [Fact]
    public void Classify_PrepositionOnBothSides_UsesTheOneBeforeTheWord()
    {
        // "на" stands both after and before "провода": the phrase takes the one before it.
        var classifier = new LexiconClassifier(Lexicon.Parse("""{ "topics": { "trees": { "terms": { "дерево на проводах": 5 } } } }"""));

        var result = classifier.Classify("повалило дерево на провода на улице");

        Assert.Equal("trees", result.Topic.Value);
    }

    [Fact]
    public void Classify_PhraseWordsInAnyOrder_StillMatch()
    {
        var classifier = new LexiconClassifier(Lexicon.Parse("""{ "topics": { "utilities": { "terms": { "прорвало трубу": 5 } } } }"""));

        Assert.Equal("utilities", classifier.Classify("трубу прорвало в подвале").Topic.Value);
    }

    [Theory]
    [InlineData("Продам гараж в кооперативе, недорого")]
    [InlineData("Посоветуйте хорошего сантехника")]
    [InlineData("Отдам котят в добрые руки")]
    [InlineData("Бывший муж не платит алименты, повлияйте")]
    public void Classify_DefaultLexiconOutOfScopeRequest_IsOutOfScope(string text)
    {
        var result = Classifier.Classify(text);

        Assert.True(result.IsOutOfScope, result.Reason);
        Assert.Equal(TopicCode.Other, result.Topic);
    }

    [Theory]
    [InlineData("Во дворе оборвался провод, лежит прямо на земле", "utilities")]
    [InlineData("Бродячие собаки набросились на школьника у остановки", "animals")]
    [InlineData("Ветром повалило тополь поперек дороги", "landscaping")]
    [InlineData("Люк без крышки посреди тротуара, ночью не видно", "roads")]
    public void Classify_DefaultLexiconDanger_IsUrgent(string text, string topic)
    {
        var result = Classifier.Classify(text);

        Assert.True(result.IsUrgent);
        Assert.Equal(topic, result.Topic.Value);
    }

    [Theory]
    [InlineData("Видела в новостях, что в соседней станице упало дерево, у нас тоже старое, спилите заранее")]
    [InlineData("Фонари горят днём, зря тратят электричество")]
    [InlineData("Просим сделать лежачих полицейских у школы")]
    public void Classify_DefaultLexiconNoPresentDanger_IsNotUrgent(string text)
    {
        Assert.False(Classifier.Classify(text).IsUrgent);
    }

    [Fact]
    public void Constructor_NoLexiconConfigured_Throws()
    {
        var options = new LexiconClassifierOptions { UseDefaultLexicon = false };

        var exception = Assert.Throws<ArgumentException>(() => new LexiconClassifier(options));

        Assert.Contains("No lexicon is configured", exception.Message, StringComparison.Ordinal);
    }
}
