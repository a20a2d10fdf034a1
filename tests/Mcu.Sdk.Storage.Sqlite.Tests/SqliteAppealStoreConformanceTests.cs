using Mcu.Sdk.Storage;
using Mcu.Sdk.Storage.Sqlite.Internal;
using Mcu.Sdk.Testing.Conformance;

namespace Mcu.Sdk.Storage.Sqlite.Tests;

/// <summary>The SQLite store against the durable store conformance suite, on a real file in a temp folder.</summary>
public sealed class SqliteAppealStoreConformanceTests : DurableAppealStoreConformanceTests, IDisposable
{
    private readonly TempDirectory _folder = new();

    public void Dispose() => _folder.Dispose();

    protected override ValueTask<IAppealStore> CreateStoreAsync() => ValueTask.FromResult<IAppealStore>(Open());

    protected override ValueTask<IAppealStore> ReopenStoreAsync() => ValueTask.FromResult<IAppealStore>(Open());

    /// <summary>The store writes documents with the generated writers: the bytes must be the serializer's, field for field.</summary>
    [Fact]
    public void Documents_OfRichAndPlainSnapshots_AreTheSerializersBytes()
    {
        foreach (var appeal in new[] { RichAppeal(), RichAppeal() with { Classification = null, Deadlines = null, Messages = [], History = [] }, NewAppeal("m-1", "501") })
        {
            Assert.Equal(
                System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(DocumentMapper.ToDocument(appeal), StoreJson.Context.AppealDocument),
                DocumentMapper.SerializeAppeal(appeal));
        }

        var outbox = new OutboxDocument
        {
            Address = new AddressDocument { Channel = "vk", ConversationId = "-123", ThreadId = "456", ReplyTo = "789", Properties = new() { ["owner_id"] = "-123" } },
            Kind = 2,
            Text = "Ответ: «контейнеры вывезены» \\ \"готово\"",
            Attachments = [new AttachmentDocument { Kind = 1, Reference = "photo-1_2", Caption = "после" }],
            DeliveredParts = ["1", "2"],
            LastError = "429 Too Many Requests",
        };
        Assert.Equal(
            System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(outbox, StoreJson.Context.OutboxDocument),
            DocumentMapper.SerializeOutboxDocument(outbox));
        Assert.Equal(
            System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(new OutboxDocument(), StoreJson.Context.OutboxDocument),
            DocumentMapper.SerializeOutboxDocument(new OutboxDocument()));
    }

    private SqliteAppealStore Open() => new(new SqliteStoreOptions { ConnectionString = $"Data Source={_folder.File("store.db")}" });
}
