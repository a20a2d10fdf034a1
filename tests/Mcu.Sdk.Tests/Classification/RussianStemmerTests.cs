using System.Text;
using Mcu.Sdk.Classification.Text;
using Mcu.Sdk.Tests.TestSupport;
using Xunit;

namespace Mcu.Sdk.Tests.Classification;

public sealed class RussianStemmerTests
{
    private const string VocabularyPath = "data/snowball-russian/voc.txt";
    private const string OutputPath = "data/snowball-russian/output.txt";

    [SharedDataFact(VocabularyPath, OutputPath)]
    public void Stem_OfficialSnowballVocabulary_ReproducesOfficialOutput()
    {
        var words = File.ReadAllLines(SharedData.GetPath(VocabularyPath), Encoding.UTF8);
        var stems = File.ReadAllLines(SharedData.GetPath(OutputPath), Encoding.UTF8);
        Assert.Equal(49_785, words.Length);
        Assert.Equal(words.Length, stems.Length);

        Span<char> buffer = stackalloc char[64];
        var mismatches = 0;
        var report = new StringBuilder();
        for (var i = 0; i < words.Length; i++)
        {
            var length = RussianStemmer.Stem(words[i], buffer);
            var spanStem = buffer[..length];
            var stringStem = RussianStemmer.Stem(words[i]);
            if (!spanStem.SequenceEqual(stems[i]) || stringStem != stems[i])
            {
                if (++mismatches <= 20)
                {
                    report.Append(System.Globalization.CultureInfo.InvariantCulture,
                        $"\n  line {i + 1}: {words[i]} → span '{spanStem}', string '{stringStem}', expected '{stems[i]}'");
                }
            }
        }

        Assert.True(mismatches == 0, $"{mismatches} of {words.Length} words differ from the Snowball output; first ones:{report}");
    }

    [Theory]
    // No vowel, or nothing after the first vowel: RV is empty and the word stays.
    [InlineData("в", "в")]
    [InlineData("а", "а")]
    [InlineData("я", "я")]
    // Perfective gerund, group 1 (after а/я, which stays) and group 2.
    [InlineData("перестав", "переста")]
    [InlineData("поравнявшись", "поравня")]
    [InlineData("сговорившись", "сговор")]
    [InlineData("бывши", "бывш")]
    // Reflexive followed by a verb ending.
    [InlineData("старался", "стара")]
    [InlineData("валяется", "валя")]
    [InlineData("смеешься", "смееш")]
    // Adjectival: adjective alone, and participle + adjective (group 1 after а/я, group 2).
    [InlineData("гнилого", "гнил")]
    [InlineData("кредитными", "кредитн")]
    [InlineData("данную", "дан")]
    [InlineData("военный", "воен")]
    [InlineData("страдающий", "страда")]
    [InlineData("называемый", "называ")]
    [InlineData("непроницаемых", "непроница")]
    [InlineData("разочарованный", "разочарова")]
    [InlineData("верующий", "вер")]
    [InlineData("любивший", "люб")]
    [InlineData("видящий", "видя")]
    // A participle ending of group 1 not after а/я stays.
    [InlineData("тлеющая", "тлеющ")]
    [InlineData("знающая", "знающ")]
    [InlineData("сидевшая", "сидевш")]
    // Verb endings, group 1 (after а/я) and group 2; "ют" after "у" is not a verb ending.
    [InlineData("упрашивала", "упрашива")]
    [InlineData("переезжайте", "переезжа")]
    [InlineData("важничал", "важнича")]
    [InlineData("квартировать", "квартирова")]
    [InlineData("смазать", "смаза")]
    [InlineData("ненавидите", "ненавид")]
    [InlineData("выпейте", "вып")]
    [InlineData("присутствует", "присутств")]
    [InlineData("существуют", "существ")]
    [InlineData("ляжешь", "ляжеш")]
    [InlineData("чуют", "чуют")]
    // Noun endings.
    [InlineData("законов", "закон")]
    [InlineData("порогами", "порог")]
    [InlineData("сенях", "сен")]
    [InlineData("рассуждениями", "рассужден")]
    [InlineData("линией", "лин")]
    [InlineData("усилием", "усил")]
    [InlineData("изложения", "изложен")]
    [InlineData("любовью", "любов")]
    [InlineData("заклятье", "заклят")]
    [InlineData("побои", "побо")]
    // Step 2: a final "и" left after step 1.
    [InlineData("молнии", "молн")]
    [InlineData("павлиньи", "павлин")]
    // Step 3: derivational "ост"/"ость" only when it lies in R2.
    [InlineData("невинность", "невин")]
    [InlineData("нерешительностью", "нерешительн")]
    [InlineData("отсталостью", "отстал")]
    [InlineData("сущности", "сущност")]
    // Step 4: superlative, "нн", final "ь".
    [InlineData("совершеннейший", "совершен")]
    [InlineData("ужаснейшее", "ужасн")]
    [InlineData("малейшему", "мал")]
    [InlineData("важнейшими", "важн")]
    [InlineData("злейший", "злейш")]
    [InlineData("картинно", "картин")]
    [InlineData("мадонн", "мадон")]
    [InlineData("брань", "бран")]
    // ё is treated as е.
    [InlineData("орёл", "орел")]
    [InlineData("всё", "все")]
    [InlineData("ещё", "ещ")]
    public void Stem_OfficialVocabularySample_ReturnsOfficialStem(string word, string expected)
    {
        Span<char> buffer = stackalloc char[word.Length];
        var length = RussianStemmer.Stem(word, buffer);

        Assert.Equal(expected, buffer[..length].ToString());
        Assert.Equal(expected, RussianStemmer.Stem(word));
    }

    [Theory]
    [InlineData("wifi")]
    [InlineData("пoдъезд")] // Latin "o"
    [InlineData("из-за")]
    [InlineData("12а")]
    [InlineData("Трубы")] // upper case is not accepted by the span overload
    [InlineData("")]
    public void Stem_SpanWithCharactersOtherThanLowerCaseRussianLetters_CopiesWordUnchanged(string word)
    {
        Span<char> buffer = stackalloc char[word.Length + 3];
        buffer.Fill('#');

        var length = RussianStemmer.Stem(word, buffer);

        Assert.Equal(word, buffer[..length].ToString());
        Assert.Equal("###", buffer[length..].ToString());
    }

    [Fact]
    public void Stem_DestinationShorterThanWord_ThrowsArgumentException()
    {
        var exception = Assert.Throws<ArgumentException>(() => RussianStemmer.Stem("трубы", new char[4]));

        Assert.Equal("destination", exception.ParamName);
    }

    [Fact]
    public void Stem_DestinationIsTheWordItself_StemsInPlace()
    {
        var word = "подъездах".ToCharArray();

        var length = RussianStemmer.Stem(word, word);

        Assert.Equal("подъезд", new string(word, 0, length));
    }

    [Fact]
    public void Stem_SpanWithYo_FoldsYoInDestinationOnly()
    {
        var word = "актёрский".ToCharArray();
        var destination = new char[word.Length];

        var length = RussianStemmer.Stem(word, destination);

        Assert.Equal("актерск", new string(destination, 0, length));
        Assert.Equal("актёрский", new string(word));
    }

    [Theory]
    [InlineData("ПОДЪЕЗДАХ", "подъезд")]
    [InlineData("Актёрский", "актерск")]
    [InlineData("ЁЛКИ", "елк")]
    [InlineData("WiFi", "wifi")]
    [InlineData("Ростов-на-Дону", "ростов-на-дону")]
    public void Stem_StringOfAnyCase_LowerCasesThenStems(string word, string expected)
    {
        Assert.Equal(expected, RussianStemmer.Stem(word));
    }

    [Fact]
    public void Stem_StringAlreadyAStem_ReturnsSameInstance()
    {
        var word = "подъезд";

        Assert.Same(word, RussianStemmer.Stem(word));
    }

    [Fact]
    public void Stem_StringLongerThanStackBuffer_StemsWord()
    {
        var word = string.Concat(Enumerable.Repeat("пере", 50)) + "строенными";

        var stem = RussianStemmer.Stem(word);

        Assert.Equal(string.Concat(Enumerable.Repeat("пере", 50)) + "строен", stem);
    }

    [Fact]
    public void Stem_NullString_ThrowsArgumentNullException()
    {
        Assert.Throws<ArgumentNullException>(() => RussianStemmer.Stem(null!));
    }

    [Fact]
    public void Stem_EmptyString_ReturnsEmpty()
    {
        Assert.Equal(string.Empty, RussianStemmer.Stem(string.Empty));
    }

    [Fact]
    public void Stem_SpanOverload_DoesNotAllocate()
    {
        string[] words = ["подъездах", "протекает", "отремонтированного", "остановившись", "ёлками", "wifi", "важнейшими"];
        var buffer = new char[32];
        var total = StemAll(words, buffer); // warm up

        // The runtime may allocate once on this thread while it re-compiles hot code (tiered JIT): require one of a few
        // steady-state batches to allocate nothing.
        var allocated = long.MaxValue;
        for (var batch = 0; batch < 5 && allocated != 0; batch++)
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            for (var round = 0; round < 1_000; round++)
            {
                total += StemAll(words, buffer);
            }

            allocated = Math.Min(allocated, GC.GetAllocatedBytesForCurrentThread() - before);
        }

        Assert.Equal(0, allocated);
        Assert.True(total > 0);
    }

    private static int StemAll(string[] words, char[] buffer)
    {
        var total = 0;
        foreach (var word in words)
        {
            total += RussianStemmer.Stem(word, buffer);
        }

        return total;
    }
}
