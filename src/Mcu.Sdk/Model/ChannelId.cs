using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Serialization;
using Mcu.Sdk.Internal;

namespace Mcu.Sdk;

/// <summary>
/// Identifies a channel through which appeals arrive and replies leave, such as <c>telegram</c> or <c>vk</c>.
/// </summary>
/// <remarks>
/// Channels are an open set: an adapter owns its id, so the core never changes when a channel is added.
/// Ids compare case-insensitively and are stored in lower case: ASCII letters, digits, hyphens and dots.
/// </remarks>
[JsonConverter(typeof(ChannelIdJsonConverter))]
public readonly struct ChannelId : IEquatable<ChannelId>
{
    /// <summary>The Telegram chat-bot.</summary>
    public static ChannelId Telegram { get; } = new("telegram");

    /// <summary>VK: community messages, wall and photo comments, monitored publics.</summary>
    public static ChannelId Vk { get; } = new("vk");

    /// <summary>Odnoklassniki (OK) group messages and comments.</summary>
    public static ChannelId Ok { get; } = new("ok");

    /// <summary>The federal feedback platform (ПОС, «Госуслуги. Решаем вместе»).</summary>
    public static ChannelId Pos { get; } = new("pos");

    /// <summary>Incident management: posts and comments found by monitoring social networks and city publics.</summary>
    public static ChannelId Monitoring { get; } = new("monitoring");

    /// <summary>The in-process loopback channel used by samples and tests.</summary>
    public static ChannelId Loopback { get; } = new("loopback");

    private readonly string? _value;

    /// <summary>Initializes a new instance of the <see cref="ChannelId"/> struct.</summary>
    /// <param name="value">The id: ASCII letters, digits, hyphens and dots, at most 64 characters.</param>
    /// <exception cref="ArgumentException"><paramref name="value"/> is empty, too long or has other characters.</exception>
    public ChannelId(string value)
    {
        Throw.IfNullOrWhiteSpace(value);
        if (!IsValid(value))
        {
            throw new ArgumentException($"A channel id has 1 to 64 ASCII letters, digits, hyphens or dots; got '{value}'.", nameof(value));
        }

        _value = value.ToLowerInvariant();
    }

    /// <summary>Gets the id in lower case. A default instance has the value <c>unknown</c>.</summary>
    public string Value => _value ?? "unknown";

    /// <summary>Gets a value indicating whether this is a default (uninitialized) instance.</summary>
    public bool IsDefault => _value is null;

    /// <summary>Parses a channel id.</summary>
    /// <param name="value">The text.</param>
    /// <param name="channel">The id when the text is valid.</param>
    /// <returns><see langword="true"/> when <paramref name="value"/> is a valid id.</returns>
    public static bool TryParse([NotNullWhen(true)] string? value, out ChannelId channel)
    {
        channel = default;
        if (value is null || !IsValid(value))
        {
            return false;
        }

        channel = new ChannelId(value);
        return true;
    }

    private static bool IsValid(string value)
    {
        if (value.Length is 0 or > 64)
        {
            return false;
        }

        foreach (var c in value)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c != '-' && c != '.')
            {
                return false;
            }
        }

        return true;
    }

    /// <inheritdoc/>
    public bool Equals(ChannelId other) => string.Equals(Value, other.Value, StringComparison.Ordinal);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is ChannelId other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Value);

    /// <inheritdoc/>
    public override string ToString() => Value;

    /// <summary>Compares two ids for equality.</summary>
    /// <param name="left">The first id.</param>
    /// <param name="right">The second id.</param>
    /// <returns><see langword="true"/> when equal.</returns>
    public static bool operator ==(ChannelId left, ChannelId right) => left.Equals(right);

    /// <summary>Compares two ids for inequality.</summary>
    /// <param name="left">The first id.</param>
    /// <param name="right">The second id.</param>
    /// <returns><see langword="true"/> when different.</returns>
    public static bool operator !=(ChannelId left, ChannelId right) => !left.Equals(right);
}

/// <summary>Reads and writes <see cref="ChannelId"/> as a JSON string.</summary>
internal sealed class ChannelIdJsonConverter : JsonConverter<ChannelId>
{
    public override ChannelId Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var text = reader.GetString();
        return ChannelId.TryParse(text, out var id) ? id : throw new JsonException($"'{text}' is not a valid channel id.");
    }

    public override void Write(Utf8JsonWriter writer, ChannelId value, JsonSerializerOptions options) => writer.WriteStringValue(value.Value);

    public override ChannelId ReadAsPropertyName(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => Read(ref reader, typeToConvert, options);

    public override void WriteAsPropertyName(Utf8JsonWriter writer, ChannelId value, JsonSerializerOptions options) => writer.WritePropertyName(value.Value);
}
