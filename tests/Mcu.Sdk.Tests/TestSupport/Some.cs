namespace Mcu.Sdk.Tests.TestSupport;

/// <summary>Test data.</summary>
internal static class Some
{
    public static Appeal Appeal(DateTimeOffset? receivedAt = null) => new()
    {
        Id = Guid.CreateVersion7(),
        Number = 1,
        Channel = ChannelId.Telegram,
        ExternalId = "501:1",
        ConversationKey = "501",
        ReplyAddress = new ReplyAddress(ChannelId.Telegram, "501", null, "1"),
        Author = new Author("501", "Иван"),
        Text = "Яма на дороге",
        ReceivedAt = receivedAt ?? new DateTimeOffset(2026, 11, 20, 8, 0, 0, TimeSpan.FromHours(3)),
    };
}
