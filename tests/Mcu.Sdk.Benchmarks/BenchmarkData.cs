using System.Text;
using System.Text.Json;
using Mcu.Sdk.Classification;
using Mcu.Sdk.Classification.Text;

namespace Mcu.Sdk.Benchmarks;

/// <summary>
/// The inputs of the benchmarks, found by walking up from the benchmark's folder: the labelled appeals of the test project
/// (<c>tests/Mcu.Sdk.Tests/Classification/Data</c>) and the Snowball vocabulary of the shared data folder
/// (<c>shared/data/snowball-russian/voc.txt</c>, or the folder named by <c>MCU_SHARED_DIR</c>).
/// </summary>
public static class BenchmarkData
{
    private const string DataFolder = "tests/Mcu.Sdk.Tests/Classification/Data";
    private const string VocabularyPath = "data/snowball-russian/voc.txt";

    private static readonly Lazy<string[]> EvaluationLinesValue = new(() =>
        ReadLines("appeals-dev.jsonl").Concat(ReadLines("appeals-test.jsonl")).ToArray());

    private static readonly Lazy<string[]> EvaluationTextsValue = new(() =>
        EvaluationLines.Select(line =>
        {
            using var document = JsonDocument.Parse(line);
            return document.RootElement.GetProperty("text").GetString() ?? string.Empty;
        }).ToArray());

    private static readonly Lazy<(string[] Words, string Source)> WordsValue = new(LoadWords);

    /// <summary>Gets the JSON lines of the labelled development and test appeals.</summary>
    public static string[] EvaluationLines => EvaluationLinesValue.Value;

    /// <summary>Gets the texts of those appeals.</summary>
    public static string[] EvaluationTexts => EvaluationTextsValue.Value;

    /// <summary>Gets the words the stemmer benchmark stems: the Snowball vocabulary, or the evaluation texts' words when it is absent.</summary>
    public static string[] Words => WordsValue.Value.Words;

    /// <summary>Gets where <see cref="Words"/> came from.</summary>
    public static string WordsSource => WordsValue.Value.Source;

    /// <summary>Trains the benchmarks' model: the history of the test project plus the default lexicon's terms.</summary>
    /// <returns>The model.</returns>
    public static NaiveBayesModel TrainModel()
    {
        var history = ReadLines("history-train.jsonl").Select(line =>
        {
            using var document = JsonDocument.Parse(line);
            var root = document.RootElement;
            var subtopic = root.TryGetProperty("subtopic", out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
            return new LabeledText(root.GetProperty("text").GetString() ?? string.Empty, new TopicCode(root.GetProperty("topic").GetString()!), subtopic);
        });
        return NaiveBayesModel.Train(history.Concat(NaiveBayesModel.ExamplesFromLexicon(Lexicon.Default)));
    }

    private static string[] ReadLines(string fileName)
    {
        var path = FindUpwards(Path.Combine(DataFolder, fileName))
            ?? throw new FileNotFoundException($"'{DataFolder}/{fileName}' was not found in any folder above '{AppContext.BaseDirectory}'.", fileName);
        return File.ReadLines(path, Encoding.UTF8).Where(line => !string.IsNullOrWhiteSpace(line)).ToArray();
    }

    private static (string[] Words, string Source) LoadWords()
    {
        var configured = Environment.GetEnvironmentVariable("MCU_SHARED_DIR");
        var path = !string.IsNullOrWhiteSpace(configured) && File.Exists(Path.Combine(configured, VocabularyPath))
            ? Path.Combine(configured, VocabularyPath)
            : FindUpwards(Path.Combine("shared", VocabularyPath));
        if (path is not null)
        {
            return (File.ReadAllLines(path, Encoding.UTF8).Where(word => word.Length > 0).ToArray(), "Snowball voc.txt");
        }

        // Without the shared folder: the normalized words of the evaluation texts.
        var words = new List<string>();
        foreach (var text in EvaluationTexts)
        {
            var buffer = new char[text.Length];
            var tokens = new TextTokenizer(text, buffer);
            while (tokens.MoveNext())
            {
                if (tokens.CurrentKind == TokenKind.Word)
                {
                    words.Add(tokens.Current.ToString());
                }
            }
        }

        return ([.. words], "evaluation texts' words");
    }

    private static string? FindUpwards(string relativePath)
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var path = Path.Combine(directory.FullName, relativePath);
            if (File.Exists(path))
            {
                return path;
            }
        }

        return null;
    }
}
