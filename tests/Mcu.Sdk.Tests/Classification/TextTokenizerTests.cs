using System.Text;
using Mcu.Sdk.Classification.Text;
using Xunit;

namespace Mcu.Sdk.Tests.Classification;

public sealed class TextTokenizerTests
{
    [Fact]
    public void MoveNext_SimpleSentence_ReturnsLowerCaseWordsWithOffsets()
    {
        var tokens = Tokenize("Прорвало ТРУБУ в подъезде");

        Assert.Equal(
            [
                new Token("прорвало", TokenKind.Word, 0, true),
                new Token("трубу", TokenKind.Word, 9, false),
                new Token("в", TokenKind.Word, 15, false),
                new Token("подъезде", TokenKind.Word, 17, false),
            ],
            tokens);
    }

    [Fact]
    public void MoveNext_EmptyText_ReturnsFalse()
    {
        var tokenizer = new TextTokenizer(ReadOnlySpan<char>.Empty, Span<char>.Empty);

        Assert.False(tokenizer.MoveNext());
        Assert.True(tokenizer.Current.IsEmpty);
    }

    [Theory]
    [InlineData("😡😡😡")]
    [InlineData("👍🏻❤️🔥 ☀️✅")]
    [InlineData("!!! ??? ... — ,,, ♥")]
    [InlineData("   \r\n\t ")]
    public void MoveNext_EmojiOrPunctuationOnly_ProducesNoTokens(string text)
    {
        Assert.Empty(Tokenize(text));
    }

    [Fact]
    public void MoveNext_RepeatedPunctuation_IsIgnoredAndBreaksClauses()
    {
        var tokens = Tokenize("Когда!!! дадут??? воду...");

        Assert.Equal(["когда", "дадут", "воду"], tokens.Select(token => token.Text));
        Assert.All(tokens, token => Assert.True(token.StartsClause));
    }

    [Fact]
    public void MoveNext_EmojiBetweenWords_IsIgnoredAndStartsClause()
    {
        var tokens = Tokenize("Нет света 😡😡 третий день👍🏻");

        Assert.Equal(["нет", "света", "третий", "день"], tokens.Select(token => token.Text));
        Assert.Equal([true, false, true, false], tokens.Select(token => token.StartsClause));
        Assert.Equal(15, tokens[2].Start);
    }

    [Fact]
    public void MoveNext_HyphenBetweenLetters_SplitsIntoSeparateWordsOfTheSameClause()
    {
        var tokens = Tokenize("Из-за ямы в Ростов-на-Дону");

        Assert.Equal(
            [
                new Token("из", TokenKind.Word, 0, true),
                new Token("за", TokenKind.Word, 3, false),
                new Token("ямы", TokenKind.Word, 6, false),
                new Token("в", TokenKind.Word, 10, false),
                new Token("ростов", TokenKind.Word, 12, false),
                new Token("на", TokenKind.Word, 19, false),
                new Token("дону", TokenKind.Word, 22, false),
            ],
            tokens);
    }

    [Theory]
    [InlineData("дом 12а", "12а")]
    [InlineData("дом 12А", "12а")]
    [InlineData("дом 12-а", "12а")]
    [InlineData("дом 5/2", "5/2")]
    [InlineData("дом 15к2", "15к2")]
    [InlineData("дом 7с1, кв. 3", "7с1")]
    [InlineData("дом 2024", "2024")]
    public void MoveNext_HouseNumber_IsOneNumberToken(string text, string expected)
    {
        var tokens = Tokenize(text);

        Assert.Equal(new Token(expected, TokenKind.Number, 4, false), tokens[1]);
    }

    [Fact]
    public void MoveNext_DigitsFollowedByLongerWord_SplitsNumberAndWord()
    {
        var tokens = Tokenize("5этаж 12аб");

        Assert.Equal(
            [
                new Token("5", TokenKind.Number, 0, true),
                new Token("этаж", TokenKind.Word, 1, false),
                new Token("12", TokenKind.Number, 6, false),
                new Token("аб", TokenKind.Word, 8, false),
            ],
            tokens);
    }

    [Fact]
    public void MoveNext_LatinLookAlikeInsideRussianWord_FoldsToCyrillic()
    {
        // "пoдъезд" with a Latin "o", "Bода" with a Latin "B", "HOMEр" with Latin "HOME".
        var tokens = Tokenize("пoдъезд Bода HOMEр");

        Assert.Equal(["подъезд", "вода", "номер"], tokens.Select(token => token.Text));
        Assert.All(tokens, token => Assert.DoesNotContain(token.Text, c => c < 0x80));
    }

    [Theory]
    [InlineData("wifi", "wifi")]
    [InlineData("WiFi", "wifi")]
    [InlineData("iphoneом", "iphoneом")] // "i" and "n" have no look-alike: a deliberate mix, kept
    public void MoveNext_WordWithoutFoldableMix_KeepsLatinLetters(string text, string expected)
    {
        Assert.Equal(expected, Assert.Single(Tokenize(text)).Text);
    }

    [Fact]
    public void MoveNext_YoAndUpperCase_AreNormalized()
    {
        Assert.Equal(["еще", "елки"], Tokenize("ЕЩЁ Ёлки").Select(token => token.Text));
    }

    [Fact]
    public void MoveNext_CombiningMarksAndInvisibleCharacters_AreRemovedAndOffsetsStayOriginal()
    {
        // Stress mark, decomposed "й", soft hyphen and zero-width space inside words.
        const string Text = "за\u0301мок и\u0306од под\u00ADъезд све\u200Bт";

        var tokens = Tokenize(Text);

        Assert.Equal(
            [
                new Token("замок", TokenKind.Word, 0, true),
                new Token("йод", TokenKind.Word, 7, false),
                new Token("подъезд", TokenKind.Word, 12, false),
                new Token("свет", TokenKind.Word, 21, false),
            ],
            tokens);
    }

    [Theory]
    [InlineData("Нет воды. Когда")]
    [InlineData("Нет воды! Когда")]
    [InlineData("Нет воды? Когда")]
    [InlineData("Нет воды; когда")]
    [InlineData("Нет воды: когда")]
    [InlineData("Нет воды\nкогда")]
    [InlineData("Нет воды\r\nкогда")]
    [InlineData("Нет воды… когда")]
    [InlineData("Нет воды — когда")]
    [InlineData("Нет воды – когда")]
    [InlineData("Нет воды - когда")]
    [InlineData("Нет воды ☹ когда")]
    public void MoveNext_TokenAfterClauseBreak_StartsClause(string text)
    {
        var tokens = Tokenize(text);

        Assert.Equal([true, false, true], tokens.Select(token => token.StartsClause));
    }

    [Theory]
    [InlineData("Нет воды, когда")]
    [InlineData("Нет воды когда")]
    [InlineData("Нет воды (когда")]
    [InlineData("Нет воды \"когда")]
    [InlineData("Нет воды-когда")]
    public void MoveNext_TokenAfterCommaSpaceOrHyphen_ContinuesClause(string text)
    {
        var tokens = Tokenize(text);

        Assert.Equal([true, false, false], tokens.Select(token => token.StartsClause));
    }

    [Theory]
    [InlineData("в 10:30 отключили", new[] { "в", "10", "30", "отключили" })]
    [InlineData("с 01.02.2024 нет", new[] { "с", "01", "02", "2024", "нет" })]
    [InlineData("на 3.5 метра", new[] { "на", "3", "5", "метра" })]
    [InlineData("ул. Ленина, д. 5, кв. 7", new[] { "ул", "ленина", "д", "5", "кв", "7" })]
    [InlineData("г. Казань, пр. Победы", new[] { "г", "казань", "пр", "победы" })]
    [InlineData("и т.д. и т.п., т.е. всё", new[] { "и", "т", "д", "и", "т", "п", "т", "е", "все" })]
    public void MoveNext_PeriodOrColonBetweenDigitsOrAfterAbbreviation_ContinuesClause(string text, string[] expected)
    {
        var tokens = Tokenize(text);

        Assert.Equal(expected, tokens.Select(token => token.Text));
        Assert.Equal(Enumerable.Range(0, expected.Length).Select(index => index == 0), tokens.Select(token => token.StartsClause));
    }

    [Fact]
    public void MoveNext_PeriodAfterOrdinaryWord_StartsClauseEvenWhenLowerCase()
    {
        var tokens = Tokenize("нет воды. когда дадут");

        Assert.True(tokens[2].StartsClause);
    }

    [Fact]
    public void MoveNext_SecondPeriodAfterAbbreviation_StartsClause()
    {
        var tokens = Tokenize("ул... Ленина");

        Assert.True(tokens[1].StartsClause);
    }

    [Fact]
    public void Constructor_BufferShorterThanText_ThrowsArgumentException()
    {
        var exception = Assert.Throws<ArgumentException>(() => new TextTokenizer("трубы", new char[4]));

        Assert.Equal("buffer", exception.ParamName);
    }

    [Fact]
    public void MoveNext_BufferIsTheTextItself_TokenizesInPlace()
    {
        var text = "За\u0301мок-Сити, дом 12-А — Пoдъезд".ToCharArray();

        var tokenizer = new TextTokenizer(text, text);
        var tokens = new List<string>();
        while (tokenizer.MoveNext())
        {
            tokens.Add(tokenizer.Current.ToString());
        }

        Assert.Equal(["замок", "сити", "дом", "12а", "подъезд"], tokens);
    }

    [Fact]
    public void MoveNext_AfterLastToken_KeepsReturningFalseWithEmptyCurrent()
    {
        var tokenizer = new TextTokenizer("вода", new char[4]);

        Assert.True(tokenizer.MoveNext());
        Assert.False(tokenizer.MoveNext());
        Assert.False(tokenizer.MoveNext());
        Assert.True(tokenizer.Current.IsEmpty);
        Assert.False(tokenizer.CurrentStartsClause);
    }

    [Fact]
    public void MoveNext_HundredKilobyteText_TokenizesEverythingWithoutAllocating()
    {
        const string Sentence = "Во дворе дома 15к2 на ул. Ленина открыт люк!!! Дети рядом 😡 Прошу срочно закрыть — опасно.\n";
        var builder = new StringBuilder();
        var sentences = 0;
        while (builder.Length < 100 * 1024)
        {
            builder.Append(Sentence);
            sentences++;
        }

        var text = builder.ToString();
        var buffer = new char[text.Length];
        var expectedWords = Tokenize(Sentence);
        Assert.Equal(15, expectedWords.Count);
        CountTokens(text, buffer); // warm up

        // The runtime itself may allocate once on this thread while it re-compiles hot code (tiered JIT): measure a few
        // steady-state runs and require one of them to allocate nothing.
        var allocated = long.MaxValue;
        (int Count, int Clauses, int Numbers, int LastStart) result = default;
        for (var run = 0; run < 5 && allocated != 0; run++)
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            result = CountTokens(text, buffer);
            allocated = Math.Min(allocated, GC.GetAllocatedBytesForCurrentThread() - before);
        }

        var (count, clauses, numbers, lastStart) = result;

        Assert.Equal(sentences * expectedWords.Count, count);
        Assert.Equal(sentences * expectedWords.Count(token => token.StartsClause), clauses);
        Assert.Equal(sentences, numbers);
        Assert.Equal(text.Length - Sentence.Length + expectedWords[^1].Start, lastStart);
        Assert.Equal(0, allocated);
    }

    private static (int Count, int Clauses, int Numbers, int LastStart) CountTokens(string text, char[] buffer)
    {
        int count = 0, clauses = 0, numbers = 0, lastStart = -1;
        var tokenizer = new TextTokenizer(text, buffer);
        while (tokenizer.MoveNext())
        {
            count++;
            clauses += tokenizer.CurrentStartsClause ? 1 : 0;
            numbers += tokenizer.CurrentKind == TokenKind.Number ? 1 : 0;
            lastStart = tokenizer.CurrentStart;
        }

        return (count, clauses, numbers, lastStart);
    }

    private static List<Token> Tokenize(string text)
    {
        var buffer = new char[text.Length];
        var tokenizer = new TextTokenizer(text, buffer);
        var tokens = new List<Token>();
        while (tokenizer.MoveNext())
        {
            tokens.Add(new Token(tokenizer.Current.ToString(), tokenizer.CurrentKind, tokenizer.CurrentStart, tokenizer.CurrentStartsClause));
        }

        return tokens;
    }

    private sealed record Token(string Text, TokenKind Kind, int Start, bool StartsClause);
}

public sealed class TextNormalizerTests
{
    [Theory]
    [InlineData("Ёлка ЗЕЛЁНАЯ!", "елка зеленая!")]
    [InlineData("Пoдъeзд №5", "подъезд №5")] // Latin "o" and "e"
    [InlineData("HOMEр и Bода", "номер и вода")]
    [InlineData("Wi-Fi и wifi в ТЦ", "wi-fi и wifi в тц")]
    [InlineData("iPhoneом", "iphoneом")]
    [InlineData("ДОМ 12-А, КВ. 7", "дом 12-а, кв. 7")]
    [InlineData("😡 Нет!!!", "😡 нет!!!")]
    [InlineData("", "")]
    public void Normalize_String_AppliesRules(string text, string expected)
    {
        Assert.Equal(expected, TextNormalizer.Normalize(text));
    }

    [Fact]
    public void Normalize_CombiningMarks_AreRemovedAndLengthShrinks()
    {
        const string Text = "За\u0301мок и\u0306од";
        var destination = new char[Text.Length];

        var length = TextNormalizer.Normalize(Text, destination);

        Assert.Equal("замок йод", new string(destination, 0, length));
        Assert.Equal(Text.Length - 2, length);
    }

    [Fact]
    public void Normalize_DestinationIsTheTextItself_NormalizesInPlace()
    {
        var text = "Пoдъезд Ёлки за\u0301мок".ToCharArray();

        var length = TextNormalizer.Normalize(text, text);

        Assert.Equal("подъезд елки замок", new string(text, 0, length));
    }

    [Fact]
    public void Normalize_DestinationShorterThanText_ThrowsArgumentException()
    {
        var exception = Assert.Throws<ArgumentException>(() => TextNormalizer.Normalize("текст", new char[2]));

        Assert.Equal("destination", exception.ParamName);
    }

    [Fact]
    public void Normalize_AlreadyNormalString_ReturnsSameInstance()
    {
        var text = "нет воды в доме 5";

        Assert.Same(text, TextNormalizer.Normalize(text));
    }

    [Fact]
    public void Normalize_NullString_ThrowsArgumentNullException()
    {
        Assert.Throws<ArgumentNullException>(() => TextNormalizer.Normalize(null!));
    }
}
