using System.Text;
using System.Text.RegularExpressions;

namespace Mcu.Sdk.Storage.Sqlite.Internal;

/// <summary>
/// Anonymises one appeal's personal data for the retention purge: the citizen's name and channel user id, the conversation
/// and message ids (which carry user ids in private chats), and phone numbers and e-mail addresses in every text. What the
/// statistics read — channel, topic, unit, status, times, deadlines, flags, rating, district — is kept.
/// </summary>
internal sealed partial class PersonalData
{
    /// <summary>What replaces an identifier.</summary>
    public const string Placeholder = "anonymized";

    private const string NameMark = "[имя]";
    private const string PhoneMark = "[телефон]";
    private const string EmailMark = "[e-mail]";

    private readonly ChannelId _channel;
    private readonly List<(string Token, string Replacement)> _tokens = [];
    private readonly List<string> _names = [];

    private PersonalData(ChannelId channel) => _channel = channel;

    /// <summary>Creates the scrubber of an appeal: it knows the appeal's identifiers and the citizen's name.</summary>
    /// <param name="appeal">The appeal.</param>
    /// <returns>The scrubber.</returns>
    public static PersonalData For(Appeal appeal)
    {
        var scrubber = new PersonalData(appeal.Channel);
        scrubber.AddToken(appeal.ExternalId, scrubber.AnonymousMessageId(appeal.ExternalId));
        foreach (var message in appeal.Messages)
        {
            scrubber.AddToken(message.ExternalId, scrubber.AnonymousMessageId(message.ExternalId));
        }

        scrubber.AddToken(appeal.ConversationKey, Placeholder);
        scrubber.AddToken(appeal.ReplyAddress.ConversationId, Placeholder);
        scrubber.AddToken(appeal.Author.Id, Placeholder);

        // Longest first, so that "501:7" is replaced before "501".
        scrubber._tokens.Sort((a, b) => b.Token.Length.CompareTo(a.Token.Length));
        if (appeal.Author.DisplayName is { } name)
        {
            foreach (var part in name.Split([' ', '\t', '\u00A0', '-', '.', ','], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                if (part.Length >= 2 && !scrubber._names.Contains(part, StringComparer.OrdinalIgnoreCase))
                {
                    scrubber._names.Add(part);
                }
            }
        }

        return scrubber;
    }

    /// <summary>Returns the anonymised snapshot of an appeal (same version; the caller stores it at the next one).</summary>
    /// <param name="appeal">The appeal.</param>
    /// <param name="now">When the purge runs.</param>
    /// <returns>The anonymised appeal.</returns>
    public Appeal Anonymize(Appeal appeal, DateTimeOffset now) => (appeal with
    {
        ExternalId = AnonymousMessageId(appeal.ExternalId),
        ConversationKey = Placeholder,
        ReplyAddress = new ReplyAddress(appeal.Channel, Placeholder),
        Author = new Author(Placeholder),
        Text = Scrub(appeal.Text),
        Attachments = Scrub(appeal.Attachments),
        Messages = appeal.Messages.Select(m => m with
        {
            ExternalId = AnonymousMessageId(m.ExternalId),
            Text = Scrub(m.Text),
            Attachments = Scrub(m.Attachments),
        }).ToArray(),
        Replies = appeal.Replies.Select(r => r with { Text = Scrub(r.Text) }).ToArray(),
        History = appeal.History.Select(h => h with { Description = Scrub(h.Description) }).ToArray(),
    }).WithHistory(new AppealHistoryEntry(now, AppealHistoryKind.Note, "Personal data anonymised after the retention period."));

    /// <summary>Anonymises an outbox document and serializes it.</summary>
    /// <param name="document">The document (changed in place).</param>
    /// <returns>The UTF-8 JSON document.</returns>
    public byte[] Anonymize(OutboxDocument document)
    {
        document.Address = new AddressDocument { Channel = document.Address.Channel, ConversationId = Placeholder };
        document.Text = Scrub(document.Text);
        if (document.Attachments is { } attachments)
        {
            foreach (var attachment in attachments)
            {
                attachment.Caption = attachment.Caption is null ? null : Scrub(attachment.Caption);
            }
        }

        return DocumentMapper.SerializeOutboxDocument(document);
    }

    /// <summary>Replaces the known identifiers, the citizen's name, phone numbers and e-mail addresses in a text.</summary>
    /// <param name="text">The text.</param>
    /// <returns>The scrubbed text.</returns>
    public string Scrub(string text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return text;
        }

        text = EmailPattern().Replace(text, EmailMark);
        text = PhonePattern().Replace(text, PhoneMark);
        foreach (var (token, replacement) in _tokens)
        {
            text = ReplaceWhole(text, token, replacement, StringComparison.Ordinal);
        }

        foreach (var name in _names)
        {
            text = ReplaceWhole(text, name, NameMark, StringComparison.OrdinalIgnoreCase);
        }

        return text;
    }

    private IReadOnlyList<Attachment> Scrub(IReadOnlyList<Attachment> attachments) =>
        attachments.Count == 0 ? attachments : attachments.Select(a => a.Caption is null ? a : a with { Caption = Scrub(a.Caption) }).ToArray();

    private string AnonymousMessageId(string externalId) =>
        string.Concat(Placeholder, ":", Convert.ToHexStringLower(Columns.MessageKey(_channel, externalId)));

    private void AddToken(string token, string replacement)
    {
        if (!string.IsNullOrWhiteSpace(token) && !_tokens.Exists(t => string.Equals(t.Token, token, StringComparison.Ordinal)))
        {
            _tokens.Add((token, replacement));
        }
    }

    /// <summary>Replaces the occurrences of a token that are not part of a longer word or number.</summary>
    private static string ReplaceWhole(string text, string token, string replacement, StringComparison comparison)
    {
        var index = text.IndexOf(token, comparison);
        if (index < 0)
        {
            return text;
        }

        var result = new StringBuilder(text.Length);
        var start = 0;
        while (index >= 0)
        {
            var end = index + token.Length;
            var whole = (index == 0 || !char.IsLetterOrDigit(text[index - 1])) && (end == text.Length || !char.IsLetterOrDigit(text[end]));
            if (whole)
            {
                result.Append(text, start, index - start).Append(replacement);
                start = end;
            }

            index = text.IndexOf(token, whole ? end : index + 1, comparison);
        }

        return result.Append(text, start, text.Length - start).ToString();
    }

    // name@example.ru, ivan.petrov+city@mail.example.org
    [GeneratedRegex(@"[\p{L}\p{N}._%+\-]+@[\p{L}\p{N}\-]+(?:\.[\p{L}\p{N}\-]+)*\.\p{L}{2,}", RegexOptions.CultureInvariant)]
    private static partial Regex EmailPattern();

    // +7 (918) 123-45-67, 8 918 123 45 67, 89181234567, +7-918-123-45-67, and other international numbers with + and 10-15 digits.
    [GeneratedRegex(@"(?<![\p{L}\p{N}+])(?:(?:\+7|8|7)[\s\-‐–]*\(?\d{3}\)?[\s\-‐–]*\d{3}[\s\-‐–]*\d{2}[\s\-‐–]*\d{2}|\+\d(?:[\s\-()]*\d){9,14})(?!\d)", RegexOptions.CultureInvariant)]
    private static partial Regex PhonePattern();
}
