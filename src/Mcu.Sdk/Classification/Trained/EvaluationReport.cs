using System.Globalization;
using System.Text;
using Mcu.Sdk.Internal;

namespace Mcu.Sdk.Classification;

/// <summary>
/// How well a classifier did on a labelled set: topic accuracy, per-topic precision, recall and F1, the confusion matrix,
/// urgency and scope detection, and abstentions. Built by <see cref="ClassifierEvaluation"/>.
/// </summary>
/// <remarks>
/// <para>Definitions (N is the number of appeals):</para>
/// <list type="bullet">
/// <item><description><see cref="Accuracy"/>: the share of all N appeals whose predicted topic equals the label (an
/// out-of-scope appeal is labelled <c>other</c>, and a classifier that finds it out of scope answers <c>other</c>).</description></item>
/// <item><description><see cref="MacroF1"/>: the mean F1 over the topics that occur in the labels or the predictions; a
/// topic's precision, recall or F1 with a zero denominator counts as 0.</description></item>
/// <item><description><see cref="SubtopicAccuracy"/>: among appeals labelled with a subtopic, the share whose topic and
/// subtopic are both right.</description></item>
/// <item><description><see cref="Urgent"/>, <see cref="OutOfScope"/>: the flags against their labels.</description></item>
/// <item><description>An appeal is <em>abstained</em> when the classifier answered <c>other</c>, not out of scope, with a
/// <see cref="AppealClassification.Reason"/> that starts with <c>abstained</c> (the SDK's classifiers say so whenever a
/// score or a confidence falls below their threshold; their decisions that a text is a thank-you or belongs to
/// <c>other</c> are not abstentions).</description></item>
/// <item><description><see cref="AbstainRate"/>: abstained appeals among the <em>routable</em> ones, those labelled in
/// scope with a topic other than <c>other</c>.</description></item>
/// <item><description><see cref="RoutedAccuracy"/>: topic accuracy among the appeals labelled in scope that the
/// classifier did not abstain on.</description></item>
/// </list>
/// </remarks>
public sealed class EvaluationReport
{
    /// <summary>Initializes a new instance of the <see cref="EvaluationReport"/> class from classified appeals.</summary>
    /// <param name="results">The labelled appeals with what the classifier decided, in the order to keep.</param>
    /// <exception cref="ArgumentNullException"><paramref name="results"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="results"/> holds a <see langword="null"/> item.</exception>
    public EvaluationReport(IEnumerable<EvaluatedAppeal> results)
    {
        Throw.IfNull(results);
        var list = results.ToArray();
        if (Array.Exists(list, r => r is null))
        {
            throw new ArgumentException("The results hold a null item.", nameof(results));
        }

        Results = Array.AsReadOnly(list);
        Count = list.Length;

        var labels = list.Select(r => r.Appeal.Topic).Concat(list.Select(r => r.Classification.Topic)).Distinct().ToList();
        labels.Sort(CompareTopics);
        var index = labels.Select((topic, i) => (topic, i)).ToDictionary(x => x.topic, x => x.i);
        var matrix = new int[labels.Count, labels.Count];
        int correct = 0, withSubtopic = 0, subtopicCorrect = 0, routable = 0, abstained = 0, routed = 0, routedCorrect = 0;
        int urgentTp = 0, urgentFp = 0, urgentFn = 0, urgentTn = 0, scopeTp = 0, scopeFp = 0, scopeFn = 0, scopeTn = 0;
        foreach (var r in list)
        {
            var appeal = r.Appeal;
            var result = r.Classification;
            matrix[index[appeal.Topic], index[result.Topic]]++;
            var topicRight = appeal.Topic == result.Topic;
            correct += topicRight ? 1 : 0;
            if (appeal.Subtopic is not null)
            {
                withSubtopic++;
                subtopicCorrect += topicRight && string.Equals(appeal.Subtopic, result.Subtopic, StringComparison.Ordinal) ? 1 : 0;
            }

            Tally(appeal.Urgent, result.IsUrgent, ref urgentTp, ref urgentFp, ref urgentFn, ref urgentTn);
            Tally(appeal.OutOfScope, result.IsOutOfScope, ref scopeTp, ref scopeFp, ref scopeFn, ref scopeTn);
            if (!appeal.OutOfScope && appeal.Topic != TopicCode.Other)
            {
                routable++;
                abstained += r.Abstained ? 1 : 0;
            }

            if (!appeal.OutOfScope && !r.Abstained)
            {
                routed++;
                routedCorrect += topicRight ? 1 : 0;
            }
        }

        Confusion = new ConfusionMatrix(labels, matrix);
        Topics = Array.AsReadOnly(labels.Select(topic => new TopicMetrics(
            topic,
            Confusion.GetActualCount(topic),
            Confusion.GetPredictedCount(topic),
            Confusion.GetCount(topic, topic))).ToArray());
        CorrectCount = correct;
        Accuracy = Ratio(correct, Count);
        MacroF1 = Topics.Count == 0 ? 0 : Topics.Average(t => t.F1);
        SubtopicCount = withSubtopic;
        SubtopicAccuracy = Ratio(subtopicCorrect, withSubtopic);
        Urgent = new BinaryMetrics(urgentTp, urgentFp, urgentFn, urgentTn);
        OutOfScope = new BinaryMetrics(scopeTp, scopeFp, scopeFn, scopeTn);
        RoutableCount = routable;
        AbstainedCount = abstained;
        AbstainRate = Ratio(abstained, routable);
        RoutedCount = routed;
        RoutedCorrectCount = routedCorrect;
        RoutedAccuracy = Ratio(routedCorrect, routed);
    }

    /// <summary>Gets the labelled appeals with the classifier's decisions.</summary>
    public IReadOnlyList<EvaluatedAppeal> Results { get; }

    /// <summary>Gets the number of appeals.</summary>
    public int Count { get; }

    /// <summary>Gets the number of appeals whose topic is right.</summary>
    public int CorrectCount { get; }

    /// <summary>Gets the share of appeals whose topic is right, from 0 to 1.</summary>
    public double Accuracy { get; }

    /// <summary>Gets the mean F1 over the topics in <see cref="Topics"/>, from 0 to 1.</summary>
    public double MacroF1 { get; }

    /// <summary>Gets the number of appeals labelled with a subtopic.</summary>
    public int SubtopicCount { get; }

    /// <summary>Gets the share of appeals labelled with a subtopic whose topic and subtopic are both right, from 0 to 1.</summary>
    public double SubtopicAccuracy { get; }

    /// <summary>Gets the per-topic metrics, for every topic in the labels or the predictions, well-known topics in taxonomy order first.</summary>
    public IReadOnlyList<TopicMetrics> Topics { get; }

    /// <summary>Gets the confusion matrix of topics: rows are the labels, columns the predictions.</summary>
    public ConfusionMatrix Confusion { get; }

    /// <summary>Gets how well urgent appeals were flagged.</summary>
    public BinaryMetrics Urgent { get; }

    /// <summary>Gets how well out-of-scope requests were flagged.</summary>
    public BinaryMetrics OutOfScope { get; }

    /// <summary>Gets the number of routable appeals: labelled in scope, with a topic other than <c>other</c>.</summary>
    public int RoutableCount { get; }

    /// <summary>Gets the number of routable appeals the classifier abstained on.</summary>
    public int AbstainedCount { get; }

    /// <summary>Gets the share of routable appeals the classifier abstained on, from 0 to 1.</summary>
    public double AbstainRate { get; }

    /// <summary>Gets the number of appeals labelled in scope that the classifier did not abstain on.</summary>
    public int RoutedCount { get; }

    /// <summary>Gets the number of those whose topic is right.</summary>
    public int RoutedCorrectCount { get; }

    /// <summary>Gets the topic accuracy over the appeals labelled in scope that the classifier did not abstain on, from 0 to 1.</summary>
    public double RoutedAccuracy { get; }

    /// <summary>Formats the report as a readable table: the summary, the per-topic metrics and the most frequent confusions.</summary>
    /// <param name="maxConfusions">How many of the most frequent confusions (label → prediction) to list.</param>
    /// <returns>The text, with a line break after every line.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxConfusions"/> is negative.</exception>
    public string ToText(int maxConfusions = 10)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxConfusions);
        var c = CultureInfo.InvariantCulture;
        var text = new StringBuilder();
        text.AppendLine(c, $"Appeals: {Count}   topic accuracy: {Percent(Accuracy)} ({CorrectCount}/{Count})   macro-F1: {MacroF1:0.000}   subtopic accuracy: {Percent(SubtopicAccuracy)}");
        text.AppendLine(c, $"Urgent:        {Urgent.Describe()}");
        text.AppendLine(c, $"Out of scope:  {OutOfScope.Describe()}");
        text.AppendLine(c, $"Abstained:     {AbstainedCount} of {RoutableCount} routable ({Percent(AbstainRate)})   routed accuracy: {Percent(RoutedAccuracy)} ({RoutedCorrectCount}/{RoutedCount})");
        text.AppendLine();
        text.AppendLine(c, $"{"topic",-18} {"support",7} {"predicted",9} {"precision",9} {"recall",7} {"F1",6}");
        foreach (var t in Topics)
        {
            text.AppendLine(c, $"{t.Topic.Value,-18} {t.Support,7} {t.PredictedCount,9} {Percent(t.Precision),9} {Percent(t.Recall),7} {t.F1,6:0.000}");
        }

        var confusions = Confusion.Labels
            .SelectMany(actual => Confusion.Labels.Select(predicted => (actual, predicted, count: Confusion.GetCount(actual, predicted))))
            .Where(x => x.actual != x.predicted && x.count > 0)
            .OrderByDescending(x => x.count)
            .ThenBy(x => x.actual.Value, StringComparer.Ordinal)
            .ThenBy(x => x.predicted.Value, StringComparer.Ordinal)
            .Take(maxConfusions)
            .ToList();
        if (confusions.Count > 0)
        {
            text.AppendLine();
            text.AppendLine("Most frequent confusions (label -> prediction):");
            foreach (var (actual, predicted, count) in confusions)
            {
                text.AppendLine(c, $"  {actual.Value} -> {predicted.Value}: {count}");
            }
        }

        return text.ToString();
    }

    /// <inheritdoc/>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"accuracy={Accuracy:0.000} macro-F1={MacroF1:0.000} n={Count}");

    /// <summary>Formats a share as a percentage with one decimal, invariantly.</summary>
    /// <param name="value">The share, from 0 to 1.</param>
    /// <returns>The percentage, such as <c>91.4%</c>.</returns>
    internal static string Percent(double value) => (value * 100).ToString("0.0", CultureInfo.InvariantCulture) + "%";

    /// <summary>Compares topics: well-known ones in taxonomy order, then the others by code.</summary>
    /// <param name="x">The first topic.</param>
    /// <param name="y">The second topic.</param>
    /// <returns>The order.</returns>
    internal static int CompareTopics(TopicCode x, TopicCode y)
    {
        var rankX = Rank(x);
        var rankY = Rank(y);
        return rankX != rankY ? rankX.CompareTo(rankY) : string.CompareOrdinal(x.Value, y.Value);

        static int Rank(TopicCode topic)
        {
            for (var i = 0; i < TopicCode.WellKnown.Count; i++)
            {
                if (TopicCode.WellKnown[i] == topic)
                {
                    return i;
                }
            }

            return int.MaxValue;
        }
    }

    private static double Ratio(int part, int whole) => whole == 0 ? 0 : (double)part / whole;

    private static void Tally(bool actual, bool predicted, ref int tp, ref int fp, ref int fn, ref int tn)
    {
        if (actual && predicted)
        {
            tp++;
        }
        else if (actual)
        {
            fn++;
        }
        else if (predicted)
        {
            fp++;
        }
        else
        {
            tn++;
        }
    }
}

/// <summary>A labelled appeal with what a classifier decided about it.</summary>
/// <param name="Appeal">The labelled appeal.</param>
/// <param name="Classification">The classifier's decision.</param>
public sealed record EvaluatedAppeal(LabeledAppeal Appeal, AppealClassification Classification)
{
    /// <summary>Gets a value indicating whether the classifier abstained (see <see cref="ClassifierEvaluation.IsAbstention"/>).</summary>
    public bool Abstained => ClassifierEvaluation.IsAbstention(Classification);

    /// <summary>Gets a value indicating whether the topic is right.</summary>
    public bool IsTopicCorrect => Appeal.Topic == Classification.Topic;
}

/// <summary>Precision, recall and F1 of one topic.</summary>
/// <param name="Topic">The topic.</param>
/// <param name="Support">How many appeals are labelled with the topic.</param>
/// <param name="PredictedCount">How many appeals the classifier gave the topic.</param>
/// <param name="TruePositives">How many appeals are labelled with the topic and got it.</param>
public sealed record TopicMetrics(TopicCode Topic, int Support, int PredictedCount, int TruePositives)
{
    /// <summary>Gets the share of the appeals given the topic that are labelled with it; 0 when none was given it.</summary>
    public double Precision => PredictedCount == 0 ? 0 : (double)TruePositives / PredictedCount;

    /// <summary>Gets the share of the appeals labelled with the topic that got it; 0 when none is labelled with it.</summary>
    public double Recall => Support == 0 ? 0 : (double)TruePositives / Support;

    /// <summary>Gets the harmonic mean of <see cref="Precision"/> and <see cref="Recall"/>; 0 when both are 0.</summary>
    public double F1 => Precision + Recall == 0 ? 0 : 2 * Precision * Recall / (Precision + Recall);
}

/// <summary>Precision and recall of a yes/no flag (urgent, out of scope).</summary>
/// <param name="TruePositives">Labelled yes, flagged.</param>
/// <param name="FalsePositives">Labelled no, flagged.</param>
/// <param name="FalseNegatives">Labelled yes, not flagged.</param>
/// <param name="TrueNegatives">Labelled no, not flagged.</param>
public sealed record BinaryMetrics(int TruePositives, int FalsePositives, int FalseNegatives, int TrueNegatives)
{
    /// <summary>Gets the number of appeals labelled yes.</summary>
    public int Support => TruePositives + FalseNegatives;

    /// <summary>Gets the number of appeals flagged.</summary>
    public int PredictedCount => TruePositives + FalsePositives;

    /// <summary>Gets the share of flagged appeals labelled yes; 0 when none was flagged.</summary>
    public double Precision => PredictedCount == 0 ? 0 : (double)TruePositives / PredictedCount;

    /// <summary>Gets the share of appeals labelled yes that were flagged; 0 when none is labelled yes.</summary>
    public double Recall => Support == 0 ? 0 : (double)TruePositives / Support;

    /// <summary>Gets the harmonic mean of <see cref="Precision"/> and <see cref="Recall"/>; 0 when both are 0.</summary>
    public double F1 => Precision + Recall == 0 ? 0 : 2 * Precision * Recall / (Precision + Recall);

    /// <summary>Describes the metrics in one line, such as <c>precision 90.0% (36/40)   recall 75.0% (36/48)</c>.</summary>
    /// <returns>The line; <c>n/a</c> for a ratio with a zero denominator.</returns>
    public string Describe() => string.Create(
        CultureInfo.InvariantCulture,
        $"precision {(PredictedCount == 0 ? "n/a" : EvaluationReport.Percent(Precision))} ({TruePositives}/{PredictedCount})   recall {(Support == 0 ? "n/a" : EvaluationReport.Percent(Recall))} ({TruePositives}/{Support})");
}

/// <summary>A confusion matrix of topics: how many appeals with each label got each prediction.</summary>
public sealed class ConfusionMatrix
{
    private readonly Dictionary<TopicCode, int> _index;
    private readonly int[,] _counts;

    /// <summary>Initializes a new instance of the <see cref="ConfusionMatrix"/> class.</summary>
    /// <param name="labels">The topics of the rows and columns, distinct.</param>
    /// <param name="counts">The counts: row = label, column = prediction, in the order of <paramref name="labels"/>; the matrix is copied.</param>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The labels repeat, the matrix does not match them, or a count is negative.</exception>
    public ConfusionMatrix(IReadOnlyList<TopicCode> labels, int[,] counts)
    {
        Throw.IfNull(labels);
        Throw.IfNull(counts);
        if (counts.GetLength(0) != labels.Count || counts.GetLength(1) != labels.Count)
        {
            throw new ArgumentException($"The matrix must be {labels.Count}×{labels.Count}, one row and column per label.", nameof(counts));
        }

        _index = [];
        for (var i = 0; i < labels.Count; i++)
        {
            if (!_index.TryAdd(labels[i], i))
            {
                throw new ArgumentException($"The label '{labels[i]}' repeats.", nameof(labels));
            }
        }

        _counts = (int[,])counts.Clone();
        foreach (var count in _counts)
        {
            if (count < 0)
            {
                throw new ArgumentException("A count is negative.", nameof(counts));
            }
        }

        Labels = labels.ToArray();
    }

    /// <summary>Gets the topics of the rows and columns.</summary>
    public IReadOnlyList<TopicCode> Labels { get; }

    /// <summary>Returns how many appeals labelled <paramref name="actual"/> got <paramref name="predicted"/>.</summary>
    /// <param name="actual">The label.</param>
    /// <param name="predicted">The prediction.</param>
    /// <returns>The count; 0 for a topic that is not in <see cref="Labels"/>.</returns>
    public int GetCount(TopicCode actual, TopicCode predicted) =>
        _index.TryGetValue(actual, out var row) && _index.TryGetValue(predicted, out var column) ? _counts[row, column] : 0;

    /// <summary>Returns how many appeals are labelled with a topic.</summary>
    /// <param name="actual">The label.</param>
    /// <returns>The row's sum.</returns>
    public int GetActualCount(TopicCode actual)
    {
        if (!_index.TryGetValue(actual, out var row))
        {
            return 0;
        }

        var sum = 0;
        for (var column = 0; column < Labels.Count; column++)
        {
            sum += _counts[row, column];
        }

        return sum;
    }

    /// <summary>Returns how many appeals got a topic.</summary>
    /// <param name="predicted">The prediction.</param>
    /// <returns>The column's sum.</returns>
    public int GetPredictedCount(TopicCode predicted)
    {
        if (!_index.TryGetValue(predicted, out var column))
        {
            return 0;
        }

        var sum = 0;
        for (var row = 0; row < Labels.Count; row++)
        {
            sum += _counts[row, column];
        }

        return sum;
    }
}
