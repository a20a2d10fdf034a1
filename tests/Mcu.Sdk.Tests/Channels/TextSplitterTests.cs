using Mcu.Sdk.Channels;

namespace Mcu.Sdk.Tests.Channels;

public sealed class TextSplitterTests
{
    [Fact]
    public void Split_ShortText_OnePart() => Assert.Equal(["Здравствуйте!"], TextSplitter.Split("Здравствуйте!", 4096));

    [Fact]
    public void Split_LongRussianText_PartsWithinLimitAtWordBoundaries()
    {
        var words = Enumerable.Range(0, 3000).Select(i => i % 7 == 0 ? "водоснабжение." : "восстановлено").ToArray();
        var text = string.Join(' ', words);
        var parts = TextSplitter.Split(text, 4096);

        Assert.True(parts.Count > 1);
        Assert.All(parts, p => Assert.InRange(p.Length, 1, 4096));
        Assert.All(parts, p => Assert.False(char.IsWhiteSpace(p[0]) || char.IsWhiteSpace(p[^1])));
        Assert.Equal(words, parts.SelectMany(p => p.Split(' ')).ToArray()); // no word cut, nothing lost
    }

    [Fact]
    public void Split_PrefersParagraphThenSentence()
    {
        var paragraph = new string('а', 30) + " " + new string('б', 30);
        var text = paragraph + "\n\n" + paragraph + ". " + paragraph;
        var parts = TextSplitter.Split(text, 100);
        Assert.Equal(paragraph, parts[0]);
        Assert.Equal(paragraph + ".", parts[1]);
    }

    [Fact]
    public void Split_WordLongerThanLimit_IsCutWithoutBreakingSurrogatePairs()
    {
        var text = string.Concat(Enumerable.Repeat("😀", 40)); // 80 UTF-16 units, no spaces
        var parts = TextSplitter.Split(text, 31);
        Assert.All(parts, p => Assert.True(p.Length <= 31));
        Assert.All(parts, p => Assert.False(char.IsHighSurrogate(p[^1])));
        Assert.Equal(text, string.Concat(parts));
    }

    [Fact]
    public void Split_InvalidArguments_Throw()
    {
        Assert.Throws<ArgumentNullException>(() => TextSplitter.Split(null!, 100));
        Assert.Throws<ArgumentOutOfRangeException>(() => TextSplitter.Split("x", 10));
    }
}
