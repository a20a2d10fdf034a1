using Mcu.Sdk.Classification;
using Xunit;

namespace Mcu.Sdk.Tests.Classification;

public sealed class EnsembleClassifierTests
{
    // A small lexicon of our own, so the tests do not depend on the tuning of the default one.
    private const string LexiconJson = """
        {
          "topics": {
            "roads": { "terms": { "яма": 3, "асфальт": 3 } },
            "utilities": { "terms": { "вода": 3, "труба": 3 } },
            "landscaping": { "terms": { "дерево": 3 } }
          },
          "urgent": { "прорыв": 3 },
          "outOfScope": { "продам": 4 }
        }
        """;

    private static readonly LabeledText[] History =
    [
        new("яма на дороге, асфальт разбит", TopicCode.Roads, "potholes"),
        new("яма у остановки", TopicCode.Roads, "potholes"),
        new("колесо пробил в яме, дорогу не ремонтируют", TopicCode.Roads, "potholes"),
        new("дорогу размыло, одни колдобины", TopicCode.Roads, "potholes"),
        new("нет воды в кране", TopicCode.Utilities, "water"),
        new("в подвале течет труба, кран сорвало", TopicCode.Utilities, "water"),
        new("кран в подвале подтекает, сантехник не приходит", TopicCode.Utilities, "water"),
        new("сантехник не пришел, подвал затопило", TopicCode.Utilities, "water"),
        new("упало дерево", TopicCode.Landscaping, "trees"),
        new("ветка дерева висит над тротуаром", TopicCode.Landscaping, "trees"),
        new("спасибо", TopicCode.Other, null),
    ];

    [Fact]
    public void Classify_RulesAndModelAgree_BoostsConfidence()
    {
        var ensemble = Create();
        var text = "яма на дороге, асфальт провалился";
        var rules = ensemble.Rules.Classify(text);
        var model = ensemble.Model.Model.Predict(text);

        var result = ensemble.Classify(text);

        Assert.Equal(TopicCode.Roads, rules.Topic);
        Assert.Equal(TopicCode.Roads, model.Topic);
        Assert.Equal(TopicCode.Roads, result.Topic);
        Assert.Equal(1 - ((1 - rules.Confidence) * (1 - model.Probability)), result.Confidence, 12);
        Assert.True(result.Confidence > Math.Max(rules.Confidence, model.Probability));
        Assert.StartsWith("rules and model agree on roads", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Classify_Agreement_ListsTermsOfBothClassifiers()
    {
        var result = Create().Classify("яма на дороге");

        Assert.Contains(result.Terms, term => term.Target == "roads");
        Assert.Contains(result.Terms, term => term.Target == "model:roads");
    }

    [Fact]
    public void Classify_RulesFindOutOfScope_RulesDecideAlone()
    {
        var result = Create(new EnsembleClassifierOptions { CoverConfidence = 0, TieBreakConfidence = 0, OverrideConfidence = 0, RulesFirmConfidence = 1 })
            .Classify("продам трубу и кран");

        Assert.True(result.IsOutOfScope);
        Assert.Equal(TopicCode.Other, result.Topic);
        Assert.StartsWith("rules: out of scope", result.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain(result.Terms, term => term.Target.StartsWith("model:", StringComparison.Ordinal));
    }

    [Fact]
    public void Classify_RulesFindUrgent_StaysUrgentWhateverDecidesTopic()
    {
        // The model overrules the rules' topic here, and the rules' urgency is kept.
        var ensemble = Create(new EnsembleClassifierOptions { OverrideConfidence = 0, RulesFirmConfidence = 1 });
        var text = "прорыв, яма, подвал затопило, кран сорвало, сантехник не пришел";

        var rules = ensemble.Rules.Classify(text);
        var result = ensemble.Classify(text);

        Assert.True(rules.IsUrgent);
        Assert.True(result.IsUrgent);
        Assert.False(result.IsOutOfScope);
    }

    [Fact]
    public void Classify_ModelAlone_NeverUrgentNorOutOfScope()
    {
        var model = Create().Model;

        Assert.False(model.Classify("прорыв трубы").IsUrgent);
        Assert.False(model.Classify("продам трубу").IsOutOfScope);
    }

    [Fact]
    public void Classify_RulesAbstainAndModelConfident_ModelCovers()
    {
        var ensemble = Create(new EnsembleClassifierOptions { CoverConfidence = 0.3 });
        var text = "кран в подвале, сантехник";

        var rules = ensemble.Rules.Classify(text);
        var result = ensemble.Classify(text);

        Assert.True(ClassifierEvaluation.IsAbstention(rules));
        Assert.Equal(TopicCode.Utilities, result.Topic);
        Assert.Equal("water", result.Subtopic);
        Assert.StartsWith("model: covered what the rules missed with utilities", result.Reason, StringComparison.Ordinal);
        Assert.Equal(ensemble.Model.Model.Predict(text).Probability, result.Confidence, 12);
    }

    [Fact]
    public void Classify_RulesAbstainAndModelUnsure_Abstains()
    {
        var ensemble = Create(new EnsembleClassifierOptions { CoverConfidence = 1 });

        var result = ensemble.Classify("кран в подвале, сантехник");

        Assert.Equal(TopicCode.Other, result.Topic);
        Assert.StartsWith("abstained: the rules abstained", result.Reason, StringComparison.Ordinal);
        Assert.True(ClassifierEvaluation.IsAbstention(result));
    }

    [Fact]
    public void Classify_NoKnownWordsAnywhere_Abstains()
    {
        var result = Create(new EnsembleClassifierOptions { CoverConfidence = 0, TieBreakConfidence = 0 }).Classify("квазар пульсар");

        Assert.True(ClassifierEvaluation.IsAbstention(result));
    }

    [Fact]
    public void Classify_RulesTieBetweenTopics_ModelBreaksItAtLowerThreshold()
    {
        // "яма" and "вода" score about the same, so the rules' confidence stays far below 0.9: they abstain as too close.
        var rulesOptions = new LexiconClassifierOptions { UseDefaultLexicon = false, MinConfidence = 0.9 };
        var text = "яма и вода, кран в подвале сорвало, сантехник";
        var tieBreak = Create(new EnsembleClassifierOptions { CoverConfidence = 1, TieBreakConfidence = 0.2 }, rulesOptions);
        var noTieBreak = Create(new EnsembleClassifierOptions { CoverConfidence = 1, TieBreakConfidence = 1 }, rulesOptions);

        var rules = tieBreak.Rules.Classify(text);
        var broken = tieBreak.Classify(text);
        var kept = noTieBreak.Classify(text);

        Assert.True(ClassifierEvaluation.IsAbstention(rules), rules.Reason);
        Assert.Contains(rules.Terms, term => term.Target == "roads");
        Assert.Contains(rules.Terms, term => term.Target == "utilities");
        Assert.Equal(TopicCode.Utilities, broken.Topic);
        Assert.StartsWith("model: broke the rules' tie with utilities", broken.Reason, StringComparison.Ordinal);
        Assert.True(ClassifierEvaluation.IsAbstention(kept));
    }

    [Fact]
    public void Classify_DisagreementWithFirmRules_RulesWin()
    {
        var ensemble = Create(new EnsembleClassifierOptions { OverrideConfidence = 0, RulesFirmConfidence = 0 });
        var text = "яма, подвал затопило, кран сорвало, сантехник не пришел";

        var result = ensemble.Classify(text);

        Assert.Equal(TopicCode.Utilities, ensemble.Model.Model.Predict(text).Topic);
        Assert.Equal(TopicCode.Roads, result.Topic);
        Assert.StartsWith("rules: roads", result.Reason, StringComparison.Ordinal);
        Assert.Contains("the model preferred utilities", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Classify_DisagreementWithConfidentModelAndDoubtfulRules_ModelWins()
    {
        var ensemble = Create(new EnsembleClassifierOptions { OverrideConfidence = 0.3, RulesFirmConfidence = 1 });
        var text = "яма, подвал затопило, кран сорвало, сантехник не пришел";

        var result = ensemble.Classify(text);

        Assert.Equal(TopicCode.Utilities, result.Topic);
        Assert.StartsWith("model: overruled the rules' roads", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Classify_DisagreementWithModelBelowOverride_RulesWin()
    {
        var ensemble = Create(new EnsembleClassifierOptions { OverrideConfidence = 1, RulesFirmConfidence = 1 });

        var result = ensemble.Classify("яма, подвал затопило, кран сорвало, сантехник не пришел");

        Assert.Equal(TopicCode.Roads, result.Topic);
    }

    [Theory]
    [InlineData("")]
    [InlineData("🙂")]
    [InlineData("12/3")]
    public void Classify_TextWithoutWords_AbstainsWithoutThrowing(string text)
    {
        var result = Create().Classify(text);

        Assert.Equal(TopicCode.Other, result.Topic);
        Assert.StartsWith("abstained", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ClassifyAsync_SameAsClassify()
    {
        var ensemble = Create();

        var result = await ensemble.ClassifyAsync("яма на дороге");

        Assert.Equal(ensemble.Classify("яма на дороге").ToString(), result.ToString());
    }

    [Fact]
    public async Task ClassifyAsync_NullText_ThrowsArgumentNullException() =>
        await Assert.ThrowsAsync<ArgumentNullException>(async () => await Create().ClassifyAsync(null!));

    [Fact]
    public void Constructor_NullArguments_ThrowArgumentNullException()
    {
        var ensemble = Create();

        Assert.Throws<ArgumentNullException>(() => new EnsembleClassifier(null!, ensemble.Model));
        Assert.Throws<ArgumentNullException>(() => new EnsembleClassifier(ensemble.Rules, null!));
    }

    [Theory]
    [InlineData(-0.1, 0.3, 0.7, 0.6)]
    [InlineData(0.6, 1.5, 0.7, 0.6)]
    [InlineData(0.6, 0.3, double.NaN, 0.6)]
    [InlineData(0.6, 0.3, 0.7, 2)]
    public void Constructor_OptionOutOfRange_ThrowsArgumentException(double cover, double tieBreak, double overrule, double firm)
    {
        var ensemble = Create();
        var options = new EnsembleClassifierOptions { CoverConfidence = cover, TieBreakConfidence = tieBreak, OverrideConfidence = overrule, RulesFirmConfidence = firm };

        var error = Assert.Throws<ArgumentException>(() => new EnsembleClassifier(ensemble.Rules, ensemble.Model, options));

        Assert.Equal("options", error.ParamName);
    }

    [Fact]
    public void Ensemble_DevelopmentSetCrossValidated_FlagsEqualTheRules()
    {
        // The ensemble takes urgency and scope from the rules, so its flags must match theirs exactly.
        var dev = TrainedTestData.LoadAppeals("appeals-dev.jsonl");
        var history = TrainedTestData.LoadHistory();
        var rules = new LexiconClassifier();

        var ensemble = ClassifierEvaluation.CrossValidate(
            training => new EnsembleClassifier(rules, new TrainedClassifier(NaiveBayesModel.Train(history.Concat(training.Select(a => a.ToLabeledText()))))),
            dev,
            folds: 5,
            seed: 1);
        var alone = ClassifierEvaluation.Evaluate(rules, dev);

        Assert.Equal(alone.Urgent, ensemble.Urgent);
        Assert.Equal(alone.OutOfScope, ensemble.OutOfScope);
    }

    private static EnsembleClassifier Create(EnsembleClassifierOptions? options = null, LexiconClassifierOptions? rulesOptions = null) =>
        new(
            new LexiconClassifier(Lexicon.Parse(LexiconJson, "test-lexicon"), rulesOptions),
            new TrainedClassifier(NaiveBayesModel.Train(History)),
            options);
}
