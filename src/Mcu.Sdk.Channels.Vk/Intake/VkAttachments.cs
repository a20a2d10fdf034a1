using System.Globalization;
using System.Text.Json;

namespace Mcu.Sdk.Channels.Vk.Intake;

/// <summary>Reads VK attachment objects into <see cref="Attachment"/>s whose reference is a VK attachment string (<c>photo-1_2_key</c>).</summary>
internal static class VkAttachments
{
    /// <summary>Reads the attachments of a message, post or comment; unknown shapes are left out.</summary>
    /// <param name="attachments">The attachment objects, or <see langword="null"/>.</param>
    /// <returns>The attachments.</returns>
    public static IReadOnlyList<Attachment> Read(List<JsonElement>? attachments)
    {
        if (attachments is null || attachments.Count == 0)
        {
            return [];
        }

        var result = new List<Attachment>(attachments.Count);
        foreach (var item in attachments)
        {
            if (item.ValueKind != JsonValueKind.Object
                || !item.TryGetProperty("type", out var typeElement)
                || typeElement.GetString() is not { Length: > 0 } type
                || !item.TryGetProperty(type, out var body)
                || body.ValueKind != JsonValueKind.Object)
            {
                continue;
            }

            if (type == "link")
            {
                if (body.TryGetProperty("url", out var url) && url.GetString() is { Length: > 0 } link)
                {
                    result.Add(new Attachment(AttachmentKind.Other, link, Caption(body, "title")));
                }

                continue;
            }

            if (!TryGetLong(body, "id", out var id) || !TryGetLong(body, "owner_id", out var owner))
            {
                continue;
            }

            var reference = string.Create(CultureInfo.InvariantCulture, $"{type}{owner}_{id}");
            if (body.TryGetProperty("access_key", out var key) && key.GetString() is { Length: > 0 } accessKey)
            {
                reference += "_" + accessKey;
            }

            var kind = type switch
            {
                "photo" => AttachmentKind.Photo,
                "video" => AttachmentKind.Video,
                "doc" => AttachmentKind.Document,
                "audio" or "audio_message" => AttachmentKind.Audio,
                _ => AttachmentKind.Other,
            };
            result.Add(new Attachment(kind, reference, kind == AttachmentKind.Photo ? Caption(body, "text") : Caption(body, "title")));
        }

        return result;
    }

    /// <summary>Tells whether a reference is a VK attachment string (<c>type{owner}_{id}[_{access_key}]</c>).</summary>
    /// <param name="reference">The reference.</param>
    /// <returns><see langword="true"/> when it is.</returns>
    public static bool IsAttachmentString(string reference)
    {
        ArgumentNullException.ThrowIfNull(reference);
        var i = 0;
        while (i < reference.Length && (char.IsAsciiLetterLower(reference[i]) || reference[i] == '_'))
        {
            i++;
        }

        if (i == 0 || i == reference.Length)
        {
            return false;
        }

        // The type may end with '_' only as part of a name such as audio_message; the owner starts with '-' or a digit.
        var rest = reference.AsSpan(i);
        if (rest[0] == '-')
        {
            rest = rest[1..];
        }

        var parts = 0;
        foreach (var range in rest.Split('_'))
        {
            var part = rest[range];
            parts++;
            if (part.IsEmpty || (parts <= 2 && !IsDigits(part)) || (parts == 3 && !IsKey(part)) || parts > 3)
            {
                return false;
            }
        }

        return parts >= 2;
    }

    private static bool IsDigits(ReadOnlySpan<char> text)
    {
        foreach (var c in text)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsKey(ReadOnlySpan<char> text)
    {
        foreach (var c in text)
        {
            if (!char.IsAsciiLetterOrDigit(c))
            {
                return false;
            }
        }

        return true;
    }

    private static bool TryGetLong(JsonElement body, string name, out long value)
    {
        value = 0;
        return body.TryGetProperty(name, out var element)
            && (element.ValueKind == JsonValueKind.Number ? element.TryGetInt64(out value)
                : element.ValueKind == JsonValueKind.String && long.TryParse(element.GetString(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value));
    }

    private static string? Caption(JsonElement body, string name) =>
        body.TryGetProperty(name, out var element) && element.ValueKind == JsonValueKind.String && element.GetString() is { Length: > 0 } text ? text : null;
}
