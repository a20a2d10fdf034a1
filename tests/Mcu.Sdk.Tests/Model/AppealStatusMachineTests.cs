namespace Mcu.Sdk.Tests.Model;

public sealed class AppealStatusMachineTests
{
    // The documented table: every allowed transition, and nothing else.
    private static readonly HashSet<(AppealStatus, AppealStatus)> Allowed =
    [
        (AppealStatus.New, AppealStatus.Routed), (AppealStatus.New, AppealStatus.Rejected),
        (AppealStatus.Routed, AppealStatus.InProgress), (AppealStatus.Routed, AppealStatus.AwaitingCitizen),
        (AppealStatus.Routed, AppealStatus.Answered), (AppealStatus.Routed, AppealStatus.Rejected),
        (AppealStatus.InProgress, AppealStatus.AwaitingCitizen), (AppealStatus.InProgress, AppealStatus.Answered),
        (AppealStatus.InProgress, AppealStatus.Rejected),
        (AppealStatus.AwaitingCitizen, AppealStatus.InProgress),
        (AppealStatus.Answered, AppealStatus.Closed), (AppealStatus.Answered, AppealStatus.Reopened),
        (AppealStatus.Closed, AppealStatus.Reopened),
        (AppealStatus.Rejected, AppealStatus.Reopened),
        (AppealStatus.Reopened, AppealStatus.Routed), (AppealStatus.Reopened, AppealStatus.InProgress),
        (AppealStatus.Reopened, AppealStatus.AwaitingCitizen), (AppealStatus.Reopened, AppealStatus.Answered),
        (AppealStatus.Reopened, AppealStatus.Rejected),
    ];

    public static TheoryData<AppealStatus, AppealStatus> AllPairs()
    {
        var data = new TheoryData<AppealStatus, AppealStatus>();
        foreach (var from in Enum.GetValues<AppealStatus>())
        {
            foreach (var to in Enum.GetValues<AppealStatus>())
            {
                data.Add(from, to);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(AllPairs))]
    public void CanTransition_EveryPair_MatchesTheDocumentedTable(AppealStatus from, AppealStatus to) =>
        Assert.Equal(Allowed.Contains((from, to)), AppealStatusMachine.CanTransition(from, to));

    [Theory]
    [MemberData(nameof(AllPairs))]
    public void TransitionTo_EveryPair_AppliesOrThrows(AppealStatus from, AppealStatus to)
    {
        var at = new DateTimeOffset(2026, 11, 20, 10, 0, 0, TimeSpan.FromHours(3));
        var appeal = Some.Appeal() with { Status = from };
        if (Allowed.Contains((from, to)))
        {
            var changed = appeal.TransitionTo(to, at, "tester", "why");
            Assert.Equal(to, changed.Status);
            var entry = Assert.Single(changed.History);
            Assert.Equal(AppealHistoryKind.StatusChanged, entry.Kind);
            Assert.Equal("tester", entry.Actor);
            Assert.Contains("why", entry.Description, StringComparison.Ordinal);
            Assert.Equal(appeal.Version, changed.Version);
        }
        else
        {
            var ex = Assert.Throws<InvalidAppealTransitionException>(() => appeal.TransitionTo(to, at));
            Assert.Equal(from, ex.From);
            Assert.Equal(to, ex.To);
            Assert.Contains($"from {from} to {to}", ex.Message, StringComparison.Ordinal);
            Assert.Equal(appeal.Status, from); // unchanged
        }
    }

    [Fact]
    public void TransitionTo_ClosedThenReopened_ClearsClosedAt()
    {
        var at = new DateTimeOffset(2026, 11, 20, 10, 0, 0, TimeSpan.Zero);
        var closed = (Some.Appeal() with { Status = AppealStatus.Answered }).TransitionTo(AppealStatus.Closed, at);
        Assert.Equal(at, closed.ClosedAt);
        Assert.False(closed.IsOpen);
        var reopened = closed.TransitionTo(AppealStatus.Reopened, at.AddHours(1));
        Assert.Null(reopened.ClosedAt);
        Assert.True(reopened.IsOpen);
    }

    [Fact]
    public void NextStatuses_Closed_OnlyReopened() =>
        Assert.Equal([AppealStatus.Reopened], AppealStatusMachine.NextStatuses(AppealStatus.Closed));
}
