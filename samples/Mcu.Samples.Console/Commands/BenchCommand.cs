using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Mcu.Samples.Console.Cli;
using Mcu.Samples.Console.Hosting;
using Mcu.Samples.Console.Input;
using Mcu.Samples.Console.Simulation;
using Mcu.Sdk;
using Mcu.Sdk.Classification;

namespace Mcu.Samples.Console.Commands;

/// <summary>
/// <c>mcu bench</c>: throughput of the in-memory desk end to end (concurrent intake, classification, routing, clocks, and
/// delivery of every reply to loopback channels) and of the lexicon classifier alone, each next to a baseline measured in the
/// same run on the same inputs: System.Text.Json parsing of the messages as JSONL lines into a small record.
/// </summary>
/// <remarks>
/// The ratio says how many times slower (below 1) or faster than parsing the input the stage is, which stays comparable
/// across machines. Each figure is the best of <see cref="Rounds"/> measured rounds after a warm-up round.
/// </remarks>
internal static class BenchCommand
{
    /// <summary>How many measured rounds each figure is the best of.</summary>
    public const int Rounds = 5;

    private static readonly JsonSerializerOptions LineOptions = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        TypeInfoResolver = InputJsonContext.Default,
    };

    /// <summary>Creates the command.</summary>
    /// <param name="context">The console.</param>
    /// <returns>The command.</returns>
    public static Command Create(ConsoleContext context)
    {
        var count = McuCommandLine.IntOption("--count", "How many generated appeals each measured round processes.", 20_000, 10, 5_000_000);
        var store = StoreOption.Create();
        var command = new Command("bench", "Measure appeals per second of the in-memory desk end to end and of the classifier alone, against a System.Text.Json baseline of the same run; with --store sqlite:FILE, durable SQLite ingest against plain batched inserts.")
        {
            count, store,
        };
        command.SetAction((parse, ct) =>
        {
            // The option's validator already refused invalid values.
            return !StoreOption.TryParse(parse.GetValue(store), out var sqliteFile, out _) || sqliteFile is null
                ? RunAsync(context, parse.GetValue(count), ct)
                : StoreBenchCommand.RunAsync(sqliteFile, context.Out, context.Error, ct);
        });
        return command;
    }

    /// <summary>Runs the benchmark and prints the table.</summary>
    /// <param name="context">The console.</param>
    /// <param name="count">How many appeals each round processes.</param>
    /// <param name="cancellationToken">A token to cancel the run.</param>
    /// <returns>The exit code.</returns>
    public static async Task<int> RunAsync(ConsoleContext context, int count, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var producers = Math.Clamp(Environment.ProcessorCount, 2, 4);
        var warmUp = Math.Max(10, Math.Min(count, 2_000));
        await context.Error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"bench: generating {count} appeals...")).ConfigureAwait(false);
        var messages = Generate(count, seed: 7);
        var lines = messages.Select(ToJsonLine).ToArray();
        var texts = messages.Select(m => m.Text).ToArray();
        var rules = new LexiconClassifier();
        var classifier = StackedClassifier.Default;

        // Warm up every path (JIT, tiered compilation, the lexicon's lazy structures) before measuring.
        await context.Error.WriteLineAsync("bench: warming up...").ConfigureAwait(false);
        ParseLines(lines.AsSpan(0, warmUp));
        ClassifyTexts(classifier, texts.AsSpan(0, warmUp));
        ClassifyTexts(rules, texts.AsSpan(0, warmUp));
        await RunDeskAsync(messages[..warmUp], producers, cancellationToken).ConfigureAwait(false);

        var baseline = TimeSpan.MaxValue;
        var classify = TimeSpan.MaxValue;
        var classifyRules = TimeSpan.MaxValue;
        var desk = TimeSpan.MaxValue;
        for (var round = 1; round <= Rounds; round++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            await context.Error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"bench: round {round} of {Rounds}...")).ConfigureAwait(false);
            baseline = Min(baseline, Measure(() => ParseLines(lines)));
            classify = Min(classify, Measure(() => ClassifyTexts(classifier, texts)));
            classifyRules = Min(classifyRules, Measure(() => ClassifyTexts(rules, texts)));
            desk = Min(desk, await RunDeskAsync(messages, producers, cancellationToken).ConfigureAwait(false));
        }

        var baselineRate = count / baseline.TotalSeconds;
        var output = new StringBuilder();
        output.Append(CultureInfo.InvariantCulture, $"# mcu bench\n\n{count} generated appeals per round, best of {Rounds} rounds after a warm-up; {producers} concurrent producers; .NET {Environment.Version}, {RuntimeInformation.OSDescription}, {Environment.ProcessorCount} logical CPU(s).\n");
        output.Append("Baseline: System.Text.Json parsing of the same messages as JSONL lines into a small record. Ratio = stage rate / baseline rate.\n\n");
        output.Append("| stage | appeals | time, ms | appeals/s | baseline lines/s | ratio |\n|---|---:|---:|---:|---:|---:|\n");
        Row(output, "desk end to end (ingest + dispatch replies)", count, desk, baselineRate);
        Row(output, "default classifier alone (StackedClassifier.Classify: rules + model)", count, classify, baselineRate);
        Row(output, "rules alone (LexiconClassifier.Classify)", count, classifyRules, baselineRate);
        Row(output, "baseline (System.Text.Json JSONL parse)", count, baseline, baselineRate);
        await context.Out.WriteAsync(output.ToString()).ConfigureAwait(false);
        await context.Out.FlushAsync(cancellationToken).ConfigureAwait(false);
        return ExitCodes.Success;
    }

    private static void Row(StringBuilder output, string stage, int count, TimeSpan time, double baselineRate)
    {
        var rate = count / time.TotalSeconds;
        output.Append(CultureInfo.InvariantCulture, $"| {stage} | {count} | {time.TotalMilliseconds:0.0} | {rate:0} | {baselineRate:0} | {rate / baselineRate:0.000} |\n");
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    private static TimeSpan Measure(Action action)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        var started = Stopwatch.GetTimestamp();
        action();
        return Stopwatch.GetElapsedTime(started);
    }

    /// <summary>Ingests the messages through a fresh desk with concurrent producers, then delivers every reply.</summary>
    private static async Task<TimeSpan> RunDeskAsync(InboundMessage[] messages, int producers, CancellationToken cancellationToken)
    {
        await using var runtime = McuRuntime.Create(new SimulatedClock(SimulationOptions.DefaultStart.AddHours(12)), verbose: false);
        GC.Collect();
        GC.WaitForPendingFinalizers();
        var started = Stopwatch.GetTimestamp();
        var tasks = new Task[producers];
        for (var p = 0; p < producers; p++)
        {
            var offset = p;
            tasks[p] = Task.Run(
                async () =>
                {
                    for (var i = offset; i < messages.Length; i += producers)
                    {
                        await runtime.Desk.IngestAsync(messages[i], cancellationToken).ConfigureAwait(false);
                    }
                },
                cancellationToken);
        }

        await Task.WhenAll(tasks).ConfigureAwait(false);
        while ((await runtime.Dispatcher.DispatchDueAsync(cancellationToken).ConfigureAwait(false)).Total > 0)
        {
        }

        var elapsed = Stopwatch.GetElapsedTime(started);
        var delivered = runtime.Channels.Sum(c => c.Delivered.Count);
        var created = runtime.Counters[AppealEventKind.Accepted];
        if (created != messages.Length || delivered == 0)
        {
            throw new InvalidOperationException($"The desk accepted {created} of {messages.Length} appeals and delivered {delivered} replies: the benchmark's inputs are wrong.");
        }

        return elapsed;
    }

    private static int ParseLines(ReadOnlySpan<string> lines)
    {
        var total = 0;
        foreach (var line in lines)
        {
            var parsed = JsonSerializer.Deserialize(line, InputJsonContext.Default.BaselineLine)
                ?? throw new InvalidOperationException("A benchmark line parsed to null.");
            total += parsed.Text.Length;
        }

        return total;
    }

    private static int ClassifyTexts(LexiconClassifier classifier, ReadOnlySpan<string> texts)
    {
        var total = 0;
        foreach (var text in texts)
        {
            total += classifier.Classify(text).Terms.Count;
        }

        return total;
    }

    private static int ClassifyTexts(StackedClassifier classifier, ReadOnlySpan<string> texts)
    {
        var total = 0;
        foreach (var text in texts)
        {
            total += classifier.Classify(text).Terms.Count;
        }

        return total;
    }

    private static string ToJsonLine(InboundMessage message) => JsonSerializer.Serialize(
        new BaselineLine(message.Channel.Value, message.ExternalId, message.ConversationKey, message.Text, message.ReceivedAt),
        LineOptions);

    /// <summary>Generates distinct first messages (each in its own conversation) over the channel mix.</summary>
    private static InboundMessage[] Generate(int count, int seed)
    {
        var random = new Random(seed);
        var generator = new AppealTextGenerator(seed);
        var factory = new MessageFactory(random);
        var at = SimulationOptions.DefaultStart.AddHours(9);
        var messages = new InboundMessage[count];
        for (var i = 0; i < count; i++)
        {
            var appeal = generator.Next();
            var citizen = factory.NewCitizen(ChannelMix.Pick(random), appeal);
            messages[i] = factory.Create(citizen with { Conversation = citizen.Conversation + "-" + i.ToString(CultureInfo.InvariantCulture) }, appeal.Text, at.AddSeconds(i % 3600));
        }

        return messages;
    }
}
