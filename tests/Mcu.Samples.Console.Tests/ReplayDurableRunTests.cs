using System.Text;
using System.Text.Json;
using Mcu.Samples.Console.Hosting;
using Mcu.Samples.Console.Tests.TestSupport;
using Mcu.Sdk;
using Mcu.Sdk.Channels;
using Mcu.Sdk.Storage;
using Mcu.Sdk.Storage.Sqlite;

namespace Mcu.Samples.Console.Tests;

/// <summary>
/// <c>mcu replay</c> with units' answers in the input, and as a durable host run: <c>--ack-journal</c> (resume),
/// <c>--deliveries</c> (the offline channels' record) and <c>--redeliver</c>.
/// </summary>
public sealed class ReplayDurableRunTests : IDisposable
{
    private const string Water = """{"channel":"telegram","externalId":"501:77","conversation":"501","author":{"id":"501","name":"Иван Петров"},"text":"Третий день нет горячей воды в доме на Ставропольской 120","receivedAt":"2026-11-20T08:15:00+03:00"}""";
    private const string Pit = """{"channel":"vk","externalId":"vk-9:1","conversation":"vk-9","author":{"id":"9","name":"Ольга"},"text":"Огромная яма на дороге на ул. Красной, машины бьют колёса","receivedAt":"2026-11-20T09:00:00+03:00"}""";
    private const string Plumber = """{"channel":"telegram","externalId":"600:1","conversation":"600","author":{"id":"600"},"text":"Посоветуйте хорошего сантехника","receivedAt":"2026-11-20T09:30:00+03:00"}""";
    private const string WaterInterim = """{"kind":"answer","channel":"telegram","externalId":"501:77","text":"Бригада выехала, воду дадут к вечеру.","answeredAt":"2026-11-20T10:00:00+03:00"}""";
    private const string PitFinal = """{"kind":"answer","channel":"vk","externalId":"vk-9:1","text":"Яму заделали, покрытие восстановлено.","final":true,"actor":"ДТиДХ"}""";

    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Replay_AnswersInTheInput_AreCommittedOnTheSimulatedClockAndDelivered()
    {
        var input = _folder.Write("answers.jsonl", Water, Pit, WaterInterim, PitFinal);

        var result = await McuRun.RunAsync("replay", "--input", input);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("| answers committed | 2 |\n| answers already held | 0 |", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("| replies delivered | 4 |", result.Stdout, StringComparison.Ordinal); // two acknowledgements, two answers
        Assert.Contains("| Answered | 1 |", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("| InProgress | 1 |", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("2 appeal(s), 0 follow-up(s), 0 duplicate(s), 0 skipped. 2 answer(s) committed, 0 already held.", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("started:", result.Stderr, StringComparison.Ordinal); // no host log without --ack-journal
    }

    [Fact]
    public async Task Replay_BadAnswerLines_AreSkippedWithTheirReasons()
    {
        var input = _folder.Write(
            "bad-answers.jsonl",
            Water,
            Plumber,
            """{"kind":"answer","channel":"telegram","externalId":"999:1","text":"Ответ в никуда"}""",
            """{"kind":"answer","channel":"telegram","externalId":"501:77"}""",
            """{"kind":"answer","channel":"telegram","externalId":"501:77","text":"Ответ","answeredAt":"вчера"}""",
            """{"kind":"reply","channel":"telegram","externalId":"501:77","text":"Ответ"}""",
            """{"kind":"answer","channel":"telegram","externalId":"600:1","text":"Вот телефон сантехника."}""",
            """{"kind":"answer","channel":"fax","externalId":"501:77","text":"Ответ"}""");

        var result = await McuRun.RunAsync("replay", "--input", input);

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("bad-answers.jsonl:3: skipped: no appeal holds message telegram:999:1", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("bad-answers.jsonl:4: skipped: missing field 'text' of an answer", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("bad-answers.jsonl:5: skipped: bad date in 'answeredAt': 'вчера'", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("bad-answers.jsonl:6: skipped: unknown kind 'reply' (expected message or answer)", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("bad-answers.jsonl:7: skipped: appeal #2 cannot take an interim answer", result.Stderr, StringComparison.Ordinal); // rejected as out of scope
        Assert.Contains("bad-answers.jsonl:8: skipped: unknown channel 'fax'", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("2 appeal(s), 0 follow-up(s), 0 duplicate(s), 6 skipped.", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Replay_SameFileTwiceIntoOneStore_AnswersOnce()
    {
        var input = _folder.Write("twice.jsonl", Water, Pit, WaterInterim, PitFinal);
        var database = Path.Combine(_folder.Path, "twice.db");

        var first = await McuRun.RunAsync("replay", "--input", input, "--store", "sqlite:" + database);
        var second = await McuRun.RunAsync("replay", "--input", input, "--store", "sqlite:" + database);

        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.True(second.ExitCode == 0, second.ToString());
        Assert.Contains("0 appeal(s), 0 follow-up(s), 2 duplicate(s), 0 skipped. 0 answer(s) committed, 2 already held.", second.Stderr, StringComparison.Ordinal);
        var appeals = await ReadAppealsAsync(database);
        Assert.Equal(2, appeals.Count);
        Assert.All(appeals, a => Assert.Equal(2, a.Replies.Count)); // the acknowledgement and one answer each
    }

    [Fact]
    public async Task AckJournal_Rerun_ResumesAfterTheAcknowledgedLinesAndRedeliversTheLastMessages()
    {
        var input = _folder.Write("resume.jsonl", Water, Pit);
        var database = Path.Combine(_folder.Path, "resume.db");
        var journal = Path.Combine(_folder.Path, "ack.jsonl");

        var first = await RunHostedAsync(input, database, journal);
        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.Contains("started: 0 line(s) acknowledged by an earlier run; 0 message(s) to feed again", first.Stderr, StringComparison.Ordinal);
        Assert.Contains("ack 1 created telegram 501:77 #1", first.Stderr, StringComparison.Ordinal);
        Assert.Contains("ack 2 created vk vk-9:1 #2", first.Stderr, StringComparison.Ordinal);

        // The input grows (more messages and the units' answers); a rerun picks up where the journal ends.
        File.AppendAllText(input, Plumber + "\n" + WaterInterim + "\n" + PitFinal + "\n");
        var second = await RunHostedAsync(input, database, journal, "--redeliver", "1", "--format", "json");

        Assert.True(second.ExitCode == 0, second.ToString());
        Assert.Contains("started: 2 line(s) acknowledged by an earlier run; 1 message(s) to feed again", second.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("ack 1 ", second.Stderr, StringComparison.Ordinal);
        Assert.Contains("ack 2 duplicate vk vk-9:1 #2", second.Stderr, StringComparison.Ordinal);
        Assert.Contains("ack 3 created telegram 600:1 #3", second.Stderr, StringComparison.Ordinal);
        Assert.Contains("ack 4 answered telegram 501:77 #1", second.Stderr, StringComparison.Ordinal);
        Assert.Contains("ack 5 answered vk vk-9:1 #2", second.Stderr, StringComparison.Ordinal);
        Assert.Contains("1 appeal(s), 0 follow-up(s), 1 duplicate(s), 0 skipped. 2 answer(s) committed, 0 already held. 2 line(s) acknowledged by an earlier run, 1 message(s) fed again.", second.Stderr, StringComparison.Ordinal);
        using (var json = second.Json())
        {
            Assert.Equal(3, json.RootElement.GetProperty("total").GetInt32()); // the report covers the whole store
        }

        var records = ReadJournal(journal);
        Assert.Equal([1, 2, 2, 3, 4, 5], records.Select(r => r.GetProperty("line").GetInt32()));
        Assert.Equal(["created", "created", "duplicate", "created", "answered", "answered"], records.Select(r => r.GetProperty("outcome").GetString()));

        // Every reply the journal names is committed, and the host run delivered every one before it reported.
        var outbox = await ReadOutboxAsync(database);
        Assert.All(records.SelectMany(r => r.GetProperty("replies").EnumerateArray()), id => Assert.Contains(outbox, m => m.Id == id.GetGuid()));
        Assert.Equal(5, outbox.Count); // three acknowledgements (one a refusal) and two answers
        Assert.All(outbox, m => Assert.Equal(OutboxStatus.Delivered, m.Status));

        // Nothing left: a third run acknowledges nothing new.
        var third = await RunHostedAsync(input, database, journal);
        Assert.True(third.ExitCode == 0, third.ToString());
        Assert.DoesNotContain("ack ", third.Stderr, StringComparison.Ordinal);
        Assert.Equal(6, ReadJournal(journal).Count);
    }

    [Fact]
    public async Task AckJournal_KilledBetweenAnAnswersCommitAndItsJournalLine_DoesNotAnswerTwice()
    {
        var input = _folder.Write("answer-crash.jsonl", Water, WaterInterim);
        var database = Path.Combine(_folder.Path, "answer-crash.db");
        var journal = Path.Combine(_folder.Path, "ack.jsonl");
        var first = await RunHostedAsync(input, database, journal);
        Assert.True(first.ExitCode == 0, first.ToString());

        // The answer is committed, but its journal line is lost, half written, as a kill leaves it.
        var lines = File.ReadAllLines(journal);
        Assert.Equal(2, lines.Length);
        File.WriteAllText(journal, lines[0] + "\n" + lines[1][..20], new UTF8Encoding(false));

        var second = await RunHostedAsync(input, database, journal);

        Assert.True(second.ExitCode == 0, second.ToString());
        Assert.Contains("ack 2 alreadyAnswered telegram 501:77 #1", second.Stderr, StringComparison.Ordinal);
        var records = ReadJournal(journal);
        Assert.Equal(["created", "alreadyAnswered"], records.Select(r => r.GetProperty("outcome").GetString()));
        var appeal = Assert.Single(await ReadAppealsAsync(database));
        Assert.Single(appeal.Replies, r => r.Kind == ReplyKind.Interim);
        Assert.Equal(records[1].GetProperty("replies")[0].GetGuid(), appeal.Replies.Single(r => r.Kind == ReplyKind.Interim).OutboxId);
    }

    [Fact]
    public async Task Deliveries_RecordEveryPartOnceWithItsTextAndKey()
    {
        var longAnswer = string.Join(' ', Enumerable.Repeat("Работы по ремонту покрытия выполнены, участок принят комиссией.", 80));
        var input = _folder.Write(
            "deliveries.jsonl",
            Water,
            Pit,
            JsonSerializer.Serialize(new { kind = "answer", channel = "vk", externalId = "vk-9:1", text = longAnswer, final = true }));
        var database = Path.Combine(_folder.Path, "deliveries.db");
        var deliveries = Path.Combine(_folder.Path, "deliveries.log");

        var result = await RunHostedAsync(input, database, Path.Combine(_folder.Path, "ack.jsonl"), "--deliveries", deliveries);

        Assert.True(result.ExitCode == 0, result.ToString());
        var records = ReadJournal(deliveries);
        Assert.All(records, r => Assert.Equal("delivered", r.GetProperty("event").GetString()));
        Assert.Equal(4, records.Count); // two acknowledgements, the long answer in two parts
        var parts = records.Where(r => r.GetProperty("parts").GetInt32() == 2).OrderBy(r => r.GetProperty("part").GetInt32()).ToArray();
        Assert.Equal(2, parts.Length);
        Assert.Equal("vk", parts[0].GetProperty("channel").GetString());
        Assert.Equal("vk-9", parts[0].GetProperty("conversation").GetString());
        Assert.EndsWith(":0", parts[0].GetProperty("key").GetString(), StringComparison.Ordinal);
        Assert.Contains("Работы по ремонту", parts[1].GetProperty("text").GetString(), StringComparison.Ordinal);
        Assert.Contains("Иван", File.ReadAllText(deliveries), StringComparison.Ordinal); // readable text, not \u escapes
        Assert.Contains("delivered vk ", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("| parts recorded as delivered | 4 |\n| resends deduplicated by key | 0 |", result.Stdout, StringComparison.Ordinal);
        var outbox = await ReadOutboxAsync(database);
        Assert.Equal(records.Select(r => r.GetProperty("outboxId").GetGuid()).ToHashSet(), outbox.Select(m => m.Id).ToHashSet());
    }

    [Fact]
    public async Task Deliveries_WithoutAckJournal_RecordTheSimulatedReplay()
    {
        var input = _folder.Write("simulated.jsonl", Water, WaterInterim);
        var deliveries = Path.Combine(_folder.Path, "simulated.log");

        var result = await McuRun.RunAsync("replay", "--input", input, "--deliveries", deliveries);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(2, ReadJournal(deliveries).Count);
        Assert.DoesNotContain("delivered telegram", result.Stderr, StringComparison.Ordinal); // the log lines belong to host runs
    }

    [Fact]
    public void RecordingChannels_KeyedResendsAreDeduplicatedAcrossRuns_UnkeyedOnesAreDeliveredAgain()
    {
        var path = Path.Combine(_folder.Path, "channels.log");
        var vkPart = new OutgoingMessage(new ReplyAddress(ChannelId.Vk, "vk-1"), "Ответ", $"{Guid.NewGuid():N}:0") { AppealId = Guid.NewGuid() };
        var telegramPart = new OutgoingMessage(new ReplyAddress(ChannelId.Telegram, "5"), "Ответ", $"{Guid.NewGuid():N}:0");
        using (var journal = DeliveryJournal.Open(path, null))
        {
            var vk = new RecordingChannel(ChannelId.Vk, idempotencyKey: true, journal);
            var telegram = new RecordingChannel(ChannelId.Telegram, idempotencyKey: false, journal);
            Assert.True(journal.Record(vk, vkPart));
            Assert.False(journal.Record(vk, vkPart));
            Assert.True(journal.Record(telegram, telegramPart));
            Assert.True(journal.Record(telegram, telegramPart));
            Assert.Equal(3, journal.Delivered);
            Assert.Equal(1, journal.Deduplicated);
        }

        // The journal is the channel's memory: a later run's resend of a key delivered before is deduplicated too.
        using (var journal = DeliveryJournal.Open(path, null))
        {
            var vk = new RecordingChannel(ChannelId.Vk, idempotencyKey: true, journal);
            Assert.False(journal.Record(vk, vkPart));
        }

        Assert.Equal(["delivered", "deduplicated", "delivered", "delivered", "deduplicated"], ReadJournal(path).Select(r => r.GetProperty("event").GetString()));
        Assert.Equal(new[] { ChannelId.Vk }, RecordingChannel.ChannelsWithIdempotencyKey.ToArray());
    }

    [Fact]
    public async Task AckJournal_FromAnotherInput_IsRefused()
    {
        var database = Path.Combine(_folder.Path, "other.db");
        var journal = Path.Combine(_folder.Path, "ack.jsonl");
        var first = await RunHostedAsync(_folder.Write("a.jsonl", Water, Pit), database, journal);
        Assert.True(first.ExitCode == 0, first.ToString());

        var result = await RunHostedAsync(_folder.Write("b.jsonl", Pit, Water), database, journal);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("ack.jsonl says line 1 was the message telegram:501:77, but b.jsonl:1 is the message vk:vk-9:1", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("belongs to another input", result.Stderr, StringComparison.Ordinal);
        Assert.Equal(string.Empty, result.Stdout);
    }

    [Fact]
    public async Task AckJournal_WithAForeignLine_IsRefused_ATornLastLineIsCutOff()
    {
        var input = _folder.Write("torn.jsonl", Water);
        var database = Path.Combine(_folder.Path, "torn.db");
        var foreign = _folder.Write("foreign.jsonl", "this is not a journal");

        var refused = await RunHostedAsync(input, database, foreign);

        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("foreign.jsonl:1: not an acknowledgement journal line", refused.Stderr, StringComparison.Ordinal);

        var torn = Path.Combine(_folder.Path, "torn-ack.jsonl");
        File.WriteAllText(torn, """{"line":1,"kind":"mess""");
        var resumed = await RunHostedAsync(input, database, torn);

        Assert.True(resumed.ExitCode == 0, resumed.ToString());
        Assert.Contains("started: 0 line(s) acknowledged", resumed.Stderr, StringComparison.Ordinal);
        var record = Assert.Single(ReadJournal(torn));
        Assert.Equal("created", record.GetProperty("outcome").GetString());
    }

    [Theory]
    [InlineData("--ack-journal needs a durable store", "--ack-journal", "{dir}/ack.jsonl")]
    [InlineData("--ack-journal needs a durable store", "--ack-journal", "{dir}/ack.jsonl", "--store", "memory")]
    [InlineData("--redeliver needs --ack-journal", "--redeliver", "3", "--store", "sqlite:{dir}/x.db")]
    [InlineData("--redeliver must be from 0 to 1000; got 1001", "--redeliver", "1001", "--store", "sqlite:{dir}/x.db", "--ack-journal", "{dir}/ack.jsonl")]
    [InlineData("must be different files", "--store", "sqlite:{dir}/x.db", "--ack-journal", "{dir}/same.log", "--deliveries", "{dir}/same.log")]
    [InlineData("cannot be the SQLite store's file", "--store", "sqlite:{dir}/same.db", "--ack-journal", "{dir}/same.db")]
    [InlineData("Unknown --store 'postgres'", "--store", "postgres", "--ack-journal", "{dir}/ack.jsonl")]
    public async Task Replay_BadJournalOptions_FailWithExitCode1AndSayWhy(string expected, params string[] options)
    {
        var input = _folder.Write("options.jsonl", Water);

        var result = await McuRun.RunAsync(["replay", "--input", input, .. options.Select(o => o.Replace("{dir}", _folder.Path, StringComparison.Ordinal))]);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains(expected, result.Stderr, StringComparison.Ordinal);
        Assert.Equal(["options.jsonl"], Directory.GetFiles(_folder.Path).Select(Path.GetFileName)); // nothing was created
    }

    [Fact]
    public async Task Help_DescribesTheAnswerLinesAndTheJournalOptions()
    {
        var result = await McuRun.RunAsync("replay", "--help");

        Assert.Equal(0, result.ExitCode);
        foreach (var expected in new[] { "\"kind\":\"answer\"", "--ack-journal", "--deliveries", "--redeliver", "idempotency", "resumes" })
        {
            Assert.Contains(expected, result.Stdout, StringComparison.Ordinal);
        }
    }

    private Task<McuResult> RunHostedAsync(string input, string database, string journal, params string[] more) =>
        McuRun.RunAsync(["replay", "--input", input, "--store", "sqlite:" + database, "--ack-journal", journal, .. more]);

    private static List<JsonElement> ReadJournal(string path) =>
        File.ReadAllLines(path).Where(l => l.Length > 0).Select(l => JsonDocument.Parse(l).RootElement.Clone()).ToList();

    private static async Task<List<Appeal>> ReadAppealsAsync(string database)
    {
        await using var store = new SqliteAppealStore(new SqliteStoreOptions { ConnectionString = "Data Source=" + database });
        var appeals = new List<Appeal>();
        await foreach (var appeal in store.QueryAsync(AppealQuery.All))
        {
            appeals.Add(appeal);
        }

        return appeals;
    }

    private static async Task<List<OutboxMessage>> ReadOutboxAsync(string database)
    {
        await using var store = new SqliteAppealStore(new SqliteStoreOptions { ConnectionString = "Data Source=" + database });
        var outbox = new List<OutboxMessage>();
        foreach (var status in Enum.GetValues<OutboxStatus>())
        {
            await foreach (var message in store.QueryOutboxAsync(status))
            {
                outbox.Add(message);
            }
        }

        return outbox;
    }
}
