using Mcu.Sdk.Storage;
using Xunit;

#pragma warning disable CA1707 // Test names follow Method_Scenario_Expected.

namespace Mcu.Sdk.Testing.Conformance;

/// <summary>
/// The contract of a durable store: everything of <see cref="AppealStoreConformanceTests"/>, and everything stored is
/// still there, unchanged, after the store is disposed and opened again on the same data.
/// </summary>
/// <remarks>
/// Derive from this class instead of <see cref="AppealStoreConformanceTests"/> when the store is durable (the durability
/// capability). Implement <see cref="ReopenStoreAsync"/> to open a new store instance on the data of the one just disposed.
/// </remarks>
public abstract class DurableAppealStoreConformanceTests : AppealStoreConformanceTests
{
    /// <summary>Opens a new store on the same data as the store created by <see cref="AppealStoreConformanceTests.CreateStoreAsync"/> (which is disposed by then).</summary>
    /// <returns>The reopened store.</returns>
    protected abstract ValueTask<IAppealStore> ReopenStoreAsync();

    /// <summary>Disposes the store under test and opens it again on the same data.</summary>
    /// <returns>A task that completes when the reopened store is the store under test.</returns>
    protected async Task ReopenAsync()
    {
        await DisposeStoreAsync(Store);
        ReplaceStore(await ReopenStoreAsync());
    }

    /// <summary>Appeals, their history, follow-up index, outbox states and checkpoints survive a reopen unchanged.</summary>
    /// <returns>A task.</returns>
    [Fact]
    public virtual async Task Reopen_AfterAddsUpdatesOutboxAndCheckpoints_KeepsEverything()
    {
        var rich = RichAppeal();
        var ack = NewOutbox(rich, T0);
        await Store.AddAsync(rich, [ack]);
        var final = NewOutbox(rich, T0.AddHours(3), text: "Мусор вывезен");
        var updated = await Store.UpdateAsync(rich with { Status = AppealStatus.Answered, ResolvedAt = T0.AddHours(3), Messages = [.. rich.Messages, new AppealMessage("wall-123_999", "Спасибо", T0.AddHours(4))] }, [final]);
        var leased = await Store.LeaseOutboxAsync(T0.AddHours(3), 10, TimeSpan.FromMinutes(2), "d1");
        var delivered = leased.Single(m => m.Id == ack.Id) with { Status = OutboxStatus.Delivered, Attempts = 1, DeliveredParts = ["vk-1"], CompletedAt = T0.AddHours(3), LeaseOwner = null, LeaseExpiresAt = null };
        Assert.True(await Store.UpdateOutboxAsync(delivered, "d1"));
        var plain = NewAppeal("m-1", "chat-1");
        await Store.AddAsync(plain, []);
        await Checkpoints.SetCheckpointAsync("telegram:offset", "777");
        var outboxBefore = await Store.GetOutboxAsync(rich.Id);

        await ReopenAsync();

        StoreAssert.SameAppeal(updated, await Store.GetAsync(rich.Id));
        StoreAssert.SameAppeal(updated, await Store.FindByMessageAsync(ChannelId.Vk, "wall-123_999"));
        StoreAssert.SameAppeal(plain, await Store.FindOpenByConversationAsync(ChannelId.Telegram, "chat-1"));
        var outboxAfter = await Store.GetOutboxAsync(rich.Id);
        Assert.Equal(outboxBefore.Count, outboxAfter.Count);
        for (var i = 0; i < outboxBefore.Count; i++)
        {
            StoreAssert.SameOutbox(outboxBefore[i], outboxAfter[i]);
            Assert.Equal(outboxBefore[i].Sequence, outboxAfter[i].Sequence);
        }

        Assert.Equal("777", await Checkpoints.GetCheckpointAsync("telegram:offset"));
        Assert.Equal(2, (await ToListAsync(Store.QueryAsync(AppealQuery.All))).Count);
    }

    /// <summary>A lease held when the process stopped is still held after a reopen, and comes back when it expires.</summary>
    /// <returns>A task.</returns>
    [Fact]
    public virtual async Task Reopen_LeasedMessage_ComesBackWhenTheLeaseExpires()
    {
        var appeal = NewAppeal("m-2", "chat-2");
        await Store.AddAsync(appeal, [NewOutbox(appeal, T0)]);
        Assert.Single(await Store.LeaseOutboxAsync(T0, 10, TimeSpan.FromMinutes(2), "crashed-dispatcher"));

        await ReopenAsync();

        Assert.Empty(await Store.LeaseOutboxAsync(T0.AddMinutes(1), 10, TimeSpan.FromMinutes(2), "new-dispatcher"));
        var back = Assert.Single(await Store.LeaseOutboxAsync(T0.AddMinutes(2), 10, TimeSpan.FromMinutes(2), "new-dispatcher"));
        Assert.Equal("new-dispatcher", back.LeaseOwner);
        Assert.False(await Store.UpdateOutboxAsync(back with { Status = OutboxStatus.Delivered }, "crashed-dispatcher"));
    }

    /// <summary>Numbers reserved after a reopen are above every number reserved before it.</summary>
    /// <returns>A task.</returns>
    [Fact]
    public virtual async Task Reopen_NextAppealNumber_ContinuesAboveEveryNumberHandedOut()
    {
        var before = new List<long>();
        for (var i = 0; i < 7; i++)
        {
            before.Add(await Store.NextAppealNumberAsync());
        }

        await ReopenAsync();
        var after = await Store.NextAppealNumberAsync();
        await ReopenAsync();
        var afterSecondReopen = await Store.NextAppealNumberAsync();

        Assert.True(after > before.Max(), $"{after} after a reopen must exceed {before.Max()}.");
        Assert.True(afterSecondReopen > after, $"{afterSecondReopen} after another reopen must exceed {after}.");
    }

    /// <summary>Idempotency and version checks still hold after a reopen.</summary>
    /// <returns>A task.</returns>
    [Fact]
    public virtual async Task Reopen_DuplicatesAndStaleVersions_AreStillRefused()
    {
        var appeal = (await Store.AddAsync(NewAppeal("m-3", "chat-3"), [])).Appeal;
        var current = await Store.UpdateAsync(appeal with { UnitId = "unit-roads" }, []);

        await ReopenAsync();

        var duplicate = await Store.AddAsync(NewAppeal("m-3", "chat-3"), []);
        Assert.False(duplicate.Added);
        Assert.Equal(appeal.Id, duplicate.Appeal.Id);
        await Assert.ThrowsAsync<ConcurrencyConflictException>(async () => await Store.UpdateAsync(appeal, []));
        Assert.Equal(3, (await Store.UpdateAsync(current, [])).Version);
    }
}
