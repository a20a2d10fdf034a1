using System.Globalization;
using System.Text.Json;
using Mcu.Samples.Console.Cli;
using Mcu.Sdk.Classification;

namespace Mcu.Samples.Console.Commands;

/// <summary>
/// <c>mcu classify --train</c> and <c>mcu classify --evaluate</c>: trains a <see cref="LogisticModel"/> (or a
/// <see cref="NaiveBayesModel"/>) on a city's labelled history, and measures the rules and the classifiers built on them side by
/// side on a labelled file.
/// </summary>
internal static class ClassifierCommands
{
    /// <summary>The number of folds of the cross-validation that <see cref="EvaluateAsync"/> runs on the labelled file.</summary>
    private const int Folds = 5;

    /// <summary>The seed of the cross-validation's shuffle, fixed so that two runs print the same figures.</summary>
    private const int Seed = 1;

    /// <summary>
    /// Loads a model file written by <see cref="TrainAsync"/> and combines it with the default lexicon's rules: a logistic model
    /// in a <see cref="StackedClassifier"/>, a Naive Bayes model in an <see cref="EnsembleClassifier"/>.
    /// </summary>
    /// <param name="path">The model file.</param>
    /// <returns>The classifier.</returns>
    /// <exception cref="IOException">The file cannot be read.</exception>
    /// <exception cref="InvalidDataException">The file is not a model, or is damaged.</exception>
    public static IAppealClassifier LoadClassifier(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var rules = new LexiconClassifier();
        return LogisticModel.IsModelFile(path)
            ? new StackedClassifier(rules, LogisticModel.LoadFile(path))
            : new EnsembleClassifier(rules, new TrainedClassifier(NaiveBayesModel.LoadFile(path)));
    }

    /// <summary>
    /// Trains a model on JSONL files of labelled appeals, <c>{"text":"..","topic":"..","subtopic":".."}</c> per line
    /// (<c>subtopic</c> may be null or absent; lines that also carry the booleans <c>urgent</c> and <c>outOfScope</c> train the
    /// logistic model's urgency and scope), and writes it to <paramref name="modelPath"/>: a <see cref="LogisticModel"/> stacked
    /// on the default lexicon's rules, or with <paramref name="bayes"/> a <see cref="NaiveBayesModel"/> seeded with the topic
    /// terms of the default lexicon (<see cref="NaiveBayesModel.ExamplesFromLexicon"/>). Bad lines are reported on standard
    /// error with their file and line number and skipped.
    /// </summary>
    /// <param name="historyPaths">The labelled files.</param>
    /// <param name="modelPath">Where to write the model; the file is replaced, its folder created.</param>
    /// <param name="bayes">Whether to train a Naive Bayes model instead of a logistic one.</param>
    /// <param name="stdout">Receives the summary.</param>
    /// <param name="stderr">Receives the errors.</param>
    /// <param name="ct">A token to cancel the training.</param>
    /// <returns>0; 2 when bad lines were skipped; 1 when a file cannot be read, there is no valid line, or the model cannot be written.</returns>
    public static async Task<int> TrainAsync(IReadOnlyList<string> historyPaths, string modelPath, bool bayes, TextWriter stdout, TextWriter stderr, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(historyPaths);
        ArgumentNullException.ThrowIfNull(modelPath);
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);
        var flagged = new List<LabeledAppeal>();
        var topicOnly = new List<LabeledText>();
        var skipped = 0;
        foreach (var historyPath in historyPaths)
        {
            if (!File.Exists(historyPath))
            {
                await stderr.WriteLineAsync($"error: the history file '{historyPath}' does not exist.").ConfigureAwait(false);
                return ExitCodes.Error;
            }

            var name = Path.GetFileName(historyPath);
            using var reader = new StreamReader(historyPath);
            var lineNumber = 0;
            while (await reader.ReadLineAsync(ct).ConfigureAwait(false) is { } line)
            {
                lineNumber++;
                if (string.IsNullOrWhiteSpace(line))
                {
                    continue;
                }

                if (!TryParseExample(line, out var example, out var flags, out var error))
                {
                    skipped++;
                    await stderr.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{name}:{lineNumber}: skipped: {error}")).ConfigureAwait(false);
                }
                else if (flags is var (urgent, outOfScope))
                {
                    flagged.Add(new LabeledAppeal(string.Create(CultureInfo.InvariantCulture, $"{name}:{lineNumber}"), example.Text, example.Topic, example.Subtopic, urgent, outOfScope));
                }
                else
                {
                    topicOnly.Add(example);
                }
            }
        }

        var count = flagged.Count + topicOnly.Count;
        if (count == 0)
        {
            await stderr.WriteLineAsync("error: the history has no valid labelled line; no model was written.").ConfigureAwait(false);
            return ExitCodes.Error;
        }

        ct.ThrowIfCancellationRequested();
        var c = CultureInfo.InvariantCulture;
        string summary;
        Action<string> save;
        int formatVersion;
        if (bayes)
        {
            var seeds = NaiveBayesModel.ExamplesFromLexicon(Lexicon.Default);
            var model = NaiveBayesModel.Train(flagged.Select(a => a.ToLabeledText()).Concat(topicOnly).Concat(seeds));
            summary = string.Create(c, $"Trained a Naive Bayes model on {count} labelled appeals and {seeds.Count} terms of the default lexicon: {model.Topics.Count} topics, {model.FeatureCount:N0} features (stems and stem pairs).");
            save = model.SaveFile;
            formatVersion = NaiveBayesModel.FormatVersion;
        }
        else
        {
            var model = LogisticModel.Train(flagged, topicOnly, new LexiconClassifier());
            summary = string.Create(
                c,
                $"Trained a logistic model stacked on the default lexicon's rules on {count} labelled appeals ({flagged.Count} with urgency and scope labels{(flagged.Count == 0 ? ": the rules will decide urgency and scope" : string.Empty)}): {model.Topics.Count} topics, {model.FeatureCount:N0} features ({(model.Options.UseBigrams ? "stems, stem pairs" : "stems")}, rule terms and scores).");
            save = model.SaveFile;
            formatVersion = LogisticModel.FormatVersion;
        }

        try
        {
            var fullPath = Path.GetFullPath(modelPath);
            if (Path.GetDirectoryName(fullPath) is { Length: > 0 } folder)
            {
                Directory.CreateDirectory(folder);
            }

            save(fullPath);
            var size = new FileInfo(fullPath).Length;
            await stdout.WriteLineAsync(summary).ConfigureAwait(false);
            foreach (var group in flagged.Select(a => a.Topic).Concat(topicOnly.Select(t => t.Topic)).GroupBy(t => t).OrderByDescending(g => g.Count()).ThenBy(g => g.Key.Value, StringComparer.Ordinal))
            {
                await stdout.WriteLineAsync(string.Create(c, $"  {group.Key.Value,-18} {group.Count(),6}")).ConfigureAwait(false);
            }

            await stdout.WriteLineAsync(string.Create(c, $"Model written to {fullPath} ({size:N0} bytes, format version {formatVersion}).")).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            await stderr.WriteLineAsync($"error: cannot write the model '{modelPath}': {ex.Message}").ConfigureAwait(false);
            return ExitCodes.Error;
        }

        if (skipped > 0)
        {
            await stderr.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{skipped} bad line(s) skipped.")).ConfigureAwait(false);
            return ExitCodes.SkippedInput;
        }

        return ExitCodes.Success;
    }

    /// <summary>
    /// Evaluates on a labelled JSONL file (<c>{"id","text","topic","subtopic","urgent","outOfScope"}</c> per line) the default
    /// lexicon rules next to the SDK's default classifier (the rules stacked with the shipped model), or next to the given
    /// model combined with the rules (a Naive Bayes model also alone); then cross-validates on the file itself (5 folds): each
    /// fold is classified by a model trained on the other folds (a Naive Bayes model: added to the given model's own examples).
    /// </summary>
    /// <param name="evaluationPath">The labelled file; every line must be valid, as an evaluation must count every appeal.</param>
    /// <param name="modelPath">A model written by <see cref="TrainAsync"/>, or <see langword="null"/> for the default classifier.</param>
    /// <param name="stdout">Receives the tables.</param>
    /// <param name="stderr">Receives the errors.</param>
    /// <param name="ct">A token to cancel the evaluation.</param>
    /// <returns>0; 1 when the labelled file or the model cannot be read.</returns>
    public static async Task<int> EvaluateAsync(string evaluationPath, string? modelPath, TextWriter stdout, TextWriter stderr, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(evaluationPath);
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);
        IReadOnlyList<LabeledAppeal> appeals;
        NaiveBayesModel? bayes = null;
        LogisticModel? logistic = null;
        try
        {
            appeals = ClassifierEvaluation.LoadJsonlFile(evaluationPath);
            if (modelPath is not null && LogisticModel.IsModelFile(modelPath))
            {
                logistic = LogisticModel.LoadFile(modelPath);
            }
            else if (modelPath is not null)
            {
                bayes = NaiveBayesModel.LoadFile(modelPath);
            }
        }
        catch (Exception ex) when (ex is IOException or InvalidDataException or UnauthorizedAccessException or ArgumentException)
        {
            await stderr.WriteLineAsync($"error: {ex.Message}").ConfigureAwait(false);
            return ExitCodes.Error;
        }

        if (appeals.Count < Folds)
        {
            await stderr.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"error: '{evaluationPath}' has {appeals.Count} labelled appeals; the evaluation needs at least {Folds}.")).ConfigureAwait(false);
            return ExitCodes.Error;
        }

        var c = CultureInfo.InvariantCulture;
        await stdout.WriteLineAsync(string.Create(
            c,
            $"Labelled set: {Path.GetFileName(evaluationPath)}, {appeals.Count} appeals ({appeals.Count(a => a.Topic == TopicCode.Other)} other, {appeals.Count(a => a.OutOfScope)} out of scope, {appeals.Count(a => a.Urgent)} urgent)."))
            .ConfigureAwait(false);
        if (bayes is not null)
        {
            await stdout.WriteLineAsync(string.Create(c, $"Model: {Path.GetFileName(modelPath)} (Naive Bayes), trained on {bayes.ExampleCount} examples, {bayes.Topics.Count} topics, {bayes.FeatureCount:N0} features."))
                .ConfigureAwait(false);
        }
        else
        {
            var shown = logistic ?? LogisticModel.Default;
            var name = logistic is null ? "the model shipped with the SDK" : Path.GetFileName(modelPath);
            await stdout.WriteLineAsync(string.Create(c, $"Model: {name} (logistic, stacked on the rules), trained on {shown.ExampleCount} examples ({shown.FlaggedExampleCount} with urgency and scope labels), {shown.Topics.Count} topics, {shown.FeatureCount:N0} features."))
                .ConfigureAwait(false);
            if (logistic is null)
            {
                await stdout.WriteLineAsync("The shipped model was trained on the project's appeals-dev, appeals-dev2, appeals-train and history-train files: figures of the default classifier on them are in-sample (the cross-validation below is not).")
                    .ConfigureAwait(false);
            }
        }

        var rules = new LexiconClassifier();
        var columns = new List<(string Name, EvaluationReport Report)> { ("rules", await ClassifierEvaluation.EvaluateAsync(rules, appeals, ct).ConfigureAwait(false)) };
        List<(string Name, EvaluationReport Report)> cross = [columns[0]];
        if (bayes is not null)
        {
            var trained = new TrainedClassifier(bayes);
            columns.Add(("model", await ClassifierEvaluation.EvaluateAsync(trained, appeals, ct).ConfigureAwait(false)));
            columns.Add(("ensemble", await ClassifierEvaluation.EvaluateAsync(new EnsembleClassifier(rules, trained), appeals, ct).ConfigureAwait(false)));
            ct.ThrowIfCancellationRequested();
            NaiveBayesModel TrainFold(IReadOnlyList<LabeledAppeal> training) => bayes.WithExamples(training.Select(a => a.ToLabeledText()));
            cross.Add(("model (CV)", ClassifierEvaluation.CrossValidate(training => new TrainedClassifier(TrainFold(training)), appeals, Folds, Seed)));
            ct.ThrowIfCancellationRequested();
            cross.Add(("ensemble (CV)", ClassifierEvaluation.CrossValidate(training => new EnsembleClassifier(rules, new TrainedClassifier(TrainFold(training))), appeals, Folds, Seed)));
        }
        else
        {
            var stacked = logistic is null ? StackedClassifier.Default : new StackedClassifier(rules, logistic);
            columns.Add((logistic is null ? "default" : "stacked", await ClassifierEvaluation.EvaluateAsync(stacked, appeals, ct).ConfigureAwait(false)));
            ct.ThrowIfCancellationRequested();
            cross.Add(("stacked (CV)", ClassifierEvaluation.CrossValidate(training => new StackedClassifier(rules, LogisticModel.Train(training, rules)), appeals, Folds, Seed)));
        }

        await stdout.WriteLineAsync().ConfigureAwait(false);
        await stdout.WriteLineAsync("On the whole file:").ConfigureAwait(false);
        await stdout.WriteAsync(FormatSideBySide(columns)).ConfigureAwait(false);

        await stdout.WriteLineAsync().ConfigureAwait(false);
        await stdout.WriteLineAsync(string.Create(
            c,
            $"{Folds}-fold cross-validation on the file (seed {Seed}); each fold classified by a model trained on {(bayes is null ? "the other folds alone (a logistic model stacked on the rules)" : "the model's examples and the other folds")}:"))
            .ConfigureAwait(false);
        await stdout.WriteAsync(FormatSideBySide(cross)).ConfigureAwait(false);

        var detailed = columns[^1];
        await stdout.WriteLineAsync().ConfigureAwait(false);
        await stdout.WriteLineAsync($"Details of the {detailed.Name} on the whole file:").ConfigureAwait(false);
        await stdout.WriteAsync(detailed.Report.ToText()).ConfigureAwait(false);
        return ExitCodes.Success;
    }

    /// <summary>Formats the main metrics of several reports as one table, a column per classifier.</summary>
    /// <param name="columns">The classifiers' names and reports.</param>
    /// <returns>The table, a line break after every row.</returns>
    private static string FormatSideBySide(IReadOnlyList<(string Name, EvaluationReport Report)> columns)
    {
        static string Percent(double value) => (value * 100).ToString("0.0", CultureInfo.InvariantCulture) + "%";
        static string Ratio(double value, int denominator) => denominator == 0 ? "n/a" : Percent(value);

        var rows = new (string Label, Func<EvaluationReport, string> Value)[]
        {
            ("topic accuracy", r => Percent(r.Accuracy)),
            ("macro-F1", r => r.MacroF1.ToString("0.000", CultureInfo.InvariantCulture)),
            ("subtopic accuracy", r => Percent(r.SubtopicAccuracy)),
            ("urgent precision", r => Ratio(r.Urgent.Precision, r.Urgent.PredictedCount)),
            ("urgent recall", r => Ratio(r.Urgent.Recall, r.Urgent.Support)),
            ("out-of-scope precision", r => Ratio(r.OutOfScope.Precision, r.OutOfScope.PredictedCount)),
            ("out-of-scope recall", r => Ratio(r.OutOfScope.Recall, r.OutOfScope.Support)),
            ("abstained (of routable)", r => Percent(r.AbstainRate)),
            ("routed accuracy", r => Percent(r.RoutedAccuracy)),
        };
        var width = Math.Max(10, columns.Max(column => column.Name.Length) + 2);
        var text = new System.Text.StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"  {string.Empty,-24}");
        foreach (var (name, _) in columns)
        {
            text.Append(name.PadLeft(width));
        }

        text.AppendLine();
        foreach (var (label, value) in rows)
        {
            text.Append(CultureInfo.InvariantCulture, $"  {label,-24}");
            foreach (var (_, report) in columns)
            {
                text.Append(value(report).PadLeft(width));
            }

            text.AppendLine();
        }

        return text.ToString();
    }

    /// <summary>
    /// Parses one line of the history: a JSON object with <c>text</c>, <c>topic</c>, an optional <c>subtopic</c>, and optionally
    /// both booleans <c>urgent</c> and <c>outOfScope</c>.
    /// </summary>
    /// <param name="line">The line.</param>
    /// <param name="example">The example, when the line is valid.</param>
    /// <param name="flags">The urgency and scope labels when the line carries both, otherwise <see langword="null"/>.</param>
    /// <param name="error">What is wrong with the line, otherwise.</param>
    /// <returns><see langword="true"/> for a valid line.</returns>
    private static bool TryParseExample(string line, out LabeledText example, out (bool Urgent, bool OutOfScope)? flags, out string error)
    {
        example = null!;
        flags = null;
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(line);
        }
        catch (JsonException ex)
        {
            error = $"not valid JSON ({ex.Message})";
            return false;
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                error = $"expected a JSON object, found {root.ValueKind}";
                return false;
            }

            if (!root.TryGetProperty("text", out var text) || text.ValueKind != JsonValueKind.String)
            {
                error = "'text' is missing or not a string";
                return false;
            }

            if (!root.TryGetProperty("topic", out var topic) || topic.ValueKind != JsonValueKind.String || !TopicCode.TryParse(topic.GetString(), out var code))
            {
                error = "'topic' is missing or not a topic code (letters, digits and hyphens)";
                return false;
            }

            string? subtopic = null;
            if (root.TryGetProperty("subtopic", out var sub) && sub.ValueKind != JsonValueKind.Null)
            {
                if (sub.ValueKind != JsonValueKind.String)
                {
                    error = "'subtopic' must be a string or null";
                    return false;
                }

                subtopic = sub.GetString();
            }

            bool? urgent = null, outOfScope = null;
            foreach (var (property, set) in new (string, Action<bool>)[] { ("urgent", v => urgent = v), ("outOfScope", v => outOfScope = v) })
            {
                if (!root.TryGetProperty(property, out var flag) || flag.ValueKind == JsonValueKind.Null)
                {
                    continue;
                }

                if (flag.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
                {
                    error = $"'{property}' must be true, false or null";
                    return false;
                }

                set(flag.GetBoolean());
            }

            example = new LabeledText(text.GetString()!, code, string.IsNullOrWhiteSpace(subtopic) ? null : subtopic.Trim());
            flags = urgent is { } u && outOfScope is { } o ? (u, o) : null;
            error = string.Empty;
            return true;
        }
    }
}
