using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Xunit.Abstractions;

namespace Mcu.Sdk.Storage.Sqlite.Tests;

/// <summary>
/// The crash test: the <c>mcu</c> sample runs <c>replay --store sqlite:FILE --ack-journal … --deliveries …</c> (the desk on a
/// SQLite file with the SDK's hosted reply dispatcher) as a child process and is killed with SIGKILL at random points, at
/// least twenty times, and restarted each time; then nothing acknowledged may be missing, every committed reply must be
/// delivered, and no reply may be delivered twice where the channel deduplicates by idempotency key (at most one per crash
/// where it does not).
/// </summary>
[Collection(HeavyTests.Name)]
public sealed class CrashTests(ITestOutputHelper output)
{
    private const int Messages = 1_200;
    private const int MinimumCrashes = 20;
    private const int PlannedCrashes = 24;
    private const int Redeliver = 3;
    private static readonly TimeSpan TotalBudget = TimeSpan.FromSeconds(100);
    private static readonly TimeSpan CrashPhaseBudget = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task KilledHost_RestartedAtRandomPoints_LosesNoAcknowledgedAppealAndNoCommittedReply()
    {
        var mcu = McuSampleAssembly();
        using var folder = new TempDirectory();
        var files = new HostFiles(folder.File("desk.db"), folder.File("input.jsonl"), folder.File("ack.jsonl"), folder.File("deliveries.jsonl"));
        var workload = Workload.Write(files.Input, Messages);
        using var budget = new CancellationTokenSource(TotalBudget);
        var clock = Stopwatch.StartNew();
        var random = new Random(20_261_122);

        // ---- Crash phase: kill at a random point of each run (during start-up, intake or delivery) ----
        var crashes = 0;
        var killPoints = new List<string>();
        while (crashes < PlannedCrashes && clock.Elapsed < CrashPhaseBudget)
        {
            var killAfterEvents = random.Next(10) == 0 ? -1 : random.Next(0, 60);
            var run = await RunHostAsync(mcu, files, killAfterEvents, budget.Token);
            if (run.ExitedByItself)
            {
                break; // the workload ran out before the kill; the final run below checks the rest
            }

            crashes++;
            killPoints.Add(run.KilledAt);
        }

        // ---- Final run: no kill; the host finishes the workload, drains the outbox and prints the report ----
        var final = await RunHostAsync(mcu, files, killAfterEvents: int.MaxValue, budget.Token);
        Assert.True(final.ExitedByItself && final.ExitCode == 0 && final.Reported, $"The final run did not finish cleanly (exit {final.ExitCode}):\n{final.Log}");

        // ---- Checks ----
        var acks = ReadJournal(files.Ack);
        Assert.DoesNotContain(acks, a => a.GetProperty("outcome").GetString() == "skipped");
        var delivered = ReadJournal(files.Deliveries);
        var deliveries = delivered
            .Where(d => d.GetProperty("event").GetString() == "delivered")
            .Select(d => (Channel: d.GetProperty("channel").GetString()!, OutboxId: d.GetProperty("outboxId").GetGuid(), Part: d.GetProperty("part").GetInt32(), Parts: d.GetProperty("parts").GetInt32()))
            .ToArray();
        var deduplicated = delivered.Count(d => d.GetProperty("event").GetString() == "deduplicated");

        await using var store = new SqliteAppealStore(new SqliteStoreOptions { ConnectionString = "Data Source=" + files.Database });
        var appeals = new List<Appeal>();
        await foreach (var appeal in store.QueryAsync(AppealQuery.All))
        {
            appeals.Add(appeal);
        }

        var outbox = new List<OutboxMessage>();
        foreach (var status in Enum.GetValues<OutboxStatus>())
        {
            await foreach (var message in store.QueryOutboxAsync(status))
            {
                outbox.Add(message);
            }
        }

        // Every message of the workload is in exactly one appeal, and every acknowledgement names that appeal.
        var holder = new Dictionary<(string, string), Guid>();
        foreach (var appeal in appeals)
        {
            foreach (var message in appeal.Messages)
            {
                Assert.True(holder.TryAdd((appeal.Channel.Value, message.ExternalId), appeal.Id), $"Message {message.ExternalId} is held by two appeals.");
            }
        }

        var workloadMessages = workload.Where(i => i.Kind == "message").ToArray();
        Assert.All(workloadMessages, m => Assert.True(holder.ContainsKey((m.Channel, m.Id)), $"Message {m.Id} is in no appeal."));
        Assert.Equal(workloadMessages.Length, holder.Count);
        var acknowledgedLines = acks.Select(a => a.GetProperty("line").GetInt32()).ToHashSet();
        Assert.Equal(Enumerable.Range(1, workload.Count), acknowledgedLines.Order());
        foreach (var ack in acks)
        {
            var appealId = ack.GetProperty("appealId").GetGuid();
            if (ack.GetProperty("kind").GetString() == "message")
            {
                Assert.Equal(appealId, holder[(ack.GetProperty("channel").GetString()!, ack.GetProperty("externalId").GetString()!)]);
            }

            Assert.NotNull(await store.GetAsync(appealId));
        }

        // Every answer was committed exactly once.
        var replies = appeals.SelectMany(a => a.Replies).ToArray();
        foreach (var answer in workload.Where(i => i.Kind == "answer"))
        {
            Assert.Single(replies, r => r.Text.Contains(answer.Token!, StringComparison.Ordinal));
        }

        // Every committed reply (acknowledged ones included) is delivered, every part of it.
        var outboxIds = outbox.Select(m => m.Id).ToHashSet();
        foreach (var id in acks.SelectMany(a => a.GetProperty("replies").EnumerateArray().Select(r => r.GetGuid())))
        {
            Assert.Contains(id, outboxIds);
        }

        Assert.All(outbox, m => Assert.Equal(OutboxStatus.Delivered, m.Status));
        Assert.Equal(replies.Length, outbox.Count);
        var partsById = deliveries.GroupBy(d => d.OutboxId).ToDictionary(g => g.Key, g => g.ToArray());
        foreach (var message in outbox)
        {
            Assert.True(partsById.TryGetValue(message.Id, out var parts), $"Reply {message.Id} was never delivered.");
            var expected = parts[0].Parts;
            Assert.Equal(Enumerable.Range(0, expected), parts.Select(p => p.Part).Distinct().Order());
            Assert.Equal(expected, message.DeliveredParts.Count);
        }

        Assert.Contains(deliveries, d => d.Parts > 1); // long final answers are split: the parts are recorded one by one

        // Duplicates: none where the channel has an idempotency key (VK), at most one per crash where it has none (Telegram).
        var duplicates = deliveries.GroupBy(d => (d.Channel, d.OutboxId, d.Part)).Where(g => g.Count() > 1).ToArray();
        var idempotentDuplicates = duplicates.Where(g => g.Key.Channel == "vk").Sum(g => g.Count() - 1);
        var plainDuplicates = duplicates.Where(g => g.Key.Channel == "telegram").Sum(g => g.Count() - 1);

        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"crashes: {crashes} (SIGKILL), elapsed {clock.Elapsed.TotalSeconds:0.0} s"));
        output.WriteLine($"kill points: {string.Join(", ", killPoints)}");
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"appeals: {appeals.Count} holding {holder.Count} messages; input lines {workload.Count}, acknowledgements journaled: {acks.Count}"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"replies committed: {outbox.Count}, delivered parts: {deliveries.Length}"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"duplicates: {idempotentDuplicates} on vk (idempotency key; {deduplicated} resend(s) deduplicated by the channel), {plainDuplicates} on telegram (no key)"));

        Assert.True(crashes >= MinimumCrashes, $"Only {crashes} crashes within {CrashPhaseBudget}.");
        Assert.Equal(0, idempotentDuplicates);
        Assert.True(plainDuplicates <= crashes, $"{plainDuplicates} duplicate deliveries on telegram after {crashes} crashes.");
    }

    // The build writes the path of the sample's mcu.dll next to the tests (see the project file).
    private static string McuSampleAssembly()
    {
        var record = Path.Combine(AppContext.BaseDirectory, "mcu-sample.txt");
        Assert.True(File.Exists(record), $"{record} is missing: build the test project, which builds samples/Mcu.Samples.Console first.");
        var dll = File.ReadAllText(record).Trim();
        Assert.True(File.Exists(dll), $"The mcu sample was not built at {dll}.");
        return dll;
    }

    // A journal line torn by a kill (no newline yet) was never acknowledged: it is ignored.
    private static List<JsonElement> ReadJournal(string path)
    {
        var text = File.ReadAllText(path, Encoding.UTF8);
        var end = text.LastIndexOf('\n');
        return end < 0
            ? []
            : text[..end].Split('\n').Where(l => l.Length > 0).Select(l => JsonDocument.Parse(l).RootElement.Clone()).ToList();
    }

    private static async Task<HostRun> RunHostAsync(string mcu, HostFiles files, int killAfterEvents, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        start.ArgumentList.Add(mcu);
        foreach (var argument in new[]
        {
            "replay", "--input", files.Input, "--store", "sqlite:" + files.Database, "--ack-journal", files.Ack, "--deliveries", files.Deliveries,
            "--redeliver", Redeliver.ToString(CultureInfo.InvariantCulture), "--format", "json",
        })
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("mcu did not start.");
        var report = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var log = new StringBuilder();
        try
        {
            if (killAfterEvents < 0)
            {
                process.Kill(); // during start-up: the runtime, opening the file, migrating, starting the dispatcher
                await process.WaitForExitAsync(cancellationToken);
                return new HostRun(false, process.ExitCode, false, "start-up", string.Empty);
            }

            // The host run logs "started: …", then "ack …" per acknowledged line and "delivered …"/"deduplicated …" per part.
            var events = 0;
            while (await process.StandardError.ReadLineAsync(cancellationToken) is { } line)
            {
                log.AppendLine(line);
                if (line.StartsWith("started:", StringComparison.Ordinal) || line.StartsWith("ack ", StringComparison.Ordinal)
                    || line.StartsWith("delivered ", StringComparison.Ordinal) || line.StartsWith("deduplicated ", StringComparison.Ordinal))
                {
                    if (events++ >= killAfterEvents)
                    {
                        process.Kill();
                        await process.WaitForExitAsync(cancellationToken);
                        return new HostRun(false, process.ExitCode, false, string.Create(CultureInfo.InvariantCulture, $"{line.Split(' ')[0].TrimEnd(':')}#{events}"), log.ToString());
                    }
                }
            }

            await process.WaitForExitAsync(cancellationToken);
            var json = await report;
            var reported = json.Length > 0 && JsonDocument.Parse(json).RootElement.TryGetProperty("total", out _);
            return new HostRun(true, process.ExitCode, reported, "none", log.ToString());
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill();
            }
        }
    }

    private sealed record HostFiles(string Database, string Input, string Ack, string Deliveries);

    private sealed record HostRun(bool ExitedByItself, int ExitCode, bool Reported, string KilledAt, string Log);

    /// <summary>One line of the workload: a citizen's message or a unit's answer to the appeal of an earlier message.</summary>
    /// <param name="Kind"><c>message</c> or <c>answer</c>.</param>
    /// <param name="Channel">The channel id.</param>
    /// <param name="Id">The message id (for a message) or the id of the answered message (for an answer).</param>
    /// <param name="Token">A token unique to an answer, written into its text, for the checks.</param>
    private sealed record WorkItem(string Kind, string Channel, string Id, string? Token = null);

    /// <summary>The workload: <c>mcu replay</c> input lines.</summary>
    private static class Workload
    {
        private static readonly string[] Problems =
        [
            "Во дворе дома {0} по улице Садовой третий день не горит фонарь, вечером идти страшно.",
            "На остановке у дома {0} разбит павильон, осколки лежат прямо на тротуаре.",
            "Возле школы на улице Мира, дом {0}, огромная яма, машины объезжают по встречной полосе.",
            "У подъезда дома {0} переполнены мусорные контейнеры, мусор не вывозят с понедельника.",
            "В доме {0} на улице Лесной нет горячей воды со вчерашнего вечера.",
            "На детской площадке у дома {0} сломаны качели, торчит острый край.",
        ];

        private const string Interim = "Заявка передана бригаде, выезд запланирован в течение рабочего дня. Мы сообщим о результате отдельно, как только работы будут завершены.";

        private const string Final = "Работы выполнены: неисправность устранена, место проверено мастером участка. Благодарим за внимательность и просим сообщать о подобных случаях в дальнейшем.";

        // A detailed final answer is longer than one channel message (4,096 characters): it is delivered in parts.
        private static readonly string DetailedFinal = string.Join(
            ' ',
            Enumerable.Range(1, 20).Select(n => string.Create(CultureInfo.InvariantCulture, $"Пункт {n}: по итогам обследования участка составлен акт, работы выполнены подрядной организацией в установленный срок, качество проверено комиссией с участием представителя управы района, замечаний к результату нет.")));

        private static readonly DateTimeOffset Start = new(2026, 11, 20, 8, 0, 0, TimeSpan.FromHours(3));

        private static readonly JsonSerializerOptions Json = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

        /// <summary>Writes a workload: messages on two channels, some follow-ups in the same conversation, and answers.</summary>
        /// <param name="path">The file.</param>
        /// <param name="messages">How many messages.</param>
        /// <returns>The items written, one per line.</returns>
        public static IReadOnlyList<WorkItem> Write(string path, int messages)
        {
            Assert.True(DetailedFinal.Length > 4096);
            var items = new List<WorkItem>(messages * 2);
            var lines = new List<string>(messages * 2);
            var answers = new Queue<(WorkItem Item, string Line)>();
            for (var i = 0; i < messages; i++)
            {
                var channel = i % 2 == 0 ? "vk" : "telegram";
                var conversation = string.Create(CultureInfo.InvariantCulture, $"{channel}-conversation-{i / 4}");
                var id = string.Create(CultureInfo.InvariantCulture, $"{channel}-message-{i}");
                var text = string.Format(CultureInfo.InvariantCulture, Problems[i % Problems.Length], 1 + (i % 97));
                items.Add(new WorkItem("message", channel, id));
                lines.Add(JsonSerializer.Serialize(
                    new
                    {
                        channel,
                        externalId = id,
                        conversation,
                        author = new { id = "citizen-" + conversation, name = "Анна Смирнова" },
                        text,
                        receivedAt = Start.AddSeconds(20 * i).ToString("yyyy-MM-ddTHH:mm:sszzz", CultureInfo.InvariantCulture),
                    },
                    Json));

                // Four messages share a conversation (two per channel): the first of each channel opens an appeal and gets an
                // answer (interim or final, some final ones long), the second joins it as a follow-up.
                if (i % 4 is 0 or 1)
                {
                    var final = i % 8 is 0 or 1;
                    var token = string.Create(CultureInfo.InvariantCulture, $"[ответ-{i}]");
                    var body = $"{token} {(final ? (i % 16 is 0 or 1 ? DetailedFinal : Final) : Interim)}";
                    answers.Enqueue((new WorkItem("answer", channel, id, token), JsonSerializer.Serialize(new { kind = "answer", channel, externalId = id, text = body, final }, Json)));
                }

                // Answers trail their messages by a few lines.
                if (answers.Count > 6)
                {
                    var (item, line) = answers.Dequeue();
                    items.Add(item);
                    lines.Add(line);
                }
            }

            foreach (var (item, line) in answers)
            {
                items.Add(item);
                lines.Add(line);
            }

            File.WriteAllText(path, string.Join('\n', lines) + "\n", new UTF8Encoding(false));
            return items;
        }
    }
}
