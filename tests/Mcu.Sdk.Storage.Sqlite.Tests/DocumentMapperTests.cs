using System.Reflection;
using Mcu.Sdk.Classification;
using Mcu.Sdk.Storage.Sqlite.Internal;

namespace Mcu.Sdk.Storage.Sqlite.Tests;

/// <summary>
/// Guards the stored documents against the model: a property added to a model type must be mapped (or named as
/// computed here), otherwise the SQLite store would silently drop it on a round trip.
/// </summary>
public sealed class DocumentMapperTests
{
    public static TheoryData<Type, string[]> ModelTypes() => new()
    {
        {
            typeof(Appeal),
            [
                "Id", "Number", "Channel", "ExternalId", "ConversationKey", "ReplyAddress", "Author", "Text", "Attachments", "Location",
                "District", "FoundByMonitoring", "ReceivedAt", "Messages", "Classification", "UnitId", "Priority", "Status", "Deadlines",
                "RegisteredAt", "RegistrationNumber", "ForwardedTo", "ForwardedAt", "FirstAnsweredAt", "ResolvedAt", "ClosedAt",
                "ClockPausedAt", "RaisedSlaSteps", "Rating", "Replies", "History", "Version",
                "IsOpen", "Topic", // computed
            ]
        },
        { typeof(AppealMessage), ["ExternalId", "Text", "ReceivedAt", "Attachments", "Location"] },
        { typeof(AppealReply), ["OutboxId", "Kind", "Text", "CreatedAt", "Actor"] },
        { typeof(AppealHistoryEntry), ["At", "Kind", "Description", "Actor"] },
        { typeof(SlaDeadlines), ["FirstAnswerDue", "ResolutionDue", "PolicyName", "Timers", "RuleName", "IsUrgent"] },
        {
            typeof(SlaTimer),
            [
                "Kind", "Sequence", "Mode", "Calendar", "Anchor", "StartedAt", "Target", "Extension", "Extensions", "Paused", "DueAt",
                "MetAt", "CancelledAt", "Escalates",
                "Key", "IsRunning", // computed
            ]
        },
        { typeof(Author), ["Id", "DisplayName"] },
        { typeof(Attachment), ["Kind", "Reference", "Caption"] },
        { typeof(ReplyAddress), ["Channel", "ConversationId", "ThreadId", "ReplyToMessageId", "Properties"] },
        { typeof(AppealClassification), ["Topic", "Subtopic", "IsUrgent", "IsOutOfScope", "Confidence", "Terms", "Reason"] },
        { typeof(MatchedTerm), ["Term", "Target", "Weight"] },
        { typeof(GeoLocation), ["Latitude", "Longitude"] },
        {
            typeof(OutboxMessage),
            [
                "Id", "AppealId", "Address", "Kind", "Text", "Attachments", "CreatedAt", "Sequence", "Status", "Attempts", "NextAttemptAt",
                "LeaseOwner", "LeaseExpiresAt", "DeliveredParts", "LastError", "CompletedAt",
            ]
        },
    };

    [Theory]
    [MemberData(nameof(ModelTypes))]
    public void ModelType_EveryPublicProperty_IsMappedByTheStoredDocuments(Type type, string[] mapped)
    {
        var properties = type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Select(p => p.Name).Order(StringComparer.Ordinal).ToArray();

        var unknown = properties.Except(mapped, StringComparer.Ordinal).ToArray();
        var gone = mapped.Except(properties, StringComparer.Ordinal).ToArray();

        Assert.True(unknown.Length == 0, $"{type.Name} has properties the SQLite documents do not store: {string.Join(", ", unknown)}. Map them in DocumentMapper (with a schema migration if the change is not additive) and list them here.");
        Assert.True(gone.Length == 0, $"{type.Name} no longer has: {string.Join(", ", gone)}. Remove them from the mapping and from this list.");
    }

    [Fact]
    public void SerializeAppeal_CyrillicText_IsStoredAsUtf8WithoutEscapes()
    {
        var appeal = Some.Appeal("m-1", text: "Яма на дороге");

        var json = System.Text.Encoding.UTF8.GetString(DocumentMapper.SerializeAppeal(appeal));

        Assert.Contains("\"text\":\"Яма на дороге\"", json, StringComparison.Ordinal);
        Assert.DoesNotContain("\\u", json, StringComparison.Ordinal);
    }
}
