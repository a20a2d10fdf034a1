using Mcu.Sdk.Storage;
using Xunit;

namespace Mcu.Sdk.Testing.Conformance;

/// <summary>Structural comparisons of stored snapshots: every field, lists element by element, times as instants.</summary>
internal static class StoreAssert
{
    public static void SameAppeal(Appeal expected, Appeal? actual)
    {
        Assert.NotNull(actual);
        Assert.Equal(expected.Id, actual.Id);
        Assert.Equal(expected.Number, actual.Number);
        Assert.Equal(expected.Channel, actual.Channel);
        Assert.Equal(expected.ExternalId, actual.ExternalId);
        Assert.Equal(expected.ConversationKey, actual.ConversationKey);
        Assert.Equal(expected.ReplyAddress, actual.ReplyAddress);
        Assert.Equal(expected.Author, actual.Author);
        Assert.Equal(expected.Text, actual.Text);
        Assert.Equal(expected.Attachments, actual.Attachments);
        Assert.Equal(expected.Location, actual.Location);
        Assert.Equal(expected.District, actual.District);
        Assert.Equal(expected.FoundByMonitoring, actual.FoundByMonitoring);
        Assert.Equal(expected.ReceivedAt, actual.ReceivedAt);
        Assert.Equal(expected.Messages.Count, actual.Messages.Count);
        for (var i = 0; i < expected.Messages.Count; i++)
        {
            var (e, a) = (expected.Messages[i], actual.Messages[i]);
            Assert.Equal(e.ExternalId, a.ExternalId);
            Assert.Equal(e.Text, a.Text);
            Assert.Equal(e.ReceivedAt, a.ReceivedAt);
            Assert.Equal(e.Attachments, a.Attachments);
            Assert.Equal(e.Location, a.Location);
        }

        if (expected.Classification is null)
        {
            Assert.Null(actual.Classification);
        }
        else
        {
            var (e, a) = (expected.Classification, actual.Classification);
            Assert.NotNull(a);
            Assert.Equal(e.Topic, a.Topic);
            Assert.Equal(e.Subtopic, a.Subtopic);
            Assert.Equal(e.IsUrgent, a.IsUrgent);
            Assert.Equal(e.IsOutOfScope, a.IsOutOfScope);
            Assert.Equal(e.Confidence, a.Confidence);
            Assert.Equal(e.Terms, a.Terms);
            Assert.Equal(e.Reason, a.Reason);
        }

        Assert.Equal(expected.UnitId, actual.UnitId);
        Assert.Equal(expected.Priority, actual.Priority);
        Assert.Equal(expected.Status, actual.Status);
        Assert.Equal(expected.Deadlines, actual.Deadlines);
        Assert.Equal(expected.RegisteredAt, actual.RegisteredAt);
        Assert.Equal(expected.RegistrationNumber, actual.RegistrationNumber);
        Assert.Equal(expected.ForwardedTo, actual.ForwardedTo);
        Assert.Equal(expected.ForwardedAt, actual.ForwardedAt);
        Assert.Equal(expected.FirstAnsweredAt, actual.FirstAnsweredAt);
        Assert.Equal(expected.ResolvedAt, actual.ResolvedAt);
        Assert.Equal(expected.ClosedAt, actual.ClosedAt);
        Assert.Equal(expected.ClockPausedAt, actual.ClockPausedAt);
        Assert.Equal(expected.RaisedSlaSteps, actual.RaisedSlaSteps);
        Assert.Equal(expected.Rating, actual.Rating);
        Assert.Equal(expected.Replies, actual.Replies);
        Assert.Equal(expected.History, actual.History);
        Assert.Equal(expected.Version, actual.Version);
    }

    /// <summary>Compares an outbox message with what was committed, except what the store assigns (sequence) and the lease.</summary>
    public static void SameOutbox(OutboxMessage expected, OutboxMessage actual, bool compareLease = true)
    {
        Assert.Equal(expected.Id, actual.Id);
        Assert.Equal(expected.AppealId, actual.AppealId);
        Assert.Equal(expected.Address, actual.Address);
        Assert.Equal(expected.Kind, actual.Kind);
        Assert.Equal(expected.Text, actual.Text);
        Assert.Equal(expected.Attachments, actual.Attachments);
        Assert.Equal(expected.CreatedAt, actual.CreatedAt);
        Assert.Equal(expected.Status, actual.Status);
        Assert.Equal(expected.Attempts, actual.Attempts);
        Assert.Equal(expected.NextAttemptAt, actual.NextAttemptAt);
        if (compareLease)
        {
            Assert.Equal(expected.LeaseOwner, actual.LeaseOwner);
            Assert.Equal(expected.LeaseExpiresAt, actual.LeaseExpiresAt);
        }

        Assert.Equal(expected.DeliveredParts, actual.DeliveredParts);
        Assert.Equal(expected.LastError, actual.LastError);
        Assert.Equal(expected.CompletedAt, actual.CompletedAt);
    }
}
