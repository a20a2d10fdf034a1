using System.Globalization;
using Mcu.Sdk;

namespace Mcu.Samples.Console.Simulation;

/// <summary>A simulated citizen as one channel knows them: the conversation they write in and how they are named.</summary>
/// <param name="Channel">The channel.</param>
/// <param name="Conversation">The conversation key: a Telegram chat, a VK/OK dialog, a ПОС appeal, a monitored comment thread.</param>
/// <param name="Author">The citizen.</param>
/// <param name="District">The city district when the channel knows it (the bot asks for the address, ПОС has it), or <see langword="null"/>.</param>
/// <param name="Network">For monitoring findings, the social network the post was found in; otherwise <see langword="null"/>.</param>
internal sealed record Citizen(ChannelId Channel, string Conversation, Author Author, string? District, string? Network)
{
    /// <summary>Gets a value indicating whether monitoring found the citizen's post (incident management).</summary>
    public bool FoundByMonitoring => Channel == ChannelId.Monitoring;
}

/// <summary>
/// Builds the inbound messages of simulated citizens with channel-shaped ids (<c>chat:message</c>, ПОС numbers, monitored
/// comment threads), deterministically from a random source.
/// </summary>
internal sealed class MessageFactory
{
    private static readonly string[] Networks = ["vk", "vk", "vk", "telegram", "telegram", "ok"];
    private readonly Random _random;
    private long _sequence = 100_000;

    /// <summary>Initializes a new instance of the <see cref="MessageFactory"/> class.</summary>
    /// <param name="random">The random source every id is drawn from.</param>
    public MessageFactory(Random random) => _random = random ?? throw new ArgumentNullException(nameof(random));

    /// <summary>Creates a new citizen writing through a channel.</summary>
    /// <param name="channel">The channel.</param>
    /// <param name="appeal">The generated appeal (for the name and district).</param>
    /// <returns>The citizen.</returns>
    public Citizen NewCitizen(ChannelId channel, GeneratedAppeal appeal)
    {
        ArgumentNullException.ThrowIfNull(appeal);
        var userId = _random.NextInt64(10_000_000, 7_999_999_999).ToString(CultureInfo.InvariantCulture);
        var author = new Author(userId, appeal.AuthorName);
        if (channel == ChannelId.Monitoring)
        {
            var network = Networks[_random.Next(Networks.Length)];
            var publicId = _random.Next(101, 160).ToString(CultureInfo.InvariantCulture);
            var post = _random.Next(1_000, 99_999).ToString(CultureInfo.InvariantCulture);
            var thread = NextId();
            return new Citizen(channel, $"{network}:public{publicId}_{post}_{thread}", new Author($"{network}:{userId}", appeal.AuthorName), null, network);
        }

        if (channel == ChannelId.Pos)
        {
            var number = _random.Next(1_000_000, 9_999_999).ToString(CultureInfo.InvariantCulture);
            return new Citizen(channel, "pos-" + number, author, appeal.District, null);
        }

        // Telegram, VK and OK dialogs: the conversation is the private chat with the citizen.
        return new Citizen(channel, userId, author, channel == ChannelId.Telegram ? appeal.District : null, null);
    }

    /// <summary>Creates a message of a citizen.</summary>
    /// <param name="citizen">The citizen.</param>
    /// <param name="text">The text (may be empty for a photo alone).</param>
    /// <param name="at">When the channel received it.</param>
    /// <param name="photo">Whether a photo is attached.</param>
    /// <param name="location">The shared location, or <see langword="null"/>.</param>
    /// <returns>The message, with a new channel message id.</returns>
    public InboundMessage Create(Citizen citizen, string text, DateTimeOffset at, bool photo = false, GeoLocation? location = null)
    {
        ArgumentNullException.ThrowIfNull(citizen);
        var id = NextId();
        var properties = citizen.Network is null
            ? new Dictionary<string, string>(0)
            : new Dictionary<string, string>(1, StringComparer.Ordinal) { ["network"] = citizen.Network };
        return new InboundMessage(citizen.Channel, $"{citizen.Conversation}:{id}", citizen.Conversation, citizen.Author, text, at)
        {
            District = citizen.District,
            FoundByMonitoring = citizen.FoundByMonitoring,
            Attachments = photo ? [new Attachment(AttachmentKind.Photo, $"{citizen.Channel}-photo-{id}")] : [],
            Location = location,
            Properties = properties,
        };
    }

    /// <summary>Draws a point in the city (around Krasnodar's centre).</summary>
    /// <returns>The point.</returns>
    public GeoLocation NextLocation() =>
        new(Math.Round(45.035 + ((_random.NextDouble() - 0.5) * 0.12), 5), Math.Round(38.975 + ((_random.NextDouble() - 0.5) * 0.18), 5));

    private string NextId() => (++_sequence).ToString(CultureInfo.InvariantCulture);
}
