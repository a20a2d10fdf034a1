using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Mcu.Sdk.Classification;

namespace Mcu.Sdk.Benchmarks;

/// <summary>
/// The classifiers against a baseline: one operation classifies every evaluation text, or parses every evaluation line
/// with System.Text.Json (the cost of merely reading an appeal from a JSON intake).
/// </summary>
[MemoryDiagnoser]
public class ClassifierBenchmarks
{
    private string[] _lines = [];
    private string[] _texts = [];
    private LexiconClassifier _rules = null!;
    private TrainedClassifier _model = null!;
    private EnsembleClassifier _ensemble = null!;
    private StackedClassifier _stacked = null!;

    /// <summary>Loads the texts and builds the classifiers.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _lines = BenchmarkData.EvaluationLines;
        _texts = BenchmarkData.EvaluationTexts;
        _rules = new LexiconClassifier();
        _model = new TrainedClassifier(BenchmarkData.TrainModel());
        _ensemble = new EnsembleClassifier(_rules, _model);
        _stacked = Classification.StackedClassifier.Default;
    }

    /// <summary>Parses every line as a JSON document and reads its text.</summary>
    /// <returns>The total length of the texts.</returns>
    [Benchmark(Baseline = true)]
    public int ParseJsonLines()
    {
        var total = 0;
        foreach (var line in _lines)
        {
            using var document = JsonDocument.Parse(line);
            total += document.RootElement.GetProperty("text").GetString()!.Length;
        }

        return total;
    }

    /// <summary>Classifies every text with the lexicon rules.</summary>
    /// <returns>The number of texts routed to a topic.</returns>
    [Benchmark]
    public int LexiconClassifier() => Count(_rules.Classify);

    /// <summary>Classifies every text with the trained model.</summary>
    /// <returns>The number of texts routed to a topic.</returns>
    [Benchmark]
    public int TrainedClassifier() => Count(_model.Classify);

    /// <summary>Classifies every text with the ensemble of both.</summary>
    /// <returns>The number of texts routed to a topic.</returns>
    [Benchmark]
    public int EnsembleClassifier() => Count(_ensemble.Classify);

    /// <summary>Classifies every text with the default classifier: the rules stacked with the shipped logistic model.</summary>
    /// <returns>The number of texts routed to a topic.</returns>
    [Benchmark]
    public int StackedClassifier() => Count(_stacked.Classify);

    private int Count(Func<string, AppealClassification> classify)
    {
        var routed = 0;
        foreach (var text in _texts)
        {
            if (classify(text).Topic != TopicCode.Other)
            {
                routed++;
            }
        }

        return routed;
    }
}
