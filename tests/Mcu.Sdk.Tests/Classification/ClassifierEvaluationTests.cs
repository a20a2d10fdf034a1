using System.Text;
using Mcu.Sdk.Classification;
using Xunit;

namespace Mcu.Sdk.Tests.Classification;

public sealed class ClassifierEvaluationTests
{
    // Six appeals and what a scripted classifier answers for each:
    //   a1 roads/potholes            → roads/potholes, urgent (not labelled urgent)
    //   a2 roads, urgent             → utilities, urgent
    //   a3 utilities/water, urgent   → utilities/heating, not urgent
    //   a4 utilities                 → utilities
    //   a5 other, out of scope       → other, out of scope
    //   a6 roads                     → other, abstained
    private static readonly (LabeledAppeal Appeal, AppealClassification Answer)[] Scripted =
    [
        (new("a1", "t1", TopicCode.Roads, "potholes", false, false), new(TopicCode.Roads, "potholes", true, false, 0.9)),
        (new("a2", "t2", TopicCode.Roads, null, true, false), new(TopicCode.Utilities, null, true, false, 0.6)),
        (new("a3", "t3", TopicCode.Utilities, "water", true, false), new(TopicCode.Utilities, "heating", false, false, 0.8)),
        (new("a4", "t4", TopicCode.Utilities, null, false, false), new(TopicCode.Utilities, null, false, false, 0.7)),
        (new("a5", "t5", TopicCode.Other, null, false, true), new(TopicCode.Other, null, false, true, 0.9, null, "out of scope: cues")),
        (new("a6", "t6", TopicCode.Roads, null, false, false), new(TopicCode.Other, null, false, false, 0.2, null, "abstained: no topic terms matched.")),
    ];

    [Fact]
    public void Evaluate_ScriptedClassifier_ComputesHandCheckedMetrics()
    {
        var report = ClassifierEvaluation.Evaluate(new ScriptedClassifier(), Scripted.Select(x => x.Appeal));

        Assert.Equal(6, report.Count);
        Assert.Equal(4, report.CorrectCount);
        Assert.Equal(4.0 / 6, report.Accuracy, 12);

        // Topics in taxonomy order: utilities, roads, other.
        Assert.Equal([TopicCode.Utilities, TopicCode.Roads, TopicCode.Other], report.Topics.Select(t => t.Topic));
        var utilities = report.Topics[0];
        var roads = report.Topics[1];
        var other = report.Topics[2];
        Assert.Equal((2, 3, 2), (utilities.Support, utilities.PredictedCount, utilities.TruePositives));
        Assert.Equal(2.0 / 3, utilities.Precision, 12);
        Assert.Equal(1.0, utilities.Recall, 12);
        Assert.Equal(0.8, utilities.F1, 12);
        Assert.Equal((3, 1, 1), (roads.Support, roads.PredictedCount, roads.TruePositives));
        Assert.Equal(1.0, roads.Precision, 12);
        Assert.Equal(1.0 / 3, roads.Recall, 12);
        Assert.Equal(0.5, roads.F1, 12);
        Assert.Equal((1, 2, 1), (other.Support, other.PredictedCount, other.TruePositives));
        Assert.Equal(2.0 / 3, other.F1, 12);
        Assert.Equal((0.8 + 0.5 + (2.0 / 3)) / 3, report.MacroF1, 12);

        Assert.Equal(2, report.SubtopicCount);
        Assert.Equal(0.5, report.SubtopicAccuracy, 12);

        Assert.Equal(new BinaryMetrics(1, 1, 1, 3), report.Urgent);
        Assert.Equal(0.5, report.Urgent.Precision, 12);
        Assert.Equal(0.5, report.Urgent.Recall, 12);
        Assert.Equal(new BinaryMetrics(1, 0, 0, 5), report.OutOfScope);
        Assert.Equal(1.0, report.OutOfScope.Precision, 12);
        Assert.Equal(1.0, report.OutOfScope.Recall, 12);

        // Routable: a1–a4 and a6; a6 abstained. Routed: a1–a4, three right.
        Assert.Equal(5, report.RoutableCount);
        Assert.Equal(1, report.AbstainedCount);
        Assert.Equal(0.2, report.AbstainRate, 12);
        Assert.Equal(4, report.RoutedCount);
        Assert.Equal(3, report.RoutedCorrectCount);
        Assert.Equal(0.75, report.RoutedAccuracy, 12);
    }

    [Fact]
    public void Evaluate_ScriptedClassifier_FillsConfusionMatrix()
    {
        var matrix = ClassifierEvaluation.Evaluate(new ScriptedClassifier(), Scripted.Select(x => x.Appeal)).Confusion;

        Assert.Equal(1, matrix.GetCount(TopicCode.Roads, TopicCode.Roads));
        Assert.Equal(1, matrix.GetCount(TopicCode.Roads, TopicCode.Utilities));
        Assert.Equal(1, matrix.GetCount(TopicCode.Roads, TopicCode.Other));
        Assert.Equal(2, matrix.GetCount(TopicCode.Utilities, TopicCode.Utilities));
        Assert.Equal(0, matrix.GetCount(TopicCode.Utilities, TopicCode.Roads));
        Assert.Equal(0, matrix.GetCount(TopicCode.Waste, TopicCode.Roads));
        Assert.Equal(3, matrix.GetActualCount(TopicCode.Roads));
        Assert.Equal(3, matrix.GetPredictedCount(TopicCode.Utilities));
    }

    [Fact]
    public void ToText_ScriptedReport_ShowsSummaryTableAndConfusions()
    {
        var text = ClassifierEvaluation.Evaluate(new ScriptedClassifier(), Scripted.Select(x => x.Appeal)).ToText();

        Assert.Contains("topic accuracy: 66.7% (4/6)", text, StringComparison.Ordinal);
        Assert.Contains("macro-F1: 0.656", text, StringComparison.Ordinal);
        Assert.Contains("Urgent:        precision 50.0% (1/2)   recall 50.0% (1/2)", text, StringComparison.Ordinal);
        Assert.Contains("Abstained:     1 of 5 routable (20.0%)   routed accuracy: 75.0% (3/4)", text, StringComparison.Ordinal);
        Assert.Contains("roads                    3         1    100.0%   33.3%  0.500", text, StringComparison.Ordinal);
        Assert.Contains("  roads -> other: 1", text, StringComparison.Ordinal);
        Assert.Contains("  roads -> utilities: 1", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_NoFlagsPredicted_PrecisionIsZeroAndShownAsNotAvailable()
    {
        var appeals = new[] { new LabeledAppeal("1", "t", TopicCode.Roads, null, true, false) };

        var report = ClassifierEvaluation.Evaluate(new FixedClassifier(new AppealClassification(TopicCode.Roads, null, false, false, 1)), appeals);

        Assert.Equal(0, report.Urgent.Precision);
        Assert.Equal(0, report.Urgent.Recall);
        Assert.Contains("precision n/a (0/0)   recall 0.0% (0/1)", report.ToText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task EvaluateAsync_SameAsEvaluate()
    {
        var appeals = Scripted.Select(x => x.Appeal).ToArray();

        var sync = ClassifierEvaluation.Evaluate(new ScriptedClassifier(), appeals);
        var async = await ClassifierEvaluation.EvaluateAsync(new ScriptedClassifier(), appeals);

        Assert.Equal(sync.ToText(), async.ToText());
    }

    [Fact]
    public void Evaluate_NullArguments_ThrowArgumentNullException()
    {
        Assert.Throws<ArgumentNullException>(() => ClassifierEvaluation.Evaluate(null!, []));
        Assert.Throws<ArgumentNullException>(() => ClassifierEvaluation.Evaluate(new ScriptedClassifier(), null!));
    }

    [Theory]
    [InlineData("other", false, "abstained: no terms", true)]
    [InlineData("other", false, "Abstained because", true)]
    [InlineData("other", false, "gratitude: thanks", false)]
    [InlineData("other", false, null, false)]
    [InlineData("other", true, "abstained: cues", false)]
    [InlineData("roads", false, "abstained: but routed", false)]
    public void IsAbstention_Classification_ReadsTopicScopeAndReason(string topic, bool outOfScope, string? reason, bool expected)
    {
        var classification = new AppealClassification(new TopicCode(topic), null, false, outOfScope, 0.5, null, reason);

        Assert.Equal(expected, ClassifierEvaluation.IsAbstention(classification));
    }

    [Fact]
    public void LoadJsonl_AllProperties_ReadsThemAndSkipsBlankLines()
    {
        var appeals = Load("""
            {"id":"d1","text":"яма","topic":"roads","subtopic":"potholes","urgent":true,"outOfScope":false}

            {"text":"продам диван","topic":"other","subtopic":null,"outOfScope":true,"extra":42}
            """);

        Assert.Equal(2, appeals.Count);
        Assert.Equal(new LabeledAppeal("d1", "яма", TopicCode.Roads, "potholes", true, false), appeals[0]);
        Assert.Equal(new LabeledAppeal("#3", "продам диван", TopicCode.Other, null, false, true), appeals[1]);
    }

    [Theory]
    [InlineData("{\"text\":\"a\",\"topic\":\"roads\"}\n{\"text\":", "Line 2: not valid JSON")]
    [InlineData("[1,2]", "Line 1: expected a JSON object")]
    [InlineData("{\"topic\":\"roads\"}", "Line 1: the property 'text' is missing")]
    [InlineData("{\"text\":\"a\"}", "Line 1: the property 'topic' is missing")]
    [InlineData("{\"text\":\"a\",\"topic\":\"дороги\"}", "Line 1: 'topic' is 'дороги', not a topic code")]
    [InlineData("{\"text\":5,\"topic\":\"roads\"}", "Line 1: 'text' must be a string")]
    [InlineData("{\"text\":\"a\",\"topic\":\"roads\",\"urgent\":\"yes\"}", "Line 1: 'urgent' must be true or false")]
    [InlineData("{\"id\":\"x\",\"text\":\"a\",\"topic\":\"roads\"}\n\n{\"id\":\"x\",\"text\":\"b\",\"topic\":\"roads\"}", "Line 3: the id 'x' repeats (first on line 1)")]
    public void LoadJsonl_BadLine_ThrowsInvalidDataExceptionWithLineNumber(string content, string expectedStart)
    {
        var error = Assert.Throws<InvalidDataException>(() => Load(content));

        Assert.StartsWith(expectedStart, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LoadJsonlFile_MissingFile_ThrowsFileNotFoundException() =>
        Assert.Throws<FileNotFoundException>(() => ClassifierEvaluation.LoadJsonlFile(Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString("N") + ".jsonl")));

    [Fact]
    public void LoadJsonl_RepositorySets_AreWellFormed()
    {
        var dev = TrainedTestData.LoadAppeals("appeals-dev.jsonl");
        var test = TrainedTestData.LoadAppeals("appeals-test.jsonl");

        Assert.True(dev.Count >= 300);
        Assert.True(test.Count >= 300);
        Assert.All(dev.Concat(test).Where(a => a.OutOfScope), a => Assert.Equal(TopicCode.Other, a.Topic));
        Assert.All(dev.Concat(test), a => Assert.True(a.Topic.IsWellKnown, a.Id));
    }

    [Fact]
    public void CrossValidate_SameSeed_SameFoldsAndReport()
    {
        var set = MakeSet(40);

        var first = ClassifierEvaluation.CrossValidate(TrainOnSet, set, 5, seed: 7);
        var second = ClassifierEvaluation.CrossValidate(TrainOnSet, set, 5, seed: 7);

        Assert.Equal(ClassifierEvaluation.AssignFolds(set, 5, 7), ClassifierEvaluation.AssignFolds(set, 5, 7));
        Assert.Equal(first.ToText(), second.ToText());
        Assert.Equal(first.Results.Select(r => r.Classification.ToString()), second.Results.Select(r => r.Classification.ToString()));
    }

    [Fact]
    public void CrossValidate_OtherSeed_OtherFolds()
    {
        var set = MakeSet(40);

        Assert.NotEqual(ClassifierEvaluation.AssignFolds(set, 5, 7), ClassifierEvaluation.AssignFolds(set, 5, 8));
    }

    [Fact]
    public void CrossValidate_Folds_AreStratifiedAndNeverTrainOnTheirOwnItems()
    {
        var set = MakeSet(40); // 20 roads, 20 utilities
        var trainings = new List<IReadOnlyList<LabeledAppeal>>();

        var report = ClassifierEvaluation.CrossValidate(
            training =>
            {
                trainings.Add(training);
                return new HoldOutCheckingClassifier(training);
            },
            set,
            5,
            seed: 3);

        Assert.Equal(5, trainings.Count);
        Assert.All(trainings, training =>
        {
            Assert.Equal(32, training.Count);
            Assert.Equal(16, training.Count(a => a.Topic == TopicCode.Roads));
        });
        Assert.Equal(set.Select(a => a.Id), report.Results.Select(r => r.Appeal.Id));
        Assert.All(report.Results, r => Assert.Equal("held out", r.Classification.Reason));
    }

    [Fact]
    public void CrossValidate_TrainedClassifier_LearnsFromOtherFolds()
    {
        var set = MakeSet(40);

        var report = ClassifierEvaluation.CrossValidate(TrainOnSet, set, 4, seed: 1);

        Assert.Equal(1.0, report.Accuracy);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(41)]
    public void CrossValidate_FoldsOutOfRange_ThrowsArgumentOutOfRangeException(int folds) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => ClassifierEvaluation.CrossValidate(TrainOnSet, MakeSet(40), folds, 1));

    [Fact]
    public void CrossValidate_FactoryReturnsNull_ThrowsInvalidOperationException() =>
        Assert.Throws<InvalidOperationException>(() => ClassifierEvaluation.CrossValidate(_ => null!, MakeSet(10), 2, 1));

    private static IReadOnlyList<LabeledAppeal> Load(string content)
    {
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(content));
        return ClassifierEvaluation.LoadJsonl(stream);
    }

    private static LabeledAppeal[] MakeSet(int count) =>
        Enumerable.Range(0, count)
            .Select(i => i % 2 == 0
                ? new LabeledAppeal($"r{i}", $"яма на дороге номер {i}", TopicCode.Roads, "potholes", false, false)
                : new LabeledAppeal($"u{i}", $"нет горячей воды в доме {i}", TopicCode.Utilities, "hot-water", false, false))
            .ToArray();

    private static TrainedClassifier TrainOnSet(IReadOnlyList<LabeledAppeal> training) =>
        new(NaiveBayesModel.Train(training.Select(a => a.ToLabeledText())));

    private sealed class ScriptedClassifier : IAppealClassifier
    {
        public ValueTask<AppealClassification> ClassifyAsync(string text, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(Scripted.Single(x => x.Appeal.Text == text).Answer);
    }

    private sealed class FixedClassifier(AppealClassification answer) : IAppealClassifier
    {
        public ValueTask<AppealClassification> ClassifyAsync(string text, CancellationToken cancellationToken = default) => ValueTask.FromResult(answer);
    }

    private sealed class HoldOutCheckingClassifier(IReadOnlyList<LabeledAppeal> training) : IAppealClassifier
    {
        public ValueTask<AppealClassification> ClassifyAsync(string text, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(new AppealClassification(
                TopicCode.Other, null, false, false, 0, null, training.Any(a => a.Text == text) ? "trained on it" : "held out"));
    }
}
