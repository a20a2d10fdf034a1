using Mcu.Sdk.Classification;

namespace Mcu.Sdk.Tests.Classification;

public sealed class LexiconWordTableTests
{
    private static LexiconWord Word(int symbol) => new(symbol, -1, CompiledLexicon.WordFlags.None, -1, null);

    [Fact]
    public void AddAndTryGet_KeepEveryForm_AcrossGrowth()
    {
        var table = new LexiconWordTable();
        for (var i = 0; i < 5000; i++)
        {
            table.Add("слово" + i, Word(i));
        }

        Assert.Equal(5000, table.FormCount);
        for (var i = 0; i < 5000; i++)
        {
            Assert.True(table.TryGet(("слово" + i).AsSpan(), out var word));
            Assert.Equal(i, word.WordSymbol);
        }

        Assert.False(table.TryGet("слово5000".AsSpan(), out _));
        Assert.False(table.TryGet(string.Empty.AsSpan(), out _));

        // A form is kept once: a second add changes nothing.
        table.Add("слово1", Word(-7));
        Assert.True(table.TryGet("слово1".AsSpan(), out var again));
        Assert.Equal(1, again.WordSymbol);
        Assert.Equal(5000, table.FormCount);
    }

    [Fact]
    public void Add_FullTableOrLongForm_KeepsNothingMore()
    {
        var table = new LexiconWordTable(maxForms: 10);
        for (var i = 0; i < 20; i++)
        {
            table.Add("w" + i, Word(i));
        }

        Assert.Equal(10, table.FormCount);
        Assert.True(table.TryGet("w9".AsSpan(), out _));
        Assert.False(table.TryGet("w10".AsSpan(), out _));
        table.Add(new string('а', LexiconWordTable.MaxFormLength + 1), Word(1));
        Assert.Equal(10, table.FormCount);

        var ids = Enumerable.Range(0, 12).Select(i => table.GetOrAddStem(("стем" + i).AsSpan(), out _)).ToArray();
        Assert.Equal(Enumerable.Range(0, 10).Append(-1).Append(-1), ids);
        Assert.Equal(3, table.GetOrAddStem("стем3".AsSpan(), out var text));
        Assert.Equal("стем3", text);
    }

    [Fact]
    public void ConcurrentAddsAndReads_AgreeWithWhatWasAdded()
    {
        var table = new LexiconWordTable();
        var failures = 0;
        Parallel.For(0, 4, worker =>
        {
            for (var i = 0; i < 20_000; i++)
            {
                var n = (i * 7 + worker * 13) % 6000;
                var form = "ф" + n;
                if (table.TryGet(form.AsSpan(), out var word))
                {
                    if (word.WordSymbol != n)
                    {
                        Interlocked.Increment(ref failures);
                    }
                }
                else
                {
                    table.Add(form, Word(n));
                }

                if (table.GetOrAddStem(("с" + (n % 500)).AsSpan(), out var stem) < 0 || stem != "с" + (n % 500))
                {
                    Interlocked.Increment(ref failures);
                }
            }
        });

        Assert.Equal(0, failures);
        Assert.Equal(6000, table.FormCount);
    }

    [Fact]
    public void Classifiers_FirstReadInParallel_GiveWhatTheyGiveOneByOne()
    {
        // The word table starts empty: texts read first by many threads at once must classify as they do one by one.
        var texts = ClassifierEvaluation.LoadJsonlFile(Path.Combine(AppContext.BaseDirectory, "Classification", "Data", "appeals-dev.jsonl"))
            .Select(a => a.Text)
            .ToArray();
        var sequential = new StackedClassifier(new LexiconClassifier(), LogisticModel.Default);
        var expected = texts.Select(t => sequential.Classify(t).ToString()).ToArray();
        var rulesExpected = texts.Select(t => sequential.Rules.Classify(t).ToString()).ToArray();
        var stacked = new StackedClassifier(new LexiconClassifier(), LogisticModel.Default);
        var rules = new LexiconClassifier();
        var failures = 0;

        Parallel.For(0, texts.Length * 4, i =>
        {
            var index = i % texts.Length;
            if (stacked.Classify(texts[index]).ToString() != expected[index] || rules.Classify(texts[index]).ToString() != rulesExpected[index])
            {
                Interlocked.Increment(ref failures);
            }
        });

        Assert.Equal(0, failures);
    }
}
