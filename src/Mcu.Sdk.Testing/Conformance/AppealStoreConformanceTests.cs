using Mcu.Sdk.Classification;
using Mcu.Sdk.Reporting;
using Mcu.Sdk.Storage;
using Xunit;

#pragma warning disable CA1707 // Test names follow Method_Scenario_Expected.

namespace Mcu.Sdk.Testing.Conformance;

/// <summary>
/// The contract of <see cref="IAppealStore"/> and <see cref="ICheckpointStore"/> as tests: derive a class in your test
/// project, implement <see cref="CreateStoreAsync"/>, and every test runs against your store.
/// </summary>
/// <remarks>
/// <para>
/// Each test gets a new, empty store from <see cref="CreateStoreAsync"/> and disposes it afterwards through
/// <see cref="DisposeStoreAsync"/>. The store must implement both interfaces (as <c>UseStore</c> requires).
/// </para>
/// <para>
/// A durable store derives from <see cref="DurableAppealStoreConformanceTests"/> instead, which adds the tests that reopen
/// the store. Tests are virtual so that a store with a documented deviation can override one, with a reason.
/// </para>
/// <code>
/// public sealed class MyStoreConformanceTests : AppealStoreConformanceTests
/// {
///     protected override ValueTask&lt;IAppealStore&gt; CreateStoreAsync() => ValueTask.FromResult&lt;IAppealStore&gt;(new MyStore());
/// }
/// </code>
/// </remarks>
public abstract class AppealStoreConformanceTests : IAsyncLifetime
{
    /// <summary>The moment the test data starts at (09:00 Moscow time).</summary>
    protected static readonly DateTimeOffset T0 = new(2026, 3, 2, 9, 0, 0, TimeSpan.FromHours(3));

    private IAppealStore? _store;

    /// <summary>Gets the store under test.</summary>
    protected IAppealStore Store => _store ?? throw new InvalidOperationException("The store is created in InitializeAsync.");

    /// <summary>Gets the store under test as a checkpoint store.</summary>
    protected ICheckpointStore Checkpoints => Store as ICheckpointStore
        ?? throw new InvalidOperationException($"{Store.GetType().Name} must implement ICheckpointStore too: hosts register one object for both.");

    /// <summary>Creates a new, empty store.</summary>
    /// <returns>The store.</returns>
    protected abstract ValueTask<IAppealStore> CreateStoreAsync();

    /// <summary>Disposes a store created by <see cref="CreateStoreAsync"/>; by default through <see cref="IAsyncDisposable"/> or <see cref="IDisposable"/>.</summary>
    /// <param name="store">The store.</param>
    /// <returns>A task that completes when the store is disposed.</returns>
    protected virtual async ValueTask DisposeStoreAsync(IAppealStore store)
    {
        switch (store)
        {
            case IAsyncDisposable asyncDisposable:
                await asyncDisposable.DisposeAsync();
                break;
            case IDisposable disposable:
                disposable.Dispose();
                break;
        }
    }

    /// <summary>Replaces the store under test (used by the durable suite after reopening).</summary>
    /// <param name="store">The new store.</param>
    protected void ReplaceStore(IAppealStore store) => _store = store;

    /// <inheritdoc/>
    public virtual async Task InitializeAsync() => _store = await CreateStoreAsync();

    /// <inheritdoc/>
    public virtual async Task DisposeAsync()
    {
        if (_store is { } store)
        {
            _store = null;
            await DisposeStoreAsync(store);
        }
    }

    // ---- Numbers -----------------------------------------------------------------------------------------------------

    /// <summary>Numbers reserved one after another increase.</summary>
    /// <returns>A task.</returns>
    [Fact]
    public virtual async Task NextAppealNumberAsync_CalledInSequence_ReturnsIncreasingNumbers()
    {
        var previous = 0L;
        for (var i = 0; i < 250; i++)
        {
            var number = await Store.NextAppealNumberAsync();
            Assert.True(number > previous, $"Number {number} follows {previous}.");
            previous = number;
        }
    }

    /// <summary>Numbers reserved concurrently are unique.</summary>
    /// <returns>A task.</returns>
    [Fact]
    public virtual async Task NextAppealNumberAsync_CalledConcurrently_ReturnsUniqueNumbers()
    {
        var numbers = await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => Task.Run(async () =>
        {
            var mine = new List<long>();
            for (var i = 0; i < 40; i++)
            {
                mine.Add(await Store.NextAppealNumberAsync());
            }

            return mine;
        })));
        var all = numbers.SelectMany(n => n).ToList();
        Assert.Equal(all.Count, all.Distinct().Count());
        Assert.All(numbers, mine => Assert.Equal(mine.Order(), mine));
    }

    // ---- Add ---------------------------------------------------------------------------------------------------------

    /// <summary>Every field of a snapshot survives the store, at version 1.</summary>
    /// <returns>A task.</returns>
    [Fact]
    public virtual async Task AddAsync_NewAppeal_StoresEverySnapshotFieldAtVersionOne()
    {
        var appeal = RichAppeal();
        var result = await Store.AddAsync(appeal with { Version = 1 }, []);

        Assert.True(result.Added);
        StoreAssert.SameAppeal(appeal with { Version = 1 }, result.Appeal);
        StoreAssert.SameAppeal(appeal with { Version = 1 }, await Store.GetAsync(appeal.Id));
        StoreAssert.SameAppeal(appeal with { Version = 1 }, await Store.FindByMessageAsync(appeal.Channel, appeal.ExternalId));
    }

    /// <summary>The same channel message twice is one appeal: the second add returns the first and writes nothing.</summary>
    /// <returns>A task.</returns>
    [Fact]
    public virtual async Task AddAsync_SameChannelAndExternalId_ReturnsStoredAppealAndWritesNothing()
    {
        var first = NewAppeal("m-1", "chat-1");
        var second = NewAppeal("m-1", "chat-1", text: "Повтор того же сообщения");
        await Store.AddAsync(first, [NewOutbox(first, T0)]);

        var result = await Store.AddAsync(second, [NewOutbox(second, T0)]);

        Assert.False(result.Added);
        StoreAssert.SameAppeal(first, result.Appeal);
        Assert.Null(await Store.GetAsync(second.Id));
        Assert.Empty(await Store.GetOutboxAsync(second.Id));
        Assert.Single(await Store.LeaseOutboxAsync(T0, 10, TimeSpan.FromMinutes(1), "d1"));
    }

    /// <summary>Concurrent adds of the same channel message add exactly one appeal, and all of them see it.</summary>
    /// <returns>A task.</returns>
    [Fact]
    public virtual async Task AddAsync_ConcurrentAddsOfSameMessage_AddExactlyOne()
    {
        var candidates = Enumerable.Range(0, 24).Select(i => NewAppeal("burst-1", "chat-9", text: $"Попытка {i}")).ToArray();

        var results = await Task.WhenAll(candidates.Select(c => Task.Run(async () => await Store.AddAsync(c, [NewOutbox(c, T0)]))));

        var added = Assert.Single(results, r => r.Added);
        Assert.All(results, r => Assert.Equal(added.Appeal.Id, r.Appeal.Id));
        Assert.Single(await ToListAsync(Store.QueryAsync(AppealQuery.All)));
        Assert.Single(await ToListAsync(Store.QueryOutboxAsync(OutboxStatus.Pending)));
    }

    /// <summary>Message ids are unique within a channel only.</summary>
    /// <returns>A task.</returns>
    [Fact]
    public virtual async Task AddAsync_SameExternalIdInAnotherChannel_AddsSecondAppeal()
    {
        var telegram = NewAppeal("42", "c-1", ChannelId.Telegram);
        var vk = NewAppeal("42", "c-1", ChannelId.Vk);

        Assert.True((await Store.AddAsync(telegram, [])).Added);
        Assert.True((await Store.AddAsync(vk, [])).Added);

        Assert.Equal(telegram.Id, (await Store.FindByMessageAsync(ChannelId.Telegram, "42"))?.Id);
        Assert.Equal(vk.Id, (await Store.FindByMessageAsync(ChannelId.Vk, "42"))?.Id);
    }

    /// <summary>A message already stored as another appeal's follow-up is a duplicate too.</summary>
    /// <returns>A task.</returns>
    [Fact]
    public virtual async Task AddAsync_ExternalIdOfStoredFollowUp_ReturnsAppealHoldingFollowUp()
    {
        var appeal = (await Store.AddAsync(NewAppeal("m-10", "chat-10"), [])).Appeal;
        await Store.UpdateAsync(WithFollowUp(appeal, "m-11", T0.AddMinutes(3)), []);

        var result = await Store.AddAsync(NewAppeal("m-11", "chat-10"), []);

        Assert.False(result.Added);
        Assert.Equal(appeal.Id, result.Appeal.Id);
        Assert.Equal(2, result.Appeal.Version);
    }

    /// <summary>An outbox message of another appeal is refused, and the appeal is not stored.</summary>
    /// <returns>A task.</returns>
    [Fact]
    public virtual async Task AddAsync_OutboxOfAnotherAppeal_ThrowsAndStoresNothing()
    {
        var appeal = NewAppeal("m-20", "chat-20");
        var stranger = NewAppeal("m-21", "chat-21");

        await Assert.ThrowsAnyAsync<ArgumentException>(async () => await Store.AddAsync(appeal, [NewOutbox(stranger, T0)]));

        Assert.Null(await Store.GetAsync(appeal.Id));
        Assert.Null(await Store.FindByMessageAsync(appeal.Channel, appeal.ExternalId));
        Assert.Empty(await ToListAsync(Store.QueryOutboxAsync(OutboxStatus.Pending)));
    }

    /// <summary>An add whose outbox message cannot be stored (its id is taken) writes neither the appeal nor any message.</summary>
    /// <returns>A task.</returns>
    [Fact]
    public virtual async Task AddAsync_DuplicateOutboxId_ThrowsAndStoresNeither()
    {
        var first = NewAppeal("m-30", "chat-30");
        var taken = NewOutbox(first, T0);
        await Store.AddAsync(first, [taken]);
        var second = NewAppeal("m-31", "chat-31");
        var fresh = NewOutbox(second, T0);

        await Assert.ThrowsAsync<InvalidOperationException>(async () => await Store.AddAsync(second, [fresh, taken with { AppealId = second.Id }]));

        Assert.Null(await Store.GetAsync(second.Id));
        Assert.Null(await Store.FindByMessageAsync(second.Channel, second.ExternalId));
        Assert.Empty(await Store.GetOutboxAsync(second.Id));
        Assert.Equal(first.Id, Assert.Single(await Store.GetOutboxAsync(first.Id)).AppealId);
        Assert.True((await Store.AddAsync(second, [fresh])).Added);
    }

    // ---- Find --------------------------------------------------------------------------------------------------------

    /// <summary>An unknown message finds nothing.</summary>
    /// <returns>A task.</returns>
    [Fact]
    public virtual async Task FindByMessageAsync_UnknownMessage_ReturnsNull()
    {
        await Store.AddAsync(NewAppeal("m-40", "chat-40"), []);

        Assert.Null(await Store.FindByMessageAsync(ChannelId.Telegram, "m-41"));
        Assert.Null(await Store.FindByMessageAsync(ChannelId.Vk, "m-40"));
        Assert.Null(await Store.GetAsync(Guid.CreateVersion7(T0)));
    }

    /// <summary>An open appeal is found by its conversation, within its channel only.</summary>
    /// <returns>A task.</returns>
    [Fact]
    public virtual async Task FindOpenByConversationAsync_OpenAppeal_ReturnsIt()
    {
        var appeal = NewAppeal("m-50", "chat-50");
        await Store.AddAsync(appeal, []);

        Assert.Equal(appeal.Id, (await Store.FindOpenByConversationAsync(ChannelId.Telegram, "chat-50"))?.Id);
        Assert.Null(await Store.FindOpenByConversationAsync(ChannelId.Vk, "chat-50"));
        Assert.Null(await Store.FindOpenByConversationAsync(ChannelId.Telegram, "chat-51"));
    }

    /// <summary>A closed appeal is not an open one.</summary>
    /// <returns>A task.</returns>
    [Fact]
    public virtual async Task FindOpenByConversationAsync_AppealClosed_ReturnsNull()
    {
        var appeal = (await Store.AddAsync(NewAppeal("m-60", "chat-60"), [])).Appeal;
        await Store.UpdateAsync(Closed(appeal, T0.AddDays(1)), []);

        Assert.Null(await Store.FindOpenByConversationAsync(ChannelId.Telegram, "chat-60"));
    }

    /// <summary>After the conversation's appeal closed, a new appeal in it is the open one.</summary>
    /// <returns>A task.</returns>
    [Fact]
    public virtual async Task FindOpenByConversationAsync_ClosedThenNewAppeal_ReturnsNewOne()
    {
        var old = (await Store.AddAsync(NewAppeal("m-70", "chat-70"), [])).Appeal;
        await Store.UpdateAsync(Closed(old, T0.AddDays(1)), []);
        var fresh = NewAppeal("m-71", "chat-70", receivedAt: T0.AddDays(2));
        await Store.AddAsync(fresh, []);

        Assert.Equal(fresh.Id, (await Store.FindOpenByConversationAsync(ChannelId.Telegram, "chat-70"))?.Id);
    }

    /// <summary>Of two open appeals of a conversation, the most recent one is returned.</summary>
    /// <returns>A task.</returns>
    [Fact]
    public virtual async Task FindOpenByConversationAsync_TwoOpenAppeals_ReturnsMostRecent()
    {
        var older = NewAppeal("m-80", "chat-80");
        var newer = NewAppeal("m-81", "chat-80", receivedAt: T0.AddHours(5));
        await Store.AddAsync(older, []);
        await Store.AddAsync(newer, []);

        Assert.Equal(newer.Id, (await Store.FindOpenByConversationAsync(ChannelId.Telegram, "chat-80"))?.Id);
    }

    /// <summary>When the newer of two open appeals closes, the older one, still open, is the open appeal of the conversation.</summary>
    /// <returns>A task.</returns>
    [Fact]
    public virtual async Task FindOpenByConversationAsync_NewerAppealClosed_ReturnsOlderOpenOne()
    {
        var older = NewAppeal("m-90", "chat-90");
        await Store.AddAsync(older, []);
        var newer = (await Store.AddAsync(NewAppeal("m-91", "chat-90", receivedAt: T0.AddHours(5)), [])).Appeal;
        await Store.UpdateAsync(Closed(newer, T0.AddHours(6)), []);

        Assert.Equal(older.Id, (await Store.FindOpenByConversationAsync(ChannelId.Telegram, "chat-90"))?.Id);
    }

    /// <summary>
    /// An older appeal of a conversation that is opened again (reopened after closing) becomes the conversation's most recent
    /// open appeal: "most recent" means most recently added or opened again.
    /// </summary>
    /// <returns>A task.</returns>
    [Fact]
    public virtual async Task FindOpenByConversationAsync_OlderAppealReopened_ReturnsReopenedOne()
    {
        var older = (await Store.AddAsync(NewAppeal("m-95", "chat-95"), [])).Appeal;
        var closed = await Store.UpdateAsync(Closed(older, T0.AddHours(1)), []);
        var newer = NewAppeal("m-96", "chat-95", receivedAt: T0.AddHours(2));
        await Store.AddAsync(newer, []);
        Assert.Equal(newer.Id, (await Store.FindOpenByConversationAsync(ChannelId.Telegram, "chat-95"))?.Id);

        await Store.UpdateAsync(closed with { Status = AppealStatus.Reopened, ClosedAt = null }, []);

        Assert.Equal(older.Id, (await Store.FindOpenByConversationAsync(ChannelId.Telegram, "chat-95"))?.Id);
    }

    // ---- Update ------------------------------------------------------------------------------------------------------

    /// <summary>An update at the current version is stored with the version incremented.</summary>
    /// <returns>A task.</returns>
    [Fact]
    public virtual async Task UpdateAsync_CurrentVersion_StoresChangeAndIncrementsVersion()
    {
        var stored = (await Store.AddAsync(NewAppeal("m-100", "chat-100"), [])).Appeal;
        var changed = stored with { UnitId = "unit-roads", Status = AppealStatus.Routed, RaisedSlaSteps = ["first-answer:warning"], Rating = 5 };

        var updated = await Store.UpdateAsync(changed, []);

        Assert.Equal(2, updated.Version);
        StoreAssert.SameAppeal(changed with { Version = 2 }, updated);
        StoreAssert.SameAppeal(changed with { Version = 2 }, await Store.GetAsync(stored.Id));
        var third = await Store.UpdateAsync(updated with { Status = AppealStatus.InProgress }, []);
        Assert.Equal(3, third.Version);
    }

    /// <summary>An update of a snapshot that is no longer current is refused with both versions, and nothing of it is stored.</summary>
    /// <returns>A task.</returns>
    [Fact]
    public virtual async Task UpdateAsync_StaleVersion_ThrowsConcurrencyConflictAndStoresNothing()
    {
        var stored = (await Store.AddAsync(NewAppeal("m-110", "chat-110"), [])).Appeal;
        var current = await Store.UpdateAsync(stored with { UnitId = "unit-a" }, []);
        var stale = stored with { UnitId = "unit-b" };

        var conflict = await Assert.ThrowsAsync<ConcurrencyConflictException>(async () => await Store.UpdateAsync(stale, [NewOutbox(stale, T0)]));

        Assert.Equal(stored.Id, conflict.AppealId);
        Assert.Equal(1, conflict.ExpectedVersion);
        Assert.Equal(2, conflict.ActualVersion);
        StoreAssert.SameAppeal(current, await Store.GetAsync(stored.Id));
        Assert.Empty(await Store.GetOutboxAsync(stored.Id));
    }

    /// <summary>An update of an appeal that does not exist is refused.</summary>
    /// <returns>A task.</returns>
    [Fact]
    public virtual async Task UpdateAsync_UnknownAppeal_ThrowsAppealNotFound()
    {
        var ghost = NewAppeal("m-120", "chat-120");

        var error = await Assert.ThrowsAsync<AppealNotFoundException>(async () => await Store.UpdateAsync(ghost, [NewOutbox(ghost, T0)]));

        Assert.Equal(ghost.Id, error.AppealId);
        Assert.Empty(await ToListAsync(Store.QueryOutboxAsync(OutboxStatus.Pending)));
    }

    /// <summary>Of concurrent updates of the same version, exactly one wins; the others get a conflict.</summary>
    /// <returns>A task.</returns>
    [Fact]
    public virtual async Task UpdateAsync_ConcurrentUpdatesOfSameVersion_ExactlyOneWins()
    {
        var stored = (await Store.AddAsync(NewAppeal("m-130", "chat-130"), [])).Appeal;

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 16).Select(i => Task.Run(async () =>
        {
            var change = stored with { UnitId = $"unit-{i}" };
            try
            {
                return (Unit: change.UnitId, Won: (await Store.UpdateAsync(change, [NewOutbox(change, T0)])).Version == 2);
            }
            catch (ConcurrencyConflictException)
            {
                return (Unit: change.UnitId, Won: false);
            }
        })));

        var winner = Assert.Single(outcomes, o => o.Won);
        var final = await Store.GetAsync(stored.Id);
        Assert.Equal(2, final?.Version);
        Assert.Equal(winner.Unit, final?.UnitId);
        Assert.Single(await Store.GetOutboxAsync(stored.Id));
    }

    /// <summary>A follow-up message stored by an update is found by its own id.</summary>
    /// <returns>A task.</returns>
    [Fact]
    public virtual async Task UpdateAsync_FollowUpMessage_IsFoundByItsId()
    {
        var stored = (await Store.AddAsync(NewAppeal("m-140", "chat-140"), [])).Appeal;

        await Store.UpdateAsync(WithFollowUp(stored, "m-141", T0.AddMinutes(2)), []);

        var found = await Store.FindByMessageAsync(ChannelId.Telegram, "m-141");
        Assert.Equal(stored.Id, found?.Id);
        Assert.Equal(2, found?.Messages.Count);
        Assert.Equal(stored.Id, (await Store.FindByMessageAsync(ChannelId.Telegram, "m-140"))?.Id);
    }

    /// <summary>An update commits the appeal change and its outbox messages together.</summary>
    /// <returns>A task.</returns>
    [Fact]
    public virtual async Task UpdateAsync_WithOutbox_CommitsChangeAndMessagesTogether()
    {
        var stored = (await Store.AddAsync(NewAppeal("m-150", "chat-150"), [])).Appeal;
        var interim = NewOutbox(stored, T0.AddHours(1), text: "Промежуточный ответ");
        var final = NewOutbox(stored, T0.AddHours(1), text: "Окончательный ответ");

        var updated = await Store.UpdateAsync(stored with { Status = AppealStatus.Answered, FirstAnsweredAt = T0.AddHours(1) }, [interim, final]);

        Assert.Equal(AppealStatus.Answered, (await Store.GetAsync(stored.Id))?.Status);
        var outbox = await Store.GetOutboxAsync(stored.Id);
        Assert.Equal([interim.Id, final.Id], outbox.Select(m => m.Id));
        Assert.Equal(2, updated.Version);
    }

    /// <summary>An update whose outbox message cannot be stored (its id is taken) writes neither the change nor any message.</summary>
    /// <returns>A task.</returns>
    [Fact]
    public virtual async Task UpdateAsync_DuplicateOutboxId_ThrowsAndStoresNeither()
    {
        var stored = (await Store.AddAsync(NewAppeal("m-160", "chat-160"), [])).Appeal;
        var ack = NewOutbox(stored, T0);
        var current = await Store.UpdateAsync(stored, [ack]);
        var change = current with { Status = AppealStatus.Answered };
        var fresh = NewOutbox(current, T0.AddHours(1));

        await Assert.ThrowsAsync<InvalidOperationException>(async () => await Store.UpdateAsync(change, [fresh, ack]));

        StoreAssert.SameAppeal(current, await Store.GetAsync(stored.Id));
        Assert.Equal([ack.Id], (await Store.GetOutboxAsync(stored.Id)).Select(m => m.Id));
        Assert.Equal(3, (await Store.UpdateAsync(change, [fresh])).Version);
    }

    // ---- Outbox ------------------------------------------------------------------------------------------------------

    /// <summary>Outbox messages come back as committed, in commit order, with increasing sequences assigned by the store.</summary>
    /// <returns>A task.</returns>
    [Fact]
    public virtual async Task GetOutboxAsync_MessagesOfSeveralCommits_ReturnsThemInCommitOrder()
    {
        var appeal = RichAppeal();
        var first = NewOutbox(appeal, T0) with
        {
            Attachments = [new Attachment(AttachmentKind.Photo, "photo-7_8", "после ремонта")],
            Kind = ReplyKind.Acknowledgement,
        };
        var second = NewOutbox(appeal, T0.AddMinutes(5), text: "Ответ из двух частей. " + new string('ж', 5000)) with { Kind = ReplyKind.Final };
        var stored = (await Store.AddAsync(appeal, [first])).Appeal;
        var other = NewAppeal("m-170", "chat-170");
        var otherMessage = NewOutbox(other, T0);
        await Store.AddAsync(other, [otherMessage]);
        await Store.UpdateAsync(stored, [second]);

        var outbox = await Store.GetOutboxAsync(appeal.Id);

        Assert.Equal(2, outbox.Count);
        StoreAssert.SameOutbox(first, outbox[0]);
        StoreAssert.SameOutbox(second, outbox[1]);
        var otherSequence = Assert.Single(await Store.GetOutboxAsync(other.Id)).Sequence;
        Assert.True(outbox[0].Sequence > 0);
        Assert.True(outbox[0].Sequence < otherSequence && otherSequence < outbox[1].Sequence, "Sequences increase with each commit.");
    }

    /// <summary>Messages are listed by status, in sequence order.</summary>
    /// <returns>A task.</returns>
    [Fact]
    public virtual async Task QueryOutboxAsync_ByStatus_ReturnsMatchingInSequenceOrder()
    {
        var appeals = Enumerable.Range(0, 5).Select(i => NewAppeal($"m-18{i}", $"chat-18{i}", receivedAt: T0.AddMinutes(i))).ToArray();
        var messages = new List<OutboxMessage>();
        foreach (var appeal in appeals)
        {
            var message = NewOutbox(appeal, appeal.ReceivedAt);
            messages.Add(message);
            await Store.AddAsync(appeal, [message]);
        }

        var leased = await Store.LeaseOutboxAsync(T0.AddHours(1), 2, TimeSpan.FromMinutes(5), "d1");
        foreach (var message in leased)
        {
            Assert.True(await Store.UpdateOutboxAsync(Delivered(message, T0.AddHours(1)), "d1"));
        }

        var delivered = await ToListAsync(Store.QueryOutboxAsync(OutboxStatus.Delivered));
        var pending = await ToListAsync(Store.QueryOutboxAsync(OutboxStatus.Pending));

        Assert.Equal(messages.Take(2).Select(m => m.Id), delivered.Select(m => m.Id));
        Assert.Equal(messages.Skip(2).Select(m => m.Id), pending.Select(m => m.Id));
        Assert.Empty(await ToListAsync(Store.QueryOutboxAsync(OutboxStatus.Failed)));
        Assert.Equal(pending.Select(m => m.Sequence).Order(), pending.Select(m => m.Sequence));
    }

    /// <summary>Leasing takes due pending messages, oldest due first, up to the count, and marks the lease.</summary>
    /// <returns>A task.</returns>
    [Fact]
    public virtual async Task LeaseOutboxAsync_DueMessages_LeasesOldestDueFirstUpToMaxCount()
    {
        var appeal = NewAppeal("m-190", "chat-190");
        var late = NewOutbox(appeal, T0, nextAttemptAt: T0.AddMinutes(30));
        var early = NewOutbox(appeal, T0, nextAttemptAt: T0.AddMinutes(10));
        var middle = NewOutbox(appeal, T0, nextAttemptAt: T0.AddMinutes(20));
        var future = NewOutbox(appeal, T0, nextAttemptAt: T0.AddHours(5));
        await Store.AddAsync(appeal, [late, early, middle, future]);
        var now = T0.AddHours(1);

        var firstBatch = await Store.LeaseOutboxAsync(now, 2, TimeSpan.FromMinutes(2), "dispatcher-a");
        var secondBatch = await Store.LeaseOutboxAsync(now, 10, TimeSpan.FromMinutes(2), "dispatcher-b");

        Assert.Equal([early.Id, middle.Id], firstBatch.Select(m => m.Id));
        Assert.All(firstBatch, m =>
        {
            Assert.Equal("dispatcher-a", m.LeaseOwner);
            Assert.Equal(now + TimeSpan.FromMinutes(2), m.LeaseExpiresAt);
            Assert.Equal(OutboxStatus.Pending, m.Status);
        });
        Assert.Equal([late.Id], secondBatch.Select(m => m.Id));
        Assert.Empty(await Store.LeaseOutboxAsync(now, 10, TimeSpan.FromMinutes(2), "dispatcher-c"));
    }

    /// <summary>Messages of the same due time are leased in commit order.</summary>
    /// <returns>A task.</returns>
    [Fact]
    public virtual async Task LeaseOutboxAsync_SameDueTime_LeasesInSequenceOrder()
    {
        var ids = new List<Guid>();
        for (var i = 0; i < 12; i++)
        {
            var appeal = NewAppeal($"m-2{i:00}", $"chat-2{i:00}");
            var message = NewOutbox(appeal, T0);
            ids.Add(message.Id);
            await Store.AddAsync(appeal, [message]);
        }

        var leased = await Store.LeaseOutboxAsync(T0, 100, TimeSpan.FromMinutes(1), "d1");

        Assert.Equal(ids, leased.Select(m => m.Id));
        Assert.Equal(leased.Select(m => m.Sequence).Order(), leased.Select(m => m.Sequence));
    }

    /// <summary>A message leased by one dispatcher is not leased by another before the lease expires.</summary>
    /// <returns>A task.</returns>
    [Fact]
    public virtual async Task LeaseOutboxAsync_MessageLeasedByAnother_IsNotLeasedBeforeExpiry()
    {
        var appeal = NewAppeal("m-210", "chat-210");
        await Store.AddAsync(appeal, [NewOutbox(appeal, T0)]);
        Assert.Single(await Store.LeaseOutboxAsync(T0, 10, TimeSpan.FromMinutes(2), "dispatcher-a"));

        Assert.Empty(await Store.LeaseOutboxAsync(T0.AddMinutes(1), 10, TimeSpan.FromMinutes(2), "dispatcher-b"));
        Assert.Empty(await Store.LeaseOutboxAsync(T0.AddMinutes(2).AddTicks(-1), 10, TimeSpan.FromMinutes(2), "dispatcher-b"));
    }

    /// <summary>When a lease expires (its dispatcher crashed), another dispatcher leases the message again.</summary>
    /// <returns>A task.</returns>
    [Fact]
    public virtual async Task LeaseOutboxAsync_LeaseExpired_LeasesAgainToAnotherOwner()
    {
        var appeal = NewAppeal("m-220", "chat-220");
        var message = NewOutbox(appeal, T0);
        await Store.AddAsync(appeal, [message]);
        Assert.Single(await Store.LeaseOutboxAsync(T0, 10, TimeSpan.FromMinutes(2), "crashed"));

        var retaken = Assert.Single(await Store.LeaseOutboxAsync(T0.AddMinutes(2), 10, TimeSpan.FromMinutes(2), "survivor"));

        Assert.Equal(message.Id, retaken.Id);
        Assert.Equal("survivor", retaken.LeaseOwner);
        Assert.Equal(T0.AddMinutes(4), retaken.LeaseExpiresAt);
    }

    /// <summary>A dispatcher whose lease was taken over cannot store its result: the update is refused and nothing changes.</summary>
    /// <returns>A task.</returns>
    [Fact]
    public virtual async Task UpdateOutboxAsync_LeaseLostToAnotherOwner_RefusesAndStoresNothing()
    {
        var appeal = NewAppeal("m-230", "chat-230");
        await Store.AddAsync(appeal, [NewOutbox(appeal, T0)]);
        var stale = Assert.Single(await Store.LeaseOutboxAsync(T0, 10, TimeSpan.FromMinutes(2), "slow"));
        var current = Assert.Single(await Store.LeaseOutboxAsync(T0.AddMinutes(3), 10, TimeSpan.FromMinutes(2), "fast"));

        var stored = await Store.UpdateOutboxAsync(Delivered(stale, T0.AddMinutes(4)), "slow");

        Assert.False(stored);
        var message = Assert.Single(await Store.GetOutboxAsync(appeal.Id));
        StoreAssert.SameOutbox(current, message);
        Assert.True(await Store.UpdateOutboxAsync(Delivered(current, T0.AddMinutes(4)), "fast"));
    }

    /// <summary>The lease owner stores delivery progress and the outcome; a delivered message is never leased again.</summary>
    /// <returns>A task.</returns>
    [Fact]
    public virtual async Task UpdateOutboxAsync_ByLeaseOwner_StoresProgressAndOutcome()
    {
        var appeal = NewAppeal("m-240", "chat-240");
        await Store.AddAsync(appeal, [NewOutbox(appeal, T0)]);
        var leased = Assert.Single(await Store.LeaseOutboxAsync(T0, 10, TimeSpan.FromMinutes(2), "d1"));
        var progress = leased with { Attempts = 1, DeliveredParts = ["tg-1001"] };
        Assert.True(await Store.UpdateOutboxAsync(progress, "d1"));
        StoreAssert.SameOutbox(progress, Assert.Single(await Store.GetOutboxAsync(appeal.Id)));

        var moved = new ReplyAddress(ChannelId.Telegram, "-100777", "12", "1");
        var done = Delivered(progress, T0.AddMinutes(1)) with { DeliveredParts = ["tg-1001", "tg-1002"], Address = moved };
        Assert.True(await Store.UpdateOutboxAsync(done, "d1"));

        StoreAssert.SameOutbox(done, Assert.Single(await Store.GetOutboxAsync(appeal.Id)));
        Assert.Empty(await Store.LeaseOutboxAsync(T0.AddDays(1), 10, TimeSpan.FromMinutes(2), "d2"));
    }

    /// <summary>A message released for a later attempt comes back when it is due, not before.</summary>
    /// <returns>A task.</returns>
    [Fact]
    public virtual async Task UpdateOutboxAsync_ReleasedForLater_IsLeasedAgainOnlyWhenDue()
    {
        var appeal = NewAppeal("m-250", "chat-250");
        await Store.AddAsync(appeal, [NewOutbox(appeal, T0)]);
        var leased = Assert.Single(await Store.LeaseOutboxAsync(T0, 10, TimeSpan.FromMinutes(2), "d1"));
        var released = leased with
        {
            Attempts = 1,
            LastError = "ChannelException (429): Too Many Requests",
            NextAttemptAt = T0.AddMinutes(10),
            LeaseOwner = null,
            LeaseExpiresAt = null,
        };

        Assert.True(await Store.UpdateOutboxAsync(released, "d1"));

        Assert.Empty(await Store.LeaseOutboxAsync(T0.AddMinutes(9), 10, TimeSpan.FromMinutes(2), "d2"));
        var again = Assert.Single(await Store.LeaseOutboxAsync(T0.AddMinutes(10), 10, TimeSpan.FromMinutes(2), "d2"));
        Assert.Equal(1, again.Attempts);
        Assert.Equal("ChannelException (429): Too Many Requests", again.LastError);
    }

    /// <summary>Failed and parked messages are never leased.</summary>
    /// <returns>A task.</returns>
    [Fact]
    public virtual async Task LeaseOutboxAsync_FailedAndParked_AreNeverLeased()
    {
        var appeal = NewAppeal("m-260", "chat-260");
        await Store.AddAsync(appeal, [NewOutbox(appeal, T0), NewOutbox(appeal, T0)]);
        var leased = await Store.LeaseOutboxAsync(T0, 10, TimeSpan.FromMinutes(1), "d1");
        Assert.True(await Store.UpdateOutboxAsync(leased[0] with { Status = OutboxStatus.Failed, LeaseOwner = null, LeaseExpiresAt = null, LastError = "blocked", CompletedAt = T0 }, "d1"));
        Assert.True(await Store.UpdateOutboxAsync(leased[1] with { Status = OutboxStatus.Parked, LeaseOwner = null, LeaseExpiresAt = null }, "d1"));

        Assert.Empty(await Store.LeaseOutboxAsync(T0.AddDays(30), 10, TimeSpan.FromMinutes(1), "d2"));
        Assert.Single(await ToListAsync(Store.QueryOutboxAsync(OutboxStatus.Failed)));
        Assert.Single(await ToListAsync(Store.QueryOutboxAsync(OutboxStatus.Parked)));
    }

    /// <summary>An update of a message that does not exist is an error, not a lost lease.</summary>
    /// <returns>A task.</returns>
    [Fact]
    public virtual async Task UpdateOutboxAsync_UnknownMessage_ThrowsInvalidOperation()
    {
        var appeal = NewAppeal("m-270", "chat-270");

        await Assert.ThrowsAsync<InvalidOperationException>(async () => await Store.UpdateOutboxAsync(NewOutbox(appeal, T0) with { LeaseOwner = "d1" }, "d1"));
    }

    // ---- Checkpoints -------------------------------------------------------------------------------------------------

    /// <summary>A checkpoint never stored reads as null.</summary>
    /// <returns>A task.</returns>
    [Fact]
    public virtual async Task GetCheckpointAsync_NeverStored_ReturnsNull()
    {
        Assert.Null(await Checkpoints.GetCheckpointAsync("telegram:offset"));
    }

    /// <summary>A checkpoint reads back as last stored; keys are independent.</summary>
    /// <returns>A task.</returns>
    [Fact]
    public virtual async Task SetCheckpointAsync_ThenGet_ReturnsLatestValue()
    {
        await Checkpoints.SetCheckpointAsync("telegram:offset", "1001");
        await Checkpoints.SetCheckpointAsync("vk:ts", "abc:42");
        await Checkpoints.SetCheckpointAsync("telegram:offset", "1002");
        await Checkpoints.SetCheckpointAsync("telegram:unreachable:501", string.Empty);

        Assert.Equal("1002", await Checkpoints.GetCheckpointAsync("telegram:offset"));
        Assert.Equal("abc:42", await Checkpoints.GetCheckpointAsync("vk:ts"));
        Assert.Equal(string.Empty, await Checkpoints.GetCheckpointAsync("telegram:unreachable:501"));
        Assert.Null(await Checkpoints.GetCheckpointAsync("telegram:unreachable"));
    }

    // ---- Queries and reports -----------------------------------------------------------------------------------------

    /// <summary>Every filter of <see cref="AppealQuery"/> (and their combinations) returns what <see cref="AppealQuery.Matches"/> accepts, in receipt order.</summary>
    /// <returns>A task.</returns>
    [Fact]
    public virtual async Task QueryAsync_EachFilter_ReturnsMatchingAppealsInReceiptOrder()
    {
        var appeals = await AddCityAsync();
        var queries = new (string Name, AppealQuery Query)[]
        {
            ("all", AppealQuery.All),
            ("from", new AppealQuery { ReceivedFrom = T0.AddDays(3) }),
            ("to (exclusive)", new AppealQuery { ReceivedTo = appeals[10].ReceivedAt }),
            ("range", new AppealQuery { ReceivedFrom = appeals[5].ReceivedAt, ReceivedTo = appeals[25].ReceivedAt }),
            ("open", new AppealQuery { OpenOnly = true }),
            ("statuses", new AppealQuery { Statuses = [AppealStatus.Closed, AppealStatus.Rejected] }),
            ("no statuses", new AppealQuery { Statuses = [] }),
            ("unit", new AppealQuery { UnitId = "unit-roads" }),
            ("channel", new AppealQuery { Channel = ChannelId.Vk }),
            ("conversation", new AppealQuery { Channel = ChannelId.Telegram, ConversationKey = "chat-3" }),
            ("author", new AppealQuery { Channel = ChannelId.Vk, AuthorId = "user-1" }),
            ("author in any channel", new AppealQuery { AuthorId = "user-3" }),
            ("open unit range", new AppealQuery { OpenOnly = true, UnitId = "unit-waste", ReceivedFrom = T0.AddDays(1), ReceivedTo = T0.AddDays(6) }),
            ("nothing", new AppealQuery { UnitId = "unit-none" }),
        };

        foreach (var (name, query) in queries)
        {
            var expected = appeals.Where(query.Matches).OrderBy(a => a.ReceivedAt).ThenBy(a => a.Number).Select(a => a.Id).ToList();
            var actual = (await ToListAsync(Store.QueryAsync(query))).Select(a => a.Id).ToList();
            Assert.True(expected.SequenceEqual(actual), $"Query '{name}': expected {expected.Count} appeal(s), got {actual.Count} or another order.");
        }
    }

    /// <summary>Appeals come back from a query whole, as stored.</summary>
    /// <returns>A task.</returns>
    [Fact]
    public virtual async Task QueryAsync_StoredAppeals_ComeBackWhole()
    {
        var rich = RichAppeal();
        await Store.AddAsync(rich, []);
        var updated = await Store.UpdateAsync(rich with { Status = AppealStatus.Answered, ResolvedAt = T0.AddDays(2) }, []);

        var found = Assert.Single(await ToListAsync(Store.QueryAsync(new AppealQuery { UnitId = rich.UnitId })));

        StoreAssert.SameAppeal(updated, found);
    }

    /// <summary>The report built over the store equals the report built over the same appeals in memory.</summary>
    /// <returns>A task.</returns>
    [Fact]
    public virtual async Task AppealReportBuildAsync_OverStore_EqualsReportOverSameAppeals()
    {
        var appeals = await AddCityAsync();
        var now = T0.AddDays(12);

        foreach (var (from, to) in new (DateTimeOffset?, DateTimeOffset?)[] { (null, null), (T0.AddDays(2), T0.AddDays(7)), (T0.AddDays(9), null) })
        {
            var expected = AppealReport.Build(appeals, now, from, to).ToJson();
            var actual = (await AppealReport.BuildAsync(Store, now, from, to)).ToJson();
            Assert.Equal(expected, actual);
        }
    }

    // ---- Test data ---------------------------------------------------------------------------------------------------

    /// <summary>Creates a minimal new appeal (version 1, status <see cref="AppealStatus.New"/>).</summary>
    /// <param name="externalId">The channel's message id.</param>
    /// <param name="conversation">The conversation key.</param>
    /// <param name="channel">The channel; Telegram by default.</param>
    /// <param name="receivedAt">When it was received; <see cref="T0"/> by default.</param>
    /// <param name="text">The text.</param>
    /// <returns>The appeal.</returns>
    protected static Appeal NewAppeal(string externalId, string conversation, ChannelId? channel = null, DateTimeOffset? receivedAt = null, string? text = null)
    {
        var at = receivedAt ?? T0;
        var id = channel ?? ChannelId.Telegram;
        var body = text ?? "На перекрёстке не работает светофор";
        return new Appeal
        {
            Id = Guid.CreateVersion7(at),
            Number = 0,
            Channel = id,
            ExternalId = externalId,
            ConversationKey = conversation,
            ReplyAddress = new ReplyAddress(id, conversation, null, externalId),
            Author = new Author("user-" + conversation, "Пётр"),
            Text = body,
            ReceivedAt = at,
            Messages = [new AppealMessage(externalId, body, at)],
            History = [new AppealHistoryEntry(at, AppealHistoryKind.Accepted, $"Accepted from {id}.")],
        };
    }

    /// <summary>Creates an appeal with every field set.</summary>
    /// <returns>The appeal.</returns>
    protected static Appeal RichAppeal()
    {
        var ack = Guid.CreateVersion7(T0);
        var interim = Guid.CreateVersion7(T0.AddHours(1));
        return NewAppeal("wall-123_456", "post-456", ChannelId.Vk) with
        {
            Number = 4242,
            ReplyAddress = new ReplyAddress(ChannelId.Vk, "-123", "456", "789")
            {
                Properties = new Dictionary<string, string>(StringComparer.Ordinal) { ["owner_id"] = "-123", ["kind"] = "wall_comment" },
            },
            Author = new Author("user-501", "Мария Иванова"),
            Text = "Во дворе дома 12 по ул. Садовой третий день не вывозят мусор, контейнеры переполнены",
            Attachments = [new Attachment(AttachmentKind.Photo, "photo-1_2", "контейнеры"), new Attachment(AttachmentKind.Document, "https://example.org/a.pdf")],
            Location = new GeoLocation(45.0355, 38.9753),
            District = "Центральный",
            FoundByMonitoring = true,
            Messages =
            [
                new AppealMessage("wall-123_456", "Во дворе дома 12 по ул. Садовой третий день не вывозят мусор, контейнеры переполнены", T0),
                new AppealMessage("wall-123_457", "Фото прилагаю", T0.AddMinutes(2)) { Attachments = [new Attachment(AttachmentKind.Photo, "photo-1_2", "контейнеры")] },
                new AppealMessage("wall-123_458", string.Empty, T0.AddMinutes(3)) { Location = new GeoLocation(45.0355, 38.9753) },
            ],
            Classification = new AppealClassification(
                TopicCode.Waste,
                "containers",
                isUrgent: true,
                isOutOfScope: false,
                confidence: 0.8125,
                [new MatchedTerm("мусор", "waste", 1.5), new MatchedTerm("вывоз", "waste/containers", 0.1 + 0.2)],
                "2 terms matched"),
            UnitId = "unit-waste",
            Priority = AppealPriority.Urgent,
            Status = AppealStatus.AwaitingCitizen,
            Deadlines = new SlaDeadlines(T0.AddHours(4), T0.AddDays(30).ToOffset(TimeSpan.Zero), "urgent")
            {
                RuleName = "waste-urgent",
                IsUrgent = true,
                Timers =
                [
                    new SlaTimer
                    {
                        Kind = SlaTimerKind.FirstAnswer,
                        Mode = SlaTimeMode.Business,
                        Calendar = "krasnodar",
                        Anchor = SlaAnchor.Registration,
                        StartedAt = T0,
                        Target = TimeSpan.FromHours(4),
                        Extension = TimeSpan.FromMinutes(90),
                        Extensions = 1,
                        Paused = TimeSpan.FromMinutes(17),
                        DueAt = T0.AddHours(4),
                        MetAt = T0.AddHours(1),
                    },
                    new SlaTimer
                    {
                        Kind = SlaTimerKind.NextAnswer,
                        Sequence = 2,
                        Mode = SlaTimeMode.CalendarDays,
                        StartedAt = T0.AddMinutes(2),
                        Target = TimeSpan.FromDays(3),
                        DueAt = T0.AddDays(3),
                        CancelledAt = T0.AddDays(1),
                        Escalates = false,
                    },
                ],
            },
            RegisteredAt = T0.AddMinutes(5),
            RegistrationNumber = "МЦУ-2026/4242",
            ForwardedTo = "Роспотребнадзор",
            ForwardedAt = T0.AddDays(2),
            FirstAnsweredAt = T0.AddHours(1),
            ClockPausedAt = T0.AddHours(2),
            RaisedSlaSteps = ["first-answer:warning", "resolution:warning"],
            Rating = 4,
            Replies =
            [
                new AppealReply(ack, ReplyKind.Acknowledgement, "Ваше обращение №4242 принято", T0, "system"),
                new AppealReply(interim, ReplyKind.Interim, "Вывоз назначен на завтра", T0.AddHours(1), "unit-waste"),
            ],
            History =
            [
                new AppealHistoryEntry(T0, AppealHistoryKind.Accepted, "Accepted from vk (found by monitoring)."),
                new AppealHistoryEntry(T0.AddMinutes(1), AppealHistoryKind.Routed, "Routed to unit-waste by rule waste.", "router"),
                new AppealHistoryEntry(T0.AddMinutes(2), AppealHistoryKind.FollowUp, "Follow-up wall-123_457.", "citizen"),
                new AppealHistoryEntry(T0.AddHours(2), AppealHistoryKind.Clock, "SLA clocks paused.", "specialist.ivanova"),
            ],
        };
    }

    /// <summary>Creates a pending outbox message of an appeal.</summary>
    /// <param name="appeal">The appeal.</param>
    /// <param name="createdAt">When it is committed.</param>
    /// <param name="nextAttemptAt">When it is due; <paramref name="createdAt"/> by default.</param>
    /// <param name="text">The text.</param>
    /// <returns>The message.</returns>
    protected static OutboxMessage NewOutbox(Appeal appeal, DateTimeOffset createdAt, DateTimeOffset? nextAttemptAt = null, string text = "Ваше обращение принято")
    {
        ArgumentNullException.ThrowIfNull(appeal);
        return new OutboxMessage
        {
            Id = Guid.CreateVersion7(createdAt),
            AppealId = appeal.Id,
            Address = appeal.ReplyAddress,
            Kind = ReplyKind.Acknowledgement,
            Text = text,
            CreatedAt = createdAt,
            NextAttemptAt = nextAttemptAt ?? createdAt,
        };
    }

    /// <summary>Collects an asynchronous sequence.</summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <param name="source">The sequence.</param>
    /// <returns>The elements.</returns>
    protected static async Task<List<T>> ToListAsync<T>(IAsyncEnumerable<T> source)
    {
        ArgumentNullException.ThrowIfNull(source);
        var list = new List<T>();
        await foreach (var item in source)
        {
            list.Add(item);
        }

        return list;
    }

    private static Appeal WithFollowUp(Appeal appeal, string externalId, DateTimeOffset at) =>
        appeal with { Messages = [.. appeal.Messages, new AppealMessage(externalId, "Дополнение к обращению", at)] };

    private static Appeal Closed(Appeal appeal, DateTimeOffset at) => appeal with { Status = AppealStatus.Closed, ClosedAt = at };

    private static OutboxMessage Delivered(OutboxMessage message, DateTimeOffset at) => message with
    {
        Status = OutboxStatus.Delivered,
        Attempts = message.Attempts + 1,
        DeliveredParts = [.. message.DeliveredParts, "sent-" + message.Id.ToString("N")[..8]],
        CompletedAt = at,
        LeaseOwner = null,
        LeaseExpiresAt = null,
    };

    /// <summary>Adds forty varied appeals over twelve days: channels, units, statuses, deadlines met and missed, classifications.</summary>
    private async Task<List<Appeal>> AddCityAsync()
    {
        var channels = new[] { ChannelId.Telegram, ChannelId.Vk, ChannelId.Pos, ChannelId.Monitoring };
        var units = new[] { "unit-roads", "unit-waste", "unit-utilities", null };
        var topics = new[] { TopicCode.Roads, TopicCode.Waste, TopicCode.Utilities, TopicCode.Other };
        var statuses = Enum.GetValues<AppealStatus>();
        var appeals = new List<Appeal>();
        for (var i = 0; i < 40; i++)
        {
            var channel = channels[i % channels.Length];
            var receivedAt = T0.AddHours(i * 7).AddMinutes(i % 3 == 0 ? 0 : 13);
            var status = statuses[i % statuses.Length];
            var unit = status == AppealStatus.Rejected ? null : units[i % units.Length];
            var firstAnswer = i % 5 == 0 ? (DateTimeOffset?)null : receivedAt.AddMinutes(30 + (i * 37 % 600));
            var appeal = NewAppeal($"city-{i}", $"chat-{i % 7}", channel, receivedAt, $"Обращение номер {i}") with
            {
                Number = 1000 + (i * 7 % 40),
                Author = new Author($"user-{i % 4}", null),
                UnitId = unit,
                Status = status,
                Classification = new AppealClassification(topics[i % topics.Length], null, i % 6 == 0, status == AppealStatus.Rejected, 0.5),
                FoundByMonitoring = channel == ChannelId.Monitoring,
                Deadlines = i % 9 == 8 ? null : new SlaDeadlines(receivedAt.AddHours(4), receivedAt.AddDays(3), "default"),
                FirstAnsweredAt = firstAnswer,
                ResolvedAt = status is AppealStatus.Answered or AppealStatus.Closed ? receivedAt.AddDays(i % 5) : null,
                ClosedAt = status is AppealStatus.Closed or AppealStatus.Rejected ? receivedAt.AddDays(i % 5).AddHours(1) : null,
                ClockPausedAt = status == AppealStatus.AwaitingCitizen ? receivedAt.AddHours(2) : null,
                Rating = status == AppealStatus.Closed ? 1 + (i % 5) : null,
            };

            // Half of them are stored through an update, as the desk does when a unit acts.
            var stored = (await Store.AddAsync(i % 2 == 0 ? appeal : appeal with { Status = AppealStatus.New, UnitId = null }, [])).Appeal;
            if (i % 2 == 1)
            {
                stored = await Store.UpdateAsync(appeal, []);
            }

            appeals.Add(stored);
        }

        return appeals;
    }
}
