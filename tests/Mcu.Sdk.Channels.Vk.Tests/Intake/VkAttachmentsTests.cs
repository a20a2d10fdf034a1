using System.Text.Json;
using Mcu.Sdk.Channels.Vk.Api;
using Mcu.Sdk.Channels.Vk.Intake;

namespace Mcu.Sdk.Channels.Vk.Tests.Intake;

public sealed class VkAttachmentsTests
{
    [Fact]
    public void Read_KnownKinds_BecomeVkAttachmentStrings()
    {
        const string json = """
            [
              {"type": "photo", "photo": {"id": 457239017, "owner_id": 22757746, "access_key": "k1", "text": "яма"}},
              {"type": "doc", "doc": {"id": 66, "owner_id": -1, "title": "акт.pdf"}},
              {"type": "video", "video": {"id": 5, "owner_id": 7}},
              {"type": "audio_message", "audio_message": {"id": 9, "owner_id": 22757746, "access_key": "z9"}},
              {"type": "link", "link": {"url": "https://gorod.example/news", "title": "Новость"}},
              {"type": "sticker", "sticker": {"sticker_id": 12}},
              {"type": "photo"},
              "junk"
            ]
            """;

        var attachments = VkAttachments.Read(JsonSerializer.Deserialize(json, VkJsonContext.Default.JsonElement).EnumerateArray().ToList());

        Assert.Equal(
            ["photo22757746_457239017_k1", "doc-1_66", "video7_5", "audio_message22757746_9_z9", "https://gorod.example/news"],
            attachments.Select(a => a.Reference));
        Assert.Equal([AttachmentKind.Photo, AttachmentKind.Document, AttachmentKind.Video, AttachmentKind.Audio, AttachmentKind.Other], attachments.Select(a => a.Kind));
        Assert.Equal("яма", attachments[0].Caption);
    }

    [Theory]
    [InlineData("photo-1_2", true)]
    [InlineData("photo1_2_abc", true)]
    [InlineData("doc-201077021_66_ab12cd", true)]
    [InlineData("audio_message5_6", true)]
    [InlineData("photo-1", false)]
    [InlineData("photo_1", false)]
    [InlineData("https://vk.com/photo-1_2", false)]
    [InlineData("AgACAgIAAxkBAAIBQ2", false)]
    [InlineData("photo-1_2_ab-c", false)]
    [InlineData("photo-1_2_a_b", false)]
    public void IsAttachmentString_RecognisesVkNotation(string reference, bool expected)
    {
        Assert.Equal(expected, VkAttachments.IsAttachmentString(reference));
    }
}
