using Mcu.Samples.Console.Tests.TestSupport;

namespace Mcu.Samples.Console.Tests;

/// <summary>End-to-end tests of <c>mcu replay</c>: the full pipeline over a JSONL file of inbound messages.</summary>
public sealed class ReplayCommandTests : IDisposable
{
    private const string First = """{"channel":"telegram","externalId":"501:77","conversation":"501","author":{"id":"501","name":"Иван Петров"},"text":"Третий день нет горячей воды в доме на Ставропольской 120","receivedAt":"2026-11-20T08:15:00+03:00"}""";

    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Replay_MixedFile_CountsGoodLinesOnceAndReportsBadLinesWithTheirNumbers()
    {
        var file = _folder.Write(
            "inbound.jsonl",
            First,
            First, // line 2: the channel delivered the same message again
            """{"channel":"telegram","externalId":"501:78","conversation":"501","author":{"id":"501","name":"Иван Петров"},"text":"Фото прикладываю","receivedAt":"2026-11-20T08:17:00+03:00","attachments":[{"kind":"photo","ref":"AgACAgIAAx0"}]}""",
            """{"channel":"telegram","externalId":"502:1",""",
            """{"channel":"fax","externalId":"f-1","conversation":"f","author":{"id":"9"},"text":"Яма на дороге","receivedAt":"2026-11-20T09:00:00+03:00"}""",
            """{"channel":"pos","externalId":"pos-1:1","conversation":"pos-1","author":{"id":"77"},"receivedAt":"2026-11-20T09:05:00+03:00"}""",
            string.Empty,
            """{"channel":"pos","externalId":"pos-2:1","conversation":"pos-2","author":{"id":"78","name":"Ольга"},"text":"Огромная яма на дороге на ул. Красной, машины бьют колёса","receivedAt":"2026-11-20T10:00:00+03:00"}""",
            """{"channel":"vk","externalId":"vk-3:1","conversation":"vk-3","author":{"id":"79"},"text":"Мусор не вывозят","receivedAt":"20.11.2026 10:30"}""",
            """{"channel":"monitoring","externalId":"vk:public101_5_9:1","conversation":"vk:public101_5_9","author":{"id":"vk:80"},"text":"Открытый люк посреди тротуара, ребёнок чуть не упал! Срочно!","receivedAt":"2026-11-20T11:45:00+03:00","location":{"lat":45.04,"lon":38.98}}""");

        var result = await McuRun.RunAsync("replay", "--input", file, "--format", "json");

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("inbound.jsonl:4: skipped: not a valid JSON object", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("inbound.jsonl:5: skipped: unknown channel 'fax'", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("inbound.jsonl:6: skipped: missing field 'text'", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("inbound.jsonl:9: skipped: bad date in 'receivedAt'", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain(":1: skipped", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain(":7:", result.Stderr, StringComparison.Ordinal);

        using var json = result.Json();
        var root = json.RootElement;
        Assert.Equal(3, root.GetProperty("total").GetInt32()); // the duplicate and the follow-up belong to the first appeal
        Assert.Equal(1, root.GetProperty("byChannel").GetProperty("telegram").GetInt32());
        Assert.Equal(1, root.GetProperty("byChannel").GetProperty("pos").GetInt32());
        Assert.Equal(1, root.GetProperty("byChannel").GetProperty("monitoring").GetInt32());
        Assert.Equal(1, root.GetProperty("byTopic").GetProperty("utilities").GetInt32());
        Assert.Equal(2, root.GetProperty("byTopic").GetProperty("roads").GetInt32());
        Assert.Equal(1, root.GetProperty("urgent").GetInt32());
        Assert.Equal(1, root.GetProperty("foundByMonitoring").GetInt32());
        Assert.Equal("2026-11-20T11:45:00+03:00", root.GetProperty("generatedAt").GetString());

        // 08:15 plus the 4-hour first-answer target is 12:15: at 11:45 nothing is overdue yet, but the urgent one's hour runs.
        Assert.Empty(root.GetProperty("overdueByDepartment").EnumerateObject());
        Assert.Contains("3 appeal(s), 1 follow-up(s), 1 duplicate(s), 4 skipped", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Replay_CleanFile_ExitsZeroAndPrintsMarkdownWithTheRun()
    {
        var file = _folder.Write(
            "clean.jsonl",
            First,
            """{"channel":"telegram","externalId":"600:1","conversation":"600","author":{"id":"600"},"text":"Посоветуйте хорошего сантехника","receivedAt":"2026-11-20T09:00:00+03:00"}""",
            """{"channel":"pos","externalId":"pos-9:1","conversation":"pos-9","author":{"id":"9"},"text":"Не работает уличное освещение во дворе дома 5 по ул. Гагарина","receivedAt":"2026-11-20T18:30:00+03:00"}""");

        var result = await McuRun.RunAsync("replay", "--input", file);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("**Total: 3**", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("| Rejected | 1 |", result.Stdout, StringComparison.Ordinal); // the plumber request gets the polite refusal
        Assert.Contains("## Replay", result.Stdout, StringComparison.Ordinal);

        // Acknowledgements for the two routed appeals and the refusal went out through the loopback senders.
        Assert.Contains("| replies delivered | 3 |", result.Stdout, StringComparison.Ordinal);

        // At 18:30 the 08:15 appeal is past its 4-hour first-answer deadline without an answer.
        Assert.Contains("## overdueByDepartment\n\n| key | count |\n|---|---:|\n| city-economy | 1 |", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Replay_FollowUpAfterDuplicate_JoinsTheOpenAppealInOrder()
    {
        var file = _folder.Write(
            "followup.jsonl",
            First,
            """{"channel":"telegram","externalId":"501:80","conversation":"501","author":{"id":"501"},"text":"Воды так и нет","receivedAt":"2026-11-20T12:00:00+03:00"}""",
            """{"channel":"telegram","externalId":"501:80","conversation":"501","author":{"id":"501"},"text":"Воды так и нет","receivedAt":"2026-11-20T12:00:00+03:00"}""");

        var result = await McuRun.RunAsync("replay", "--input", file, "--format", "json");

        Assert.True(result.ExitCode == 0, result.ToString());
        using var json = result.Json();
        Assert.Equal(1, json.RootElement.GetProperty("total").GetInt32());
        Assert.Contains("1 appeal(s), 1 follow-up(s), 1 duplicate(s), 0 skipped", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Replay_OnlyBadLines_ExitsTwoWithoutAReport()
    {
        var file = _folder.Write("bad.jsonl", "null", "[1,2]", """{"channel":"telegram"}""");

        var result = await McuRun.RunAsync("replay", "--input", file);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("bad.jsonl:1: skipped", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("bad.jsonl:2: skipped", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("bad.jsonl:3: skipped: missing field 'externalId'", result.Stderr, StringComparison.Ordinal);
        Assert.Equal(string.Empty, result.Stdout);
    }

    [Fact]
    public async Task Replay_MissingFile_ExitsOneWithAClearError()
    {
        var result = await McuRun.RunAsync("replay", "--input", Path.Combine(_folder.Path, "nope.jsonl"));

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("cannot read", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("nope.jsonl", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Replay_WithoutInput_FailsWithExitCode1()
    {
        var result = await McuRun.RunAsync("replay");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("--input", result.Stderr, StringComparison.Ordinal);
    }
}
