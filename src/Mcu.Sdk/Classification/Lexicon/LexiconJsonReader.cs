using System.Text.Json;

namespace Mcu.Sdk.Classification;

/// <summary>Reads the lexicon JSON format (see <c>docs/classifier.md</c>), reporting every error with its line and position.</summary>
internal sealed class LexiconJsonReader
{
    private static readonly JsonReaderOptions ReaderOptions = new()
    {
        CommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        MaxDepth = 16,
    };

    private readonly byte[] _data;
    private readonly string _source;
    private readonly List<LexiconTerm> _terms = [];
    private readonly List<(string Path, long Offset)> _termLocations = [];
    private readonly Dictionary<string, string> _overrides = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _names = new(StringComparer.Ordinal);

    private LexiconJsonReader(byte[] data, string source)
    {
        _data = data;
        _source = source;
    }

    public static Lexicon Read(ReadOnlySpan<byte> utf8, string source)
    {
        var bom = utf8.StartsWith("\uFEFF"u8) ? 3 : 0;
        var reader = new LexiconJsonReader(utf8[bom..].ToArray(), source);
        return reader.Read();
    }

    private Lexicon Read()
    {
        var reader = new Utf8JsonReader(_data, ReaderOptions);
        try
        {
            if (!reader.Read())
            {
                throw Fail(ref reader, "$", "The lexicon is empty; expected a JSON object.");
            }

            ReadRoot(ref reader);
            if (reader.Read())
            {
                throw Fail(ref reader, "$", "Unexpected content after the lexicon's closing brace.");
            }
        }
        catch (JsonException ex) when (ex.GetType() != typeof(JsonException))
        {
            // The reader's own syntax errors (a type derived from JsonException); the format errors below are plain ones.
            var line = (ex.LineNumber ?? 0) + 1;
            var position = (ex.BytePositionInLine ?? 0) + 1;
            throw new JsonException(
                $"{_source}: invalid JSON at line {line}, position {position}: {ex.Message}",
                ex.Path ?? "$",
                ex.LineNumber,
                ex.BytePositionInLine,
                ex);
        }

        return Lexicon.Create(_terms, _overrides, _names, (index, message) =>
        {
            var (path, offset) = _termLocations[index];
            return Fail(offset, path, message);
        });
    }

    private void ReadRoot(ref Utf8JsonReader reader)
    {
        Expect(ref reader, JsonTokenType.StartObject, "$", "The lexicon must be a JSON object.");
        while (NextProperty(ref reader, out var name))
        {
            var path = "$." + name;
            switch (name)
            {
                case "description":
                case "$schema":
                    Skip(ref reader, path);
                    break;
                case "stemOverrides":
                    ReadOverrides(ref reader, path);
                    break;
                case "topics":
                    ReadTopics(ref reader, path);
                    break;
                case "urgent":
                    ReadTermMap(ref reader, path, LexiconTargets.Urgent);
                    break;
                case "outOfScope":
                    ReadTermMap(ref reader, path, LexiconTargets.OutOfScope);
                    break;
                case "negation":
                    ReadTermMap(ref reader, path, LexiconTargets.Negation);
                    break;
                case "gratitude":
                    ReadTermMap(ref reader, path, LexiconTargets.Gratitude);
                    break;
                case "complaint":
                    ReadTermMap(ref reader, path, LexiconTargets.Complaint);
                    break;
                case "location":
                    ReadTermMap(ref reader, path, LexiconTargets.Location);
                    break;
                case "focus":
                    ReadTermMap(ref reader, path, LexiconTargets.Focus);
                    break;
                default:
                    throw Fail(ref reader, path,
                        $"Unknown property '{name}'. A lexicon has 'topics', 'urgent', 'outOfScope', 'negation', 'gratitude', 'complaint', 'location', 'focus', 'stemOverrides' and 'description'.");
            }
        }
    }

    private void ReadTopics(ref Utf8JsonReader reader, string path)
    {
        Expect(ref reader, JsonTokenType.StartObject, path, "'topics' must be an object of topic codes.");
        while (NextProperty(ref reader, out var code))
        {
            var topicPath = $"{path}.{code}";
            if (!LexiconTargets.IsCode(code) || LexiconTargets.IsSpecial(code.ToLowerInvariant()))
            {
                throw Fail(ref reader, topicPath,
                    $"'{code}' is not a valid topic code: use ASCII letters, digits and hyphens, such as 'roads' or 'public-transport'.");
            }

            ReadTopic(ref reader, topicPath, code.ToLowerInvariant(), isSubtopic: false);
        }
    }

    private void ReadTopic(ref Utf8JsonReader reader, string path, string target, bool isSubtopic)
    {
        Expect(ref reader, JsonTokenType.StartObject, path, $"The {(isSubtopic ? "subtopic" : "topic")} '{target}' must be an object with 'terms'.");
        while (NextProperty(ref reader, out var name))
        {
            var propertyPath = $"{path}.{name}";
            switch (name)
            {
                case "name":
                    Advance(ref reader, propertyPath);
                    if (reader.TokenType != JsonTokenType.String || string.IsNullOrWhiteSpace(reader.GetString()))
                    {
                        throw Fail(ref reader, propertyPath, $"The name of '{target}' must be a non-empty string.");
                    }

                    _names[target] = reader.GetString()!.Trim();
                    break;
                case "description":
                    Skip(ref reader, propertyPath);
                    break;
                case "terms":
                    ReadTermMap(ref reader, propertyPath, target);
                    break;
                case "subtopics" when !isSubtopic:
                    ReadSubtopics(ref reader, propertyPath, target);
                    break;
                default:
                    throw Fail(ref reader, propertyPath, isSubtopic
                        ? $"Unknown property '{name}'. A subtopic has 'name', 'description' and 'terms'."
                        : $"Unknown property '{name}'. A topic has 'name', 'description', 'terms' and 'subtopics'.");
            }
        }
    }

    private void ReadSubtopics(ref Utf8JsonReader reader, string path, string topic)
    {
        Expect(ref reader, JsonTokenType.StartObject, path, "'subtopics' must be an object of subtopic codes.");
        while (NextProperty(ref reader, out var code))
        {
            var subtopicPath = $"{path}.{code}";
            if (!LexiconTargets.IsCode(code))
            {
                throw Fail(ref reader, subtopicPath,
                    $"'{code}' is not a valid subtopic code: use ASCII letters, digits and hyphens, such as 'potholes' or 'snow-ice'.");
            }

            ReadTopic(ref reader, subtopicPath, $"{topic}/{code.ToLowerInvariant()}", isSubtopic: true);
        }
    }

    private void ReadTermMap(ref Utf8JsonReader reader, string path, string target)
    {
        Expect(ref reader, JsonTokenType.StartObject, path, $"The terms of '{target}' must be an object: {{ \"term\": weight, ... }}.");
        var seen = new HashSet<string>(StringComparer.Ordinal);
        while (NextProperty(ref reader, out var text))
        {
            var termPath = $"{path}['{text}']";
            var offset = reader.TokenStartIndex;
            if (string.IsNullOrWhiteSpace(text))
            {
                throw Fail(offset, termPath, $"A term of '{target}' is empty.");
            }

            if (!seen.Add(text.Trim()))
            {
                throw Fail(offset, termPath, $"The term '{text}' is listed twice in '{target}'.");
            }

            Advance(ref reader, termPath);
            if (reader.TokenType != JsonTokenType.Number || !reader.TryGetDouble(out var weight))
            {
                throw Fail(ref reader, termPath, $"The weight of the term '{text}' must be a number (0 removes the term when merged).");
            }

            LexiconTerm term;
            try
            {
                term = new LexiconTerm(text, target, weight);
            }
            catch (ArgumentException ex)
            {
                throw Fail(offset, termPath, FirstSentence(ex.Message));
            }

            _terms.Add(term);
            _termLocations.Add((termPath, offset));
        }
    }

    private void ReadOverrides(ref Utf8JsonReader reader, string path)
    {
        Expect(ref reader, JsonTokenType.StartObject, path, "'stemOverrides' must be an object: { \"word form\": \"stem\", ... }.");
        while (NextProperty(ref reader, out var word))
        {
            var overridePath = $"{path}['{word}']";
            var offset = reader.TokenStartIndex;
            Advance(ref reader, overridePath);
            if (reader.TokenType != JsonTokenType.String)
            {
                throw Fail(ref reader, overridePath, $"The stem override of '{word}' must be a string (an empty string removes it when merged).");
            }

            var error = Lexicon.TryNormalizeOverride(word, reader.GetString(), out var normalizedWord, out var normalizedStem);
            if (error is not null)
            {
                throw Fail(offset, overridePath, error);
            }

            _overrides[normalizedWord] = normalizedStem;
        }
    }

    // Moves to the next property of the current object; returns false at its end.
    private bool NextProperty(ref Utf8JsonReader reader, out string name)
    {
        Advance(ref reader, "$");
        if (reader.TokenType == JsonTokenType.EndObject)
        {
            name = string.Empty;
            return false;
        }

        name = reader.GetString() ?? string.Empty;
        return true;
    }

    private void Expect(ref Utf8JsonReader reader, JsonTokenType type, string path, string message)
    {
        if (reader.TokenType == JsonTokenType.PropertyName)
        {
            Advance(ref reader, path);
        }

        if (reader.TokenType != type)
        {
            throw Fail(ref reader, path, message);
        }
    }

    private void Advance(ref Utf8JsonReader reader, string path)
    {
        if (!reader.Read())
        {
            throw Fail(reader.BytesConsumed, path, "The JSON ends too early.");
        }
    }

    private void Skip(ref Utf8JsonReader reader, string path)
    {
        Advance(ref reader, path);
        reader.Skip();
    }

    private JsonException Fail(ref Utf8JsonReader reader, string path, string message) => Fail(reader.TokenStartIndex, path, message);

    private JsonException Fail(long offset, string path, string message)
    {
        // Line and position (in characters) of the byte offset, both from 0.
        long line = 0, lineStart = 0;
        var end = (int)Math.Min(offset, _data.Length);
        for (var i = 0; i < end; i++)
        {
            if (_data[i] == (byte)'\n')
            {
                line++;
                lineStart = i + 1;
            }
        }

        long position = 0;
        for (var i = (int)lineStart; i < end; i++)
        {
            if ((_data[i] & 0xC0) != 0x80)
            {
                position++;
            }
        }

        return new JsonException($"{_source}: line {line + 1}, position {position + 1} ({path}): {message}", path, line, position);
    }

    private static string FirstSentence(string message)
    {
        // ArgumentException appends " (Parameter 'x')"; the position already says where.
        var index = message.IndexOf(" (Parameter", StringComparison.Ordinal);
        return index < 0 ? message : message[..index];
    }
}
