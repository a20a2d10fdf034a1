namespace Mcu.Sdk.Classification.Text;

/// <summary>The kind of a token produced by <see cref="TextTokenizer"/>.</summary>
public enum TokenKind
{
    /// <summary>A run of Cyrillic or Latin letters, such as <c>подъезд</c> or <c>wifi</c>.</summary>
    Word = 0,

    /// <summary>A run of digits, possibly a house number such as <c>12а</c>, <c>5/2</c> or <c>15к2</c>.</summary>
    Number = 1,
}
