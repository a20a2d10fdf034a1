using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Serialization;
using Mcu.Sdk.Internal;

namespace Mcu.Sdk.Classification;

/// <summary>
/// The code of an appeal topic, such as <c>utilities</c> or <c>roads</c>.
/// </summary>
/// <remarks>
/// Topics are an open set: the twenty well-known codes below are the SDK's taxonomy (see <c>docs/taxonomy.md</c>),
/// and a city may add its own. Codes compare case-insensitively and are stored in lower case.
/// </remarks>
[JsonConverter(typeof(TopicCodeJsonConverter))]
public readonly struct TopicCode : IEquatable<TopicCode>
{
    /// <summary>Utilities and housing (ЖКХ): water, heating, electricity, gas, sewage, housing management.</summary>
    public static TopicCode Utilities { get; } = new("utilities");

    /// <summary>Roads: potholes, sidewalks, manholes, traffic lights, snow and ice.</summary>
    public static TopicCode Roads { get; } = new("roads");

    /// <summary>Landscaping and urban environment (благоустройство): trees, yards, playgrounds, street lighting.</summary>
    public static TopicCode Landscaping { get; } = new("landscaping");

    /// <summary>Public transport: schedules, routes, vehicles, drivers, stops, fares.</summary>
    public static TopicCode PublicTransport { get; } = new("public-transport");

    /// <summary>Solid municipal waste (ТКО): containers, collection, illegal dumps.</summary>
    public static TopicCode Waste { get; } = new("waste");

    /// <summary>Animals: stray dogs, wild and escaped animals, dead animals.</summary>
    public static TopicCode Animals { get; } = new("animals");

    /// <summary>Healthcare: clinics, ambulance, medicines, appointments.</summary>
    public static TopicCode Healthcare { get; } = new("healthcare");

    /// <summary>Education: schools, kindergartens, additional education.</summary>
    public static TopicCode Education { get; } = new("education");

    /// <summary>Social protection: benefits, accessibility, care for the elderly and large families.</summary>
    public static TopicCode SocialProtection { get; } = new("social-protection");

    /// <summary>Public order: noise, antisocial behaviour, safety.</summary>
    public static TopicCode PublicOrder { get; } = new("public-order");

    /// <summary>Ecology: air and water pollution, burning, felling.</summary>
    public static TopicCode Ecology { get; } = new("ecology");

    /// <summary>Construction: illegal construction, building sites, dilapidated buildings.</summary>
    public static TopicCode Construction { get; } = new("construction");

    /// <summary>Trade and consumer services: kiosks, shops, consumer rights.</summary>
    public static TopicCode TradeServices { get; } = new("trade-services");

    /// <summary>Communications: mobile network, internet, television.</summary>
    public static TopicCode Communications { get; } = new("communications");

    /// <summary>Culture and sport: sports grounds, events, libraries, houses of culture.</summary>
    public static TopicCode CultureSport { get; } = new("culture-sport");

    /// <summary>Public services: documents, МФЦ, Госуслуги.</summary>
    public static TopicCode PublicServices { get; } = new("public-services");

    /// <summary>Employment: job centres, unpaid wages.</summary>
    public static TopicCode Employment { get; } = new("employment");

    /// <summary>Cemeteries: upkeep and burials.</summary>
    public static TopicCode Cemeteries { get; } = new("cemeteries");

    /// <summary>Land and property: land plots, municipal property, the housing queue.</summary>
    public static TopicCode LandProperty { get; } = new("land-property");

    /// <summary>Anything else, and the fallback when the classifier abstains.</summary>
    public static TopicCode Other { get; } = new("other");

    /// <summary>Gets the twenty well-known topic codes, in the order of the taxonomy.</summary>
    public static IReadOnlyList<TopicCode> WellKnown { get; } =
    [
        Utilities, Roads, Landscaping, PublicTransport, Waste, Animals, Healthcare, Education, SocialProtection,
        PublicOrder, Ecology, Construction, TradeServices, Communications, CultureSport, PublicServices, Employment,
        Cemeteries, LandProperty, Other,
    ];

    private readonly string? _value;

    /// <summary>Initializes a new instance of the <see cref="TopicCode"/> struct.</summary>
    /// <param name="value">The code: letters, digits and hyphens, such as <c>utilities</c>.</param>
    /// <exception cref="ArgumentException"><paramref name="value"/> is empty or contains characters other than letters, digits and hyphens.</exception>
    public TopicCode(string value)
    {
        Throw.IfNullOrWhiteSpace(value);
        foreach (var c in value)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c != '-')
            {
                throw new ArgumentException($"A topic code has only ASCII letters, digits and hyphens; got '{value}'.", nameof(value));
            }
        }

        _value = value.ToLowerInvariant();
    }

    /// <summary>Gets the code in lower case. A default instance reads as <c>other</c>.</summary>
    public string Value => _value ?? "other";

    /// <summary>Gets a value indicating whether this is one of the twenty well-known codes.</summary>
    public bool IsWellKnown
    {
        get
        {
            foreach (var code in WellKnown)
            {
                if (code.Equals(this))
                {
                    return true;
                }
            }

            return false;
        }
    }

    /// <summary>Parses a topic code.</summary>
    /// <param name="value">The text to parse.</param>
    /// <param name="code">The code, when the text is a valid one.</param>
    /// <returns><see langword="true"/> when <paramref name="value"/> is a valid code.</returns>
    public static bool TryParse([NotNullWhen(true)] string? value, out TopicCode code)
    {
        code = default;
        if (string.IsNullOrWhiteSpace(value))
        {
            return false;
        }

        foreach (var c in value)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c != '-')
            {
                return false;
            }
        }

        code = new TopicCode(value);
        return true;
    }

    /// <inheritdoc/>
    public bool Equals(TopicCode other) => string.Equals(Value, other.Value, StringComparison.Ordinal);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is TopicCode other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Value);

    /// <inheritdoc/>
    public override string ToString() => Value;

    /// <summary>Compares two codes for equality.</summary>
    /// <param name="left">The first code.</param>
    /// <param name="right">The second code.</param>
    /// <returns><see langword="true"/> when the codes are equal.</returns>
    public static bool operator ==(TopicCode left, TopicCode right) => left.Equals(right);

    /// <summary>Compares two codes for inequality.</summary>
    /// <param name="left">The first code.</param>
    /// <param name="right">The second code.</param>
    /// <returns><see langword="true"/> when the codes differ.</returns>
    public static bool operator !=(TopicCode left, TopicCode right) => !left.Equals(right);
}

/// <summary>Reads and writes <see cref="TopicCode"/> as a JSON string.</summary>
internal sealed class TopicCodeJsonConverter : JsonConverter<TopicCode>
{
    public override TopicCode Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var text = reader.GetString();
        return TopicCode.TryParse(text, out var code) ? code : throw new JsonException($"'{text}' is not a valid topic code.");
    }

    public override void Write(Utf8JsonWriter writer, TopicCode value, JsonSerializerOptions options) => writer.WriteStringValue(value.Value);

    public override TopicCode ReadAsPropertyName(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => Read(ref reader, typeToConvert, options);

    public override void WriteAsPropertyName(Utf8JsonWriter writer, TopicCode value, JsonSerializerOptions options) => writer.WritePropertyName(value.Value);
}
