using BenchmarkDotNet.Attributes;
using Mcu.Sdk.Classification.Text;

namespace Mcu.Sdk.Benchmarks;

/// <summary>The stemmer and the tokenizer: one operation stems every word, or tokenizes every text, of the inputs.</summary>
[MemoryDiagnoser]
public class TextBenchmarks
{
    private string[] _words = [];
    private string[] _texts = [];
    private char[] _buffer = [];

    /// <summary>Loads the inputs.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _words = BenchmarkData.Words;
        _texts = BenchmarkData.EvaluationTexts;
        _buffer = new char[Math.Max(_words.Max(w => w.Length), _texts.Max(t => t.Length))];
    }

    /// <summary>Stems every word into a reused buffer.</summary>
    /// <returns>The total length of the stems.</returns>
    [Benchmark]
    public int StemWords()
    {
        var total = 0;
        foreach (var word in _words)
        {
            total += RussianStemmer.Stem(word, _buffer);
        }

        return total;
    }

    /// <summary>Tokenizes every text into a reused buffer.</summary>
    /// <returns>The number of tokens.</returns>
    [Benchmark]
    public int TokenizeTexts()
    {
        var count = 0;
        foreach (var text in _texts)
        {
            var tokens = new TextTokenizer(text, _buffer);
            while (tokens.MoveNext())
            {
                count++;
            }
        }

        return count;
    }
}
