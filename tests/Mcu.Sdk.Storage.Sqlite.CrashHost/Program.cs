using System.Globalization;
using Mcu.Sdk;
using Mcu.Sdk.Channels;
using Mcu.Sdk.Classification;
using Mcu.Sdk.Storage;
using Mcu.Sdk.Storage.Sqlite.CrashHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

// ---- The crash host -----------------------------------------------------------------------------------------------------
// Runs the desk on a SQLite file as a real host does (AddMcu + UseSqliteStore, hosted dispatcher), feeds it a workload of
// citizens' messages and units' answers, and journals two things, each line synced to the disk before the host goes on:
//   ack log:       A <index> <kind> <channel> <message id> <appeal id> <outcome> <outbox ids>   after the desk acknowledged
//   delivered log: D <channel> <outbox id> <part> <parts> <idempotency key>                      when a fake channel delivers
//                  K <channel> <outbox id> <part> <idempotency key>                              a resend the channel deduplicated
// The test kills it with SIGKILL at random points and restarts it; a restart resumes the items not yet acknowledged and
// replays the last few acknowledged ones, as a channel that re-delivers does. It prints READY, ACK <n>, DLV, INPUT-DONE, DONE.
//
// usage: Mcu.Sdk.Storage.Sqlite.CrashHost --db FILE --input FILE --ack FILE --delivered FILE [--concurrency N] [--replay N]

var arguments = ParseArguments(args);
var items = Workload.Read(arguments["--input"]);
var concurrency = int.Parse(arguments.GetValueOrDefault("--concurrency", "8"), CultureInfo.InvariantCulture);
var replay = int.Parse(arguments.GetValueOrDefault("--replay", "3"), CultureInfo.InvariantCulture);

var acknowledged = Journal.Read(arguments["--ack"]).Where(l => l[0] == "A").Select(l => int.Parse(l[1], CultureInfo.InvariantCulture)).ToHashSet();
var deliveredKeys = Journal.Read(arguments["--delivered"]).Where(l => l[0] == "D").Select(l => l[5]).ToHashSet(StringComparer.Ordinal);
using var ackLog = new Journal(arguments["--ack"]);
using var deliveredLog = new Journal(arguments["--delivered"]);

// ---- 1. Compose the SDK on the SQLite store, with two journaling fake channels ----------------------------------------
var vk = new JournalingChannel(ChannelId.Vk, idempotent: true, deliveredLog, deliveredKeys);
var telegram = new JournalingChannel(ChannelId.Telegram, idempotent: false, deliveredLog, deliveredKeys);
var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
builder.Services.AddMcu(mcu => mcu
    .UseSqliteStore("Data Source=" + arguments["--db"])
    .UseClassifier(_ => new RoadsClassifier())
    .AddReplySender(vk)
    .AddReplySender(telegram)
    .ConfigureDispatcher(o =>
    {
        // One delivery in flight at a time: a kill then loses at most one unrecorded send.
        o.MaxParallelConversations = 1;
        o.LeaseDuration = TimeSpan.FromSeconds(5);
        o.PollInterval = TimeSpan.FromMilliseconds(50);
        o.BatchSize = 50;
    }));
using var host = builder.Build();
await host.StartAsync();
var desk = host.Services.GetRequiredService<IAppealDesk>();
var store = host.Services.GetRequiredService<IAppealStore>();
Console.WriteLine("READY");

// ---- 2. Feed what is not acknowledged yet, plus a replay of the last acknowledged messages ------------------------------
var todo = Enumerable.Range(0, items.Count).Where(i => !acknowledged.Contains(i)).ToList();
var replayed = acknowledged.Where(i => items[i].Kind == "message").Order().TakeLast(replay).ToList();
foreach (var chunk in replayed.Concat(todo).Chunk(concurrency))
{
    await Task.WhenAll(chunk.Select(index => ProcessAsync(index)));
}

Console.WriteLine("INPUT-DONE");

// ---- 3. Drain: wait until every committed reply is delivered (leases of a killed predecessor expire first) -------------
while (await HasPendingAsync())
{
    await Task.Delay(TimeSpan.FromMilliseconds(50), TimeProvider.System);
}

await host.StopAsync();
Console.WriteLine("DONE");
return 0;

async Task ProcessAsync(int index)
{
    var item = items[index];
    var channel = new ChannelId(item.Channel);
    if (item.Kind == "message")
    {
        var message = new InboundMessage(channel, item.Id, item.Conversation!, new Author("citizen-" + item.Conversation, "Анна Смирнова"), item.Text, TimeProvider.System.GetUtcNow());
        var result = await desk.IngestAsync(message);
        var outbox = result.Outcome == IngestOutcome.FollowUp ? [] : result.Appeal.Replies.Select(r => r.OutboxId.ToString("N"));
        Acknowledge(index, item, result.Appeal.Id, result.Outcome.ToString(), outbox);
        return;
    }

    // An answer is committed once: a replayed answer finds its token in the appeal's replies.
    var appeal = await store.FindByMessageAsync(channel, item.Id) ?? throw new InvalidOperationException($"Item {index} answers {item.Id}, which is not stored.");
    var reply = appeal.Replies.FirstOrDefault(r => r.Text.Contains(item.Token!, StringComparison.Ordinal));
    var outcome = "AlreadyAnswered";
    if (reply is null)
    {
        var stored = await desk.AnswerAsync(appeal.Id, new UnitAnswer($"{item.Token} {item.Text}", item.Final));
        reply = stored.Replies.Single(r => r.Text.Contains(item.Token!, StringComparison.Ordinal));
        outcome = "Answered";
    }

    Acknowledge(index, item, appeal.Id, outcome, [reply.OutboxId.ToString("N")]);
}

void Acknowledge(int index, WorkItem item, Guid appealId, string outcome, IEnumerable<string> outboxIds)
{
    ackLog.Append("A", index.ToString(CultureInfo.InvariantCulture), item.Kind, item.Channel, item.Id, appealId.ToString("N"), outcome, string.Join(',', outboxIds));
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"ACK {index}"));
}

async Task<bool> HasPendingAsync()
{
    await foreach (var _ in store.QueryOutboxAsync(OutboxStatus.Pending))
    {
        return true;
    }

    return false;
}

static Dictionary<string, string> ParseArguments(string[] args)
{
    var result = new Dictionary<string, string>(StringComparer.Ordinal);
    for (var i = 0; i + 1 < args.Length; i += 2)
    {
        result[args[i]] = args[i + 1];
    }

    foreach (var required in new[] { "--db", "--input", "--ack", "--delivered" })
    {
        if (!result.ContainsKey(required))
        {
            throw new ArgumentException($"Missing {required}. Usage: --db FILE --input FILE --ack FILE --delivered FILE [--concurrency N] [--replay N]");
        }
    }

    return result;
}

/// <summary>
/// A fake channel that journals every delivery before acknowledging it. With <c>idempotent</c> it behaves as VK does with
/// <c>random_id</c>: a resend with a key it has already delivered is acknowledged without delivering again (the journal of
/// earlier runs is the channel's memory, as a real channel's server outlives the host).
/// </summary>
internal sealed class JournalingChannel(ChannelId channel, bool idempotent, Journal journal, HashSet<string> deliveredKeys) : IReplySender
{
    private static long s_messageId;

    public ChannelId Channel => channel;

    public ChannelCapabilities Capabilities { get; } = new() { MaxTextLength = 160, SupportsIdempotencyKey = idempotent, SupportsThreads = true };

    public ValueTask<DeliveryReceipt> SendAsync(OutgoingMessage message, CancellationToken cancellationToken = default)
    {
        var outboxId = message.IdempotencyKey.Split(':')[0];
        var part = message.PartIndex.ToString(CultureInfo.InvariantCulture);
        lock (deliveredKeys)
        {
            if (idempotent && deliveredKeys.Contains(message.IdempotencyKey))
            {
                journal.Append("K", channel.Value, outboxId, part, message.IdempotencyKey);
                Console.WriteLine("DUP");
                return ValueTask.FromResult(new DeliveryReceipt("dedup-" + message.IdempotencyKey));
            }

            journal.Append("D", channel.Value, outboxId, part, message.PartCount.ToString(CultureInfo.InvariantCulture), message.IdempotencyKey);
            deliveredKeys.Add(message.IdempotencyKey);
        }

        Console.WriteLine("DLV");
        return ValueTask.FromResult(new DeliveryReceipt(string.Create(CultureInfo.InvariantCulture, $"{channel}-{Interlocked.Increment(ref s_messageId)}")));
    }
}

/// <summary>Classifies everything as roads: the crash test is about storage, not about the lexicon (and starts faster).</summary>
internal sealed class RoadsClassifier : IAppealClassifier
{
    public ValueTask<AppealClassification> ClassifyAsync(string text, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(new AppealClassification(TopicCode.Roads, null, false, false, 0.9));
}
