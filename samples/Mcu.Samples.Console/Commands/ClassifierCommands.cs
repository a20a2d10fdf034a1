using System.Globalization;
using System.Text.Json;
using Mcu.Samples.Console.Cli;
using Mcu.Sdk.Classification;

namespace Mcu.Samples.Console.Commands;

/// <summary>
/// <c>mcu classify --train</c> and <c>mcu classify --evaluate</c>: trains a <see cref="NaiveBayesModel"/> on a city's labelled
/// history, and measures the rules, the model and their ensemble side by side on a labelled file.
/// </summary>
internal static class ClassifierCommands
{
    /// <summary>The number of folds of the cross-validation that <see cref="EvaluateAsync"/> runs on the labelled file.</summary>
    private const int Folds = 5;

    /// <summary>The seed of the cross-validation's shuffle, fixed so that two runs print the same figures.</summary>
    private const int Seed = 1;

    /// <summary>
    /// Trains a model on a JSONL history, <c>{"text":"..","topic":"..","subtopic":".."}</c> per line (<c>subtopic</c> may be
    /// null or absent), seeded with the topic terms of the default lexicon (<see cref="NaiveBayesModel.ExamplesFromLexicon"/>),
    /// and writes it to <paramref name="modelPath"/>. Bad lines are reported on standard error with their line number and skipped.
    /// </summary>
    /// <param name="historyPath">The labelled history.</param>
    /// <param name="modelPath">Where to write the model; the file is replaced, its folder created.</param>
    /// <param name="stdout">Receives the summary.</param>
    /// <param name="stderr">Receives the errors.</param>
    /// <param name="ct">A token to cancel the training.</param>
    /// <returns>0; 2 when bad lines were skipped; 1 when the history cannot be read, has no valid line, or the model cannot be written.</returns>
    public static async Task<int> TrainAsync(string historyPath, string modelPath, TextWriter stdout, TextWriter stderr, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(historyPath);
        ArgumentNullException.ThrowIfNull(modelPath);
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);
        if (!File.Exists(historyPath))
        {
            await stderr.WriteLineAsync($"error: the history file '{historyPath}' does not exist.").ConfigureAwait(false);
            return ExitCodes.Error;
        }

        var examples = new List<LabeledText>();
        var skipped = 0;
        var name = Path.GetFileName(historyPath);
        using (var reader = new StreamReader(historyPath))
        {
            var lineNumber = 0;
            while (await reader.ReadLineAsync(ct).ConfigureAwait(false) is { } line)
            {
                lineNumber++;
                if (string.IsNullOrWhiteSpace(line))
                {
                    continue;
                }

                if (TryParseExample(line, out var example, out var error))
                {
                    examples.Add(example);
                }
                else
                {
                    skipped++;
                    await stderr.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{name}:{lineNumber}: skipped: {error}")).ConfigureAwait(false);
                }
            }
        }

        if (examples.Count == 0)
        {
            await stderr.WriteLineAsync($"error: '{historyPath}' has no valid labelled line; no model was written.").ConfigureAwait(false);
            return ExitCodes.Error;
        }

        ct.ThrowIfCancellationRequested();
        var seeds = NaiveBayesModel.ExamplesFromLexicon(Lexicon.Default);
        var model = NaiveBayesModel.Train(examples.Concat(seeds));
        try
        {
            var fullPath = Path.GetFullPath(modelPath);
            if (Path.GetDirectoryName(fullPath) is { Length: > 0 } folder)
            {
                Directory.CreateDirectory(folder);
            }

            // Write beside the target and move it in place, so a failed write never leaves half a model behind.
            var temporary = fullPath + ".tmp";
            model.SaveFile(temporary);
            File.Move(temporary, fullPath, overwrite: true);
            var size = new FileInfo(fullPath).Length;
            var c = CultureInfo.InvariantCulture;
            await stdout.WriteLineAsync(string.Create(
                c,
                $"Trained on {examples.Count} labelled appeals and {seeds.Count} terms of the default lexicon: {model.Topics.Count} topics, {model.FeatureCount:N0} features (stems and stem pairs)."))
                .ConfigureAwait(false);
            foreach (var group in examples.GroupBy(e => e.Topic).OrderByDescending(g => g.Count()).ThenBy(g => g.Key.Value, StringComparer.Ordinal))
            {
                await stdout.WriteLineAsync(string.Create(c, $"  {group.Key.Value,-18} {group.Count(),6}")).ConfigureAwait(false);
            }

            await stdout.WriteLineAsync(string.Create(c, $"Model written to {fullPath} ({size:N0} bytes, format version {NaiveBayesModel.FormatVersion}).")).ConfigureAwait(false);
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
    /// lexicon rules and, when a model is given, the model alone and the ensemble, side by side; then cross-validates the model
    /// and the ensemble on the file itself (5 folds): each fold is classified by a model trained on the other folds, added to
    /// the given model's own examples when there is one, or to the default lexicon's terms when there is none.
    /// </summary>
    /// <param name="evaluationPath">The labelled file; every line must be valid, as an evaluation must count every appeal.</param>
    /// <param name="modelPath">A model written by <see cref="TrainAsync"/>, or <see langword="null"/> for the rules only.</param>
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
        NaiveBayesModel? model = null;
        try
        {
            appeals = ClassifierEvaluation.LoadJsonlFile(evaluationPath);
            if (modelPath is not null)
            {
                model = NaiveBayesModel.LoadFile(modelPath);
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
        if (model is not null)
        {
            await stdout.WriteLineAsync(string.Create(c, $"Model: {Path.GetFileName(modelPath)}, trained on {model.ExampleCount} examples, {model.Topics.Count} topics, {model.FeatureCount:N0} features."))
                .ConfigureAwait(false);
        }

        var rules = new LexiconClassifier();
        var columns = new List<(string Name, EvaluationReport Report)> { ("rules", await ClassifierEvaluation.EvaluateAsync(rules, appeals, ct).ConfigureAwait(false)) };
        if (model is not null)
        {
            var trained = new TrainedClassifier(model);
            columns.Add(("model", await ClassifierEvaluation.EvaluateAsync(trained, appeals, ct).ConfigureAwait(false)));
            columns.Add(("ensemble", await ClassifierEvaluation.EvaluateAsync(new EnsembleClassifier(rules, trained), appeals, ct).ConfigureAwait(false)));
        }

        await stdout.WriteLineAsync().ConfigureAwait(false);
        await stdout.WriteLineAsync(model is null ? "On the whole file (the model needs --model):" : "On the whole file:").ConfigureAwait(false);
        await stdout.WriteAsync(FormatSideBySide(columns)).ConfigureAwait(false);

        ct.ThrowIfCancellationRequested();
        NaiveBayesModel TrainFold(IReadOnlyList<LabeledAppeal> training) =>
            model is null
                ? NaiveBayesModel.Train(NaiveBayesModel.ExamplesFromLexicon(rules.Lexicon).Concat(training.Select(a => a.ToLabeledText())))
                : model.WithExamples(training.Select(a => a.ToLabeledText()));
        var crossModel = ClassifierEvaluation.CrossValidate(training => new TrainedClassifier(TrainFold(training)), appeals, Folds, Seed);
        ct.ThrowIfCancellationRequested();
        var crossEnsemble = ClassifierEvaluation.CrossValidate(training => new EnsembleClassifier(rules, new TrainedClassifier(TrainFold(training))), appeals, Folds, Seed);

        await stdout.WriteLineAsync().ConfigureAwait(false);
        await stdout.WriteLineAsync(string.Create(
            c,
            $"{Folds}-fold cross-validation on the file (seed {Seed}); each fold classified by a model trained on {(model is null ? "the default lexicon's terms and the other folds" : "the model's examples and the other folds")}:"))
            .ConfigureAwait(false);
        await stdout.WriteAsync(FormatSideBySide([columns[0], ("model (CV)", crossModel), ("ensemble (CV)", crossEnsemble)])).ConfigureAwait(false);

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

    /// <summary>Parses one line of the history: a JSON object with <c>text</c>, <c>topic</c> and an optional <c>subtopic</c>.</summary>
    /// <param name="line">The line.</param>
    /// <param name="example">The example, when the line is valid.</param>
    /// <param name="error">What is wrong with the line, otherwise.</param>
    /// <returns><see langword="true"/> for a valid line.</returns>
    private static bool TryParseExample(string line, out LabeledText example, out string error)
    {
        example = null!;
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

            example = new LabeledText(text.GetString()!, code, string.IsNullOrWhiteSpace(subtopic) ? null : subtopic.Trim());
            error = string.Empty;
            return true;
        }
    }
}
