using Mcu.Sdk;

namespace Mcu.Samples.Console.Simulation;

/// <summary>
/// The channel mix of the simulation: Krasnodar's 2024 volumes (domain notes): incident management 26,872, the Telegram bot
/// 24,390, ПОС 20,673. Incident management is monitoring of city publics (<c>monitoring</c>) plus the centre's own VK and OK
/// pages, which the figures count inside it: the sample gives them 15 % and 5 % of that share.
/// </summary>
internal static class ChannelMix
{
    /// <summary>The 2024 volume of incident management (monitoring and the official VK/OK pages).</summary>
    public const double IncidentManagement = 26_872;

    /// <summary>The 2024 volume of the Telegram bot.</summary>
    public const double TelegramBot = 24_390;

    /// <summary>The 2024 volume of ПОС.</summary>
    public const double Pos = 20_673;

    /// <summary>Gets the channels with their weights (they add up to the 2024 total of 71,935).</summary>
    public static IReadOnlyList<(ChannelId Channel, double Weight)> Weights { get; } =
    [
        (ChannelId.Monitoring, IncidentManagement * 0.80),
        (ChannelId.Vk, IncidentManagement * 0.15),
        (ChannelId.Ok, IncidentManagement * 0.05),
        (ChannelId.Telegram, TelegramBot),
        (ChannelId.Pos, Pos),
    ];

    /// <summary>Picks a channel by weight.</summary>
    /// <param name="random">The random source.</param>
    /// <returns>The channel.</returns>
    public static ChannelId Pick(Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        var total = Weights.Sum(w => w.Weight);
        var point = random.NextDouble() * total;
        foreach (var (channel, weight) in Weights)
        {
            point -= weight;
            if (point < 0)
            {
                return channel;
            }
        }

        return Weights[^1].Channel;
    }
}
