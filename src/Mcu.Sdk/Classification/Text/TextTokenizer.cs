namespace Mcu.Sdk.Classification.Text;

/// <summary>
/// Splits a citizen's text into normalized word and number tokens without allocating, and marks the tokens that
/// start a clause.
/// </summary>
/// <remarks>
/// <para><b>Words.</b> A word is a run of Cyrillic and Latin letters, normalized as <see cref="TextNormalizer"/> does
/// (lower case, <c>ё</c> → <c>е</c>, Latin look-alikes folded inside Russian words, combining marks and zero-width
/// characters removed). A hyphen or an apostrophe between letters separates tokens: <c>из-за</c> gives <c>из</c> and
/// <c>за</c>, <c>Ростов-на-Дону</c> gives <c>ростов</c>, <c>на</c>, <c>дону</c>.</para>
/// <para><b>Numbers.</b> A number is a run of the digits <c>0</c>–<c>9</c>. A house number stays one token: digits may be
/// followed by a single letter (<c>12а</c>, also written <c>12-а</c>, which gives <c>12а</c>), by <c>/</c> and digits
/// (<c>5/2</c>), or by a single letter and digits (<c>15к2</c>, <c>7с1</c>). A longer run of letters after digits is a
/// separate word: <c>5этаж</c> gives <c>5</c> and <c>этаж</c>.</para>
/// <para><b>Everything else</b> (punctuation, repeated or not, symbols, emoji and other surrogate pairs, letters of other
/// scripts) never produces a token.</para>
/// <para><b>Clauses.</b> <see cref="CurrentStartsClause"/> is <see langword="true"/> for the first token and for a token
/// preceded by any of: <c>. ! ? ; :</c>, the ellipsis <c>…</c>, a line or paragraph break, a dash (<c>—</c>, <c>–</c>, or a
/// hyphen standing alone between spaces), or an emoji or pictographic symbol (people end sentences with them in
/// messages). Exceptions: <c>.</c> and <c>:</c> between two digits (<c>3.5</c>, <c>10:30</c>, <c>01.02.2024</c>) and
/// <c>.</c> right after a common abbreviation of addresses and references (<c>ул.</c>, <c>д.</c>, <c>кв.</c>,
/// <c>корп.</c>, <c>стр.</c>, <c>пр.</c>, <c>просп.</c>, <c>пер.</c>, <c>пл.</c>, <c>наб.</c>, <c>бул.</c>, <c>ш.</c>,
/// <c>мкр.</c>, <c>мкрн.</c>, <c>г.</c>, <c>п.</c>, <c>пос.</c>, <c>пгт.</c>, <c>обл.</c>, <c>им.</c>, <c>см.</c>,
/// <c>тел.</c>, <c>эт.</c>, <c>каб.</c>, and the letters of <c>т.е.</c>, <c>т.к.</c>, <c>т.д.</c>, <c>т.п.</c>) do not break a
/// clause. A second period (<c>ул...</c>) does. Commas, brackets and quotes never break a clause.</para>
/// <para>The normalized token is written into the buffer at the token's offset in the text, so a token stays valid until
/// the buffer is reused. Normalization never lengthens a token.</para>
/// </remarks>
/// <example>
/// <code>
/// Span&lt;char&gt; buffer = text.Length &lt;= 512 ? stackalloc char[text.Length] : new char[text.Length];
/// var tokens = new TextTokenizer(text, buffer);
/// while (tokens.MoveNext())
/// {
///     Use(tokens.Current, tokens.CurrentKind, tokens.CurrentStartsClause);
/// }
/// </code>
/// </example>
public ref struct TextTokenizer
{
    private readonly ReadOnlySpan<char> _text;
    private readonly Span<char> _buffer;
    private int _position;
    private bool _clausePending;
    private ReadOnlySpan<char> _current;
    private TokenKind _currentKind;
    private int _currentStart;
    private int _currentEnd;
    private bool _currentStartsClause;

    /// <summary>Initializes a new instance of the <see cref="TextTokenizer"/> struct.</summary>
    /// <param name="text">The text to tokenize; any length, possibly empty.</param>
    /// <param name="buffer">
    /// The buffer that receives the normalized tokens; at least as long as <paramref name="text"/>. It may be the very
    /// memory of <paramref name="text"/>, which is then overwritten token by token.
    /// </param>
    /// <exception cref="ArgumentException"><paramref name="buffer"/> is shorter than <paramref name="text"/>.</exception>
    public TextTokenizer(ReadOnlySpan<char> text, Span<char> buffer)
    {
        if (buffer.Length < text.Length)
        {
            throw new ArgumentException(
                $"The buffer ({buffer.Length} characters) is shorter than the text ({text.Length} characters).",
                nameof(buffer));
        }

        _text = text;
        _buffer = buffer;
        _clausePending = true;
    }

    /// <summary>Gets the current token, normalized; empty before the first <see cref="MoveNext"/> and after the last.</summary>
    public readonly ReadOnlySpan<char> Current => _current;

    /// <summary>Gets the kind of the current token.</summary>
    public readonly TokenKind CurrentKind => _currentKind;

    /// <summary>Gets the offset of the current token's first character in the original text.</summary>
    public readonly int CurrentStart => _currentStart;

    /// <summary>
    /// Gets a value indicating whether the current token starts a clause: it is the first token, or it follows a sentence
    /// or clause break (see the remarks of <see cref="TextTokenizer"/>).
    /// </summary>
    public readonly bool CurrentStartsClause => _currentStartsClause;

    /// <summary>Advances to the next token.</summary>
    /// <returns><see langword="true"/> when there is a next token; <see langword="false"/> at the end of the text.</returns>
    public bool MoveNext()
    {
        var text = _text;
        while (_position < text.Length)
        {
            var c = text[_position];
            if (TextNormalizer.IsWordLetter(c))
            {
                var end = TextNormalizer.ScanWord(text, _position, out var foldLookAlikes);
                var length = TextNormalizer.NormalizeWord(text[_position..end], _buffer[_position..], foldLookAlikes);
                SetCurrent(TokenKind.Word, end, length);
                return true;
            }

            if (char.IsAsciiDigit(c))
            {
                ReadNumber();
                return true;
            }

            if (char.IsHighSurrogate(c) && _position + 1 < text.Length && char.IsLowSurrogate(text[_position + 1]))
            {
                // Emoji and other characters outside the basic plane.
                _clausePending = true;
                _position += 2;
                continue;
            }

            _clausePending |= BreaksClause(c);
            _position++;
        }

        _current = default;
        _currentStart = text.Length;
        _currentEnd = text.Length;
        _currentStartsClause = false;
        return false;
    }

    private static bool IsAbbreviation(ReadOnlySpan<char> word) => word switch
    {
        "ул" or "д" or "кв" or "корп" or "стр" or "пр" or "просп" or "пер" or "пл" or "наб" or "бул" or "ш" or "мкр"
            or "мкрн" or "г" or "п" or "пос" or "пгт" or "обл" or "им" or "см" or "тел" or "эт" or "каб"
            or "т" or "е" or "к" => true,
        _ => false,
    };

    private static bool IsPictograph(char c) =>
        c is (>= '\u2300' and <= '\u23FF') or (>= '\u2600' and <= '\u27BF') or (>= '\u2B00' and <= '\u2BFF');

    private static bool IsSpaceOrEdge(ReadOnlySpan<char> text, int index) =>
        (uint)index >= (uint)text.Length || char.IsWhiteSpace(text[index]);

    private readonly bool IsBetweenDigits(int index) =>
        index > 0 && index + 1 < _text.Length && char.IsAsciiDigit(_text[index - 1]) && char.IsAsciiDigit(_text[index + 1]);

    private readonly bool BreaksClause(char c) => c switch
    {
        '!' or '?' or ';' or '…' or '\n' or '\r' or '\u0085' or '\u2028' or '\u2029' or '—' or '–' => true,
        '.' => !IsBetweenDigits(_position) && !FollowsAbbreviation(),
        ':' => !IsBetweenDigits(_position),
        '-' or '\u2010' or '\u2011' or '\u2212' => IsSpaceOrEdge(_text, _position - 1) && IsSpaceOrEdge(_text, _position + 1),
        _ => IsPictograph(c),
    };

    private readonly bool FollowsAbbreviation() =>
        _currentEnd == _position && _currentKind == TokenKind.Word && !_current.IsEmpty && IsAbbreviation(_current);

    // Reads digits and the house-number parts that may follow them: "/" and digits, a single letter (optionally after a
    // hyphen, which is dropped), and digits after that letter.
    private void ReadNumber()
    {
        var text = _text;
        var start = _position;
        var buffer = _buffer[start..];
        var written = 0;
        var i = start;
        while (true)
        {
            while (i < text.Length && char.IsAsciiDigit(text[i]))
            {
                buffer[written++] = text[i++];
            }

            if (i + 1 < text.Length && text[i] == '/' && char.IsAsciiDigit(text[i + 1]))
            {
                buffer[written++] = '/';
                i++;
                continue;
            }

            var letter = i < text.Length && text[i] == '-' ? i + 1 : i;
            if (letter < text.Length && TextNormalizer.IsWordLetter(text[letter])
                && (letter + 1 == text.Length || !TextNormalizer.IsWordLetter(text[letter + 1])))
            {
                buffer[written++] = TextNormalizer.ToLower(text[letter]);
                i = letter + 1;
                if (i < text.Length && char.IsAsciiDigit(text[i]))
                {
                    continue;
                }
            }

            break;
        }

        SetCurrent(TokenKind.Number, i, written);
    }

    private void SetCurrent(TokenKind kind, int end, int normalizedLength)
    {
        _current = _buffer.Slice(_position, normalizedLength);
        _currentKind = kind;
        _currentStart = _position;
        _currentEnd = end;
        _currentStartsClause = _clausePending;
        _clausePending = false;
        _position = end;
    }
}
