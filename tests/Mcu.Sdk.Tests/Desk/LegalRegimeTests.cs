using Mcu.Sdk.Sla;
using Mcu.Sdk.Testing;

namespace Mcu.Sdk.Tests.Desk;

/// <summary>The 59-ФЗ regime through the desk: registration, forwarding with notice, one extension with notice.</summary>
public sealed class LegalRegimeTests
{
    private static readonly TimeSpan Moscow = TimeSpan.FromHours(3);

    // Friday 16 Jan 2026, 10:00 Moscow time.
    private static readonly DateTimeOffset Friday = new(2026, 1, 16, 10, 0, 0, Moscow);

    [Fact]
    public async Task RegisterAsync_TwoDaysAfterReceipt_MeetsRegistrationAndCountsTheAnswerFromRegistration()
    {
        await using var f = Fixture();
        var appeal = await IngestOfficialAsync(f);
        Assert.Null(appeal.RegisteredAt);
        Assert.Equal(new DateTimeOffset(2026, 1, 20, 0, 0, 0, Moscow), appeal.Deadlines!.GetTimer(SlaTimerKind.Registration)!.DueAt);
        Assert.Equal(new DateTimeOffset(2026, 2, 17, 0, 0, 0, Moscow), appeal.Deadlines.ResolutionDue); // provisional: from receipt

        f.Clock.Advance(TimeSpan.FromDays(2)); // Sunday 18 Jan
        var registered = await f.Desk.RegisterAsync(appeal.Id, "registry", "01-15/123");

        Assert.Equal(f.Clock.GetUtcNow(), registered.RegisteredAt);
        Assert.Equal("01-15/123", registered.RegistrationNumber);
        Assert.Equal(f.Clock.GetUtcNow(), registered.Deadlines!.GetTimer(SlaTimerKind.Registration)!.MetAt);
        Assert.Equal(new DateTimeOffset(2026, 2, 18, 0, 0, 0, Moscow), registered.Deadlines.ResolutionDue); // 18 Jan + 30 = Tuesday 17 Feb
        Assert.Equal("01-15/123", Assert.Single(f.Events.Of(AppealEventKind.Registered)).Detail);

        var again = await Assert.ThrowsAsync<SlaOperationRefusedException>(() => f.Desk.RegisterAsync(appeal.Id, "registry").AsTask());
        Assert.Equal(SlaRefusalReason.AlreadyRegistered, again.Reason);
    }

    [Fact]
    public async Task ExtendAsync_OnceWithNotice_MovesTheTermAndNotifiesTheCitizen()
    {
        await using var f = Fixture();
        var appeal = await f.Desk.RegisterAsync((await IngestOfficialAsync(f)).Id, "registry");
        f.Clock.Advance(TimeSpan.FromDays(20));

        var extended = await f.Desk.ExtendAsync(appeal.Id, new DeadlineExtension(TimeSpan.FromDays(30), "нужен выезд комиссии"), "unit-head");

        // 16 Jan + 30 + 30 days = Tuesday 17 Mar.
        var resolution = extended.Deadlines!.GetTimer(SlaTimerKind.Resolution)!;
        Assert.Equal(new DateTimeOffset(2026, 3, 18, 0, 0, 0, Moscow), resolution.DueAt);
        Assert.Equal(resolution.DueAt, extended.Deadlines.ResolutionDue);
        Assert.Equal((1, TimeSpan.FromDays(30)), (resolution.Extensions, resolution.Extension));
        var notice = Assert.Single(await f.Desk.GetRepliesAsync(appeal.Id), r => r.Kind == ReplyKind.Notice);
        Assert.Contains("продлён на 30 дней, до 17.03.2026 включительно", notice.Text, StringComparison.Ordinal);
        Assert.Contains("нужен выезд комиссии", notice.Text, StringComparison.Ordinal);
        Assert.Equal("resolution due 2026-03-18T00:00:00.0000000+03:00", Assert.Single(f.Events.Of(AppealEventKind.DeadlineExtended)).Detail);
        Assert.Contains(extended.History, h => h.Kind == AppealHistoryKind.Deadlines && h.Description.StartsWith("Resolution term extended by 30 calendar day(s)", StringComparison.Ordinal));

        // A second extension is refused, and nothing is stored or sent.
        var second = await Assert.ThrowsAsync<SlaOperationRefusedException>(
            () => f.Desk.ExtendAsync(appeal.Id, new DeadlineExtension(TimeSpan.FromDays(5), "ещё"), "unit-head").AsTask());
        Assert.Equal(SlaRefusalReason.ExtensionLimitReached, second.Reason);
        Assert.Equal(extended.Version, (await f.Desk.GetAsync(appeal.Id))!.Version);
        Assert.Single(await f.Desk.GetRepliesAsync(appeal.Id), r => r.Kind == ReplyKind.Notice);
    }

    [Theory]
    [InlineData(31, true, SlaRefusalReason.ExtensionTooLong)]
    [InlineData(10, false, SlaRefusalReason.NoticeRequired)]
    public async Task ExtendAsync_AgainstTheLaw_Refused(int days, bool notify, SlaRefusalReason reason)
    {
        await using var f = Fixture();
        var appeal = await f.Desk.RegisterAsync((await IngestOfficialAsync(f)).Id, "registry");
        var ex = await Assert.ThrowsAsync<SlaOperationRefusedException>(
            () => f.Desk.ExtendAsync(appeal.Id, new DeadlineExtension(TimeSpan.FromDays(days), "причина") { NotifyCitizen = notify }, "unit-head").AsTask());
        Assert.Equal(reason, ex.Reason);
        Assert.Equal(appeal.Id, ex.AppealId);
        Assert.Equal(appeal.Version, (await f.Desk.GetAsync(appeal.Id))!.Version);
    }

    [Fact]
    public async Task ExtendAsync_ExpiredUnregisteredOrOperational_Refused()
    {
        await using var f = Fixture();
        var unregistered = await IngestOfficialAsync(f);
        Assert.Equal(SlaRefusalReason.NotRegistered, (await Refused(f, unregistered.Id)).Reason);

        var expired = await f.Desk.RegisterAsync(unregistered.Id, "registry");
        f.Clock.Advance(TimeSpan.FromDays(40));
        Assert.Equal(SlaRefusalReason.TermExpired, (await Refused(f, expired.Id)).Reason);

        var operational = (await f.Desk.IngestAsync(f.Message("[topic:roads] яма"))).Appeal;
        Assert.Equal(SlaRefusalReason.ExtensionNotAllowed, (await Refused(f, operational.Id)).Reason);

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(
            () => f.Desk.ExtendAsync(operational.Id, new DeadlineExtension(TimeSpan.Zero, "x"), "unit-head").AsTask());
    }

    [Fact]
    public async Task ForwardAsync_WithinSevenDays_NotifiesClosesAndRecordsForwardingInTime()
    {
        await using var f = Fixture();
        var appeal = await f.Desk.RegisterAsync((await IngestOfficialAsync(f)).Id, "registry");
        f.Clock.Advance(TimeSpan.FromDays(6)); // Thursday 22 Jan; the forwarding term ends with Friday 23 Jan

        var forwarded = await f.Desk.ForwardAsync(appeal.Id, new AppealForwarding("Государственная жилищная инспекция края"), "operator");

        Assert.Equal(AppealStatus.Closed, forwarded.Status);
        Assert.Equal(("Государственная жилищная инспекция края", f.Clock.GetUtcNow()), (forwarded.ForwardedTo, forwarded.ForwardedAt));
        var forwarding = forwarded.Deadlines!.GetTimer(SlaTimerKind.Forwarding)!;
        Assert.Equal(new DateTimeOffset(2026, 1, 24, 0, 0, 0, Moscow), forwarding.DueAt);
        Assert.Equal(f.Clock.GetUtcNow(), forwarding.MetAt);
        Assert.Equal(f.Clock.GetUtcNow(), forwarded.Deadlines.GetTimer(SlaTimerKind.Resolution)!.CancelledAt);
        Assert.All(forwarded.Deadlines.Timers, t => Assert.False(t.IsRunning));
        var notice = Assert.Single(await f.Desk.GetRepliesAsync(appeal.Id), r => r.Kind == ReplyKind.Notice);
        Assert.Contains("направлено для рассмотрения по компетенции: Государственная жилищная инспекция края", notice.Text, StringComparison.Ordinal);
        Assert.Equal("Государственная жилищная инспекция края", Assert.Single(f.Events.Of(AppealEventKind.Forwarded)).Detail);
        Assert.Contains(forwarded.History, h => h.Description.Contains("(in time;", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ForwardAsync_AfterSevenDays_RecordedLate()
    {
        await using var f = Fixture();
        var appeal = await f.Desk.RegisterAsync((await IngestOfficialAsync(f)).Id, "registry");
        f.Clock.Advance(TimeSpan.FromDays(10));
        var forwarded = await f.Desk.ForwardAsync(appeal.Id, new AppealForwarding("Роспотребнадзор") { NoticeText = "Обращение передано в Роспотребнадзор." }, "operator");
        var forwarding = forwarded.Deadlines!.GetTimer(SlaTimerKind.Forwarding)!;
        Assert.True(forwarding.MetAt > forwarding.DueAt);
        Assert.Contains("Обращение передано в Роспотребнадзор.", Assert.Single(await f.Desk.GetRepliesAsync(appeal.Id), r => r.Kind == ReplyKind.Notice).Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ForwardAsync_WithoutNotice_RefusedAndClosedAppealCannotBeForwarded()
    {
        await using var f = Fixture();
        var appeal = await IngestOfficialAsync(f);
        var ex = await Assert.ThrowsAsync<SlaOperationRefusedException>(
            () => f.Desk.ForwardAsync(appeal.Id, new AppealForwarding("МВД") { NotifyCitizen = false }, "operator").AsTask());
        Assert.Equal(SlaRefusalReason.NoticeRequired, ex.Reason);

        await f.Desk.ForwardAsync(appeal.Id, new AppealForwarding("МВД"), "operator");
        await Assert.ThrowsAsync<InvalidAppealTransitionException>(() => f.Desk.ForwardAsync(appeal.Id, new AppealForwarding("МВД"), "operator").AsTask());
    }

    [Fact]
    public async Task AnswerAsync_Unregistered_RegistersImplicitlyAndMeetsTheClocks()
    {
        await using var f = Fixture();
        var appeal = await IngestOfficialAsync(f);
        f.Clock.Advance(TimeSpan.FromDays(4)); // after the 3-day registration term

        var answered = await f.Desk.AnswerAsync(appeal.Id, new UnitAnswer("Яма заделана.", true));

        Assert.Equal(f.Clock.GetUtcNow(), answered.RegisteredAt);
        var registration = answered.Deadlines!.GetTimer(SlaTimerKind.Registration)!;
        Assert.True(registration.MetAt > registration.DueAt); // registered late
        Assert.Equal(f.Clock.GetUtcNow(), answered.Deadlines.GetTimer(SlaTimerKind.Resolution)!.MetAt);
        Assert.Contains(answered.History, h => h.Description.StartsWith("Registered with the answer", StringComparison.Ordinal));
    }

    [Fact]
    public async Task CheckAsync_UnregisteredOfficialAppeal_EscalatesTheRegistrationClock()
    {
        await using var f = Fixture();
        await IngestOfficialAsync(f);
        f.Clock.Advance(TimeSpan.FromDays(4) - TimeSpan.FromHours(10)); // Tuesday 20 Jan 00:00: the registration term ended
        await f.Monitor.CheckAsync();
        Assert.Equal("registration:centre-head", Assert.Single(f.Events.Of(AppealEventKind.SlaBreached)).Detail);
    }

    private static DeskFixture Fixture() =>
        new(mcu => mcu.ConfigureSla(o => o.Rules.Add(new SlaRule { Name = "official", Channels = { "pos" }, Profile = SlaProfiles.Legal59Fz })),
            clock: new ManualTimeProvider(Friday));

    private static async Task<Appeal> IngestOfficialAsync(DeskFixture f) =>
        (await f.Desk.IngestAsync(f.Message("[topic:roads] яма во дворе", channel: ChannelId.Pos))).Appeal;

    private static Task<SlaOperationRefusedException> Refused(DeskFixture f, Guid id) =>
        Assert.ThrowsAsync<SlaOperationRefusedException>(() => f.Desk.ExtendAsync(id, new DeadlineExtension(TimeSpan.FromDays(10), "причина"), "unit-head").AsTask());
}
