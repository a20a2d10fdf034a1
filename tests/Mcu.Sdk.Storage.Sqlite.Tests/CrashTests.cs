using System.Diagnostics;
using System.Globalization;
using System.Text;
using Mcu.Sdk.Storage.Sqlite.CrashHost;
using Xunit.Abstractions;

namespace Mcu.Sdk.Storage.Sqlite.Tests;

/// <summary>
/// The crash test: a host running the desk on a SQLite file is killed with SIGKILL at random points, at least twenty times,
/// and restarted each time; then nothing acknowledged may be missing, every committed reply must be delivered, and no
/// reply may be delivered twice where the channel deduplicates by idempotency key (at most one per crash where it does not).
/// </summary>
[Collection(HeavyTests.Name)]
public sealed class CrashTests(ITestOutputHelper output)
{
    private const int Messages = 1_200;
    private const int MinimumCrashes = 20;
    private const int PlannedCrashes = 24;
    private static readonly TimeSpan TotalBudget = TimeSpan.FromSeconds(90);
    private static readonly TimeSpan CrashPhaseBudget = TimeSpan.FromSeconds(55);

    [Fact]
    public async Task KilledHost_RestartedAtRandomPoints_LosesNoAcknowledgedAppealAndNoCommittedReply()
    {
        using var folder = new TempDirectory();
        var files = new HostFiles(folder.File("desk.db"), folder.File("input.jsonl"), folder.File("ack.log"), folder.File("delivered.log"));
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
            var run = await RunHostAsync(files, killAfterEvents, budget.Token);
            if (run.ExitedByItself)
            {
                break; // the workload ran out before the kill; the final run below checks the rest
            }

            crashes++;
            killPoints.Add(run.KilledAt);
        }

        // ---- Final run: no kill; the host finishes the workload and drains the outbox ----
        var final = await RunHostAsync(files, killAfterEvents: int.MaxValue, budget.Token);
        Assert.True(final.ExitedByItself && final.ExitCode == 0 && final.Done, $"The final run did not finish cleanly (exit {final.ExitCode}):\n{final.Errors}");

        // ---- Checks ----
        var acks = Journal.Read(files.Ack).Where(l => l[0] == "A").ToArray();
        var delivered = Journal.Read(files.Delivered);
        var deliveries = delivered.Where(l => l[0] == "D").Select(l => (Channel: l[1], OutboxId: l[2], Part: int.Parse(l[3], CultureInfo.InvariantCulture), Parts: int.Parse(l[4], CultureInfo.InvariantCulture))).ToArray();
        var deduplicated = delivered.Count(l => l[0] == "K");

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
        foreach (var ack in acks)
        {
            var appealId = Guid.ParseExact(ack[5], "N");
            if (ack[2] == "message")
            {
                Assert.Equal(appealId, holder[(ack[3], ack[4])]);
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
        var outboxIds = outbox.Select(m => m.Id.ToString("N")).ToHashSet(StringComparer.Ordinal);
        foreach (var id in acks.SelectMany(a => a[7].Split(',', StringSplitOptions.RemoveEmptyEntries)))
        {
            Assert.Contains(id, outboxIds);
        }

        Assert.All(outbox, m => Assert.Equal(OutboxStatus.Delivered, m.Status));
        Assert.Equal(replies.Length, outbox.Count);
        var partsById = deliveries.GroupBy(d => d.OutboxId).ToDictionary(g => g.Key, g => g.ToArray(), StringComparer.Ordinal);
        foreach (var message in outbox)
        {
            Assert.True(partsById.TryGetValue(message.Id.ToString("N"), out var parts), $"Reply {message.Id} was never delivered.");
            var expected = parts[0].Parts;
            Assert.Equal(Enumerable.Range(0, expected), parts.Select(p => p.Part).Distinct().Order());
            Assert.Equal(expected, message.DeliveredParts.Count);
        }

        // Duplicates: none where the channel has an idempotency key (VK), at most one per crash where it has none (Telegram).
        var duplicates = deliveries.GroupBy(d => (d.Channel, d.OutboxId, d.Part)).Where(g => g.Count() > 1).ToArray();
        var idempotentDuplicates = duplicates.Where(g => g.Key.Channel == "vk").Sum(g => g.Count() - 1);
        var plainDuplicates = duplicates.Where(g => g.Key.Channel == "telegram").Sum(g => g.Count() - 1);

        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"crashes: {crashes} (SIGKILL), elapsed {clock.Elapsed.TotalSeconds:0.0} s"));
        output.WriteLine($"kill points: {string.Join(", ", killPoints)}");
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"appeals: {appeals.Count} holding {holder.Count} messages; acknowledgements journaled: {acks.Length}"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"replies committed: {outbox.Count}, delivered parts: {deliveries.Length}"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"duplicates: {idempotentDuplicates} on vk (idempotency key; {deduplicated} resend(s) deduplicated by the channel), {plainDuplicates} on telegram (no key)"));

        Assert.True(crashes >= MinimumCrashes, $"Only {crashes} crashes within {CrashPhaseBudget}.");
        Assert.Equal(0, idempotentDuplicates);
        Assert.True(plainDuplicates <= crashes, $"{plainDuplicates} duplicate deliveries on telegram after {crashes} crashes.");
    }

    private static async Task<HostRun> RunHostAsync(HostFiles files, int killAfterEvents, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Mcu.Sdk.Storage.Sqlite.CrashHost.dll"));
        foreach (var (name, value) in new[] { ("--db", files.Database), ("--input", files.Input), ("--ack", files.Ack), ("--delivered", files.Delivered) })
        {
            start.ArgumentList.Add(name);
            start.ArgumentList.Add(value);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("The crash host did not start.");
        var errors = process.StandardError.ReadToEndAsync(cancellationToken);
        try
        {
            if (killAfterEvents < 0)
            {
                process.Kill(); // during start-up: opening the file, migrating, starting the dispatcher
                await process.WaitForExitAsync(cancellationToken);
                return new HostRun(false, process.ExitCode, false, "start-up", await errors);
            }

            var events = 0;
            var done = false;
            while (await process.StandardOutput.ReadLineAsync(cancellationToken) is { } line)
            {
                done |= line == "DONE";
                if (line is "READY" || line.StartsWith("ACK ", StringComparison.Ordinal) || line is "DLV" or "DUP")
                {
                    if (events++ >= killAfterEvents)
                    {
                        process.Kill();
                        await process.WaitForExitAsync(cancellationToken);
                        return new HostRun(false, process.ExitCode, false, string.Create(CultureInfo.InvariantCulture, $"{line}#{events}"), await errors);
                    }
                }
            }

            await process.WaitForExitAsync(cancellationToken);
            return new HostRun(true, process.ExitCode, done, "none", await errors);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill();
            }
        }
    }

    private sealed record HostFiles(string Database, string Input, string Ack, string Delivered);

    private sealed record HostRun(bool ExitedByItself, int ExitCode, bool Done, string KilledAt, string Errors);
}
