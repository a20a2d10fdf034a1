using System.Buffers;
using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Mcu.Samples.Console.Cli;
using Mcu.Samples.Console.Hosting;
using Mcu.Samples.Console.Input;
using Mcu.Sdk;
using Mcu.Sdk.Classification;
using Mcu.Sdk.Routing;

namespace Mcu.Samples.Console.Commands;

/// <summary>
/// <c>mcu classify</c>: classifies texts (JSONL <c>{"id","text"}</c> from a file or standard input) and prints one JSON line each
/// with the topic, urgency, scope, confidence, the unit the rule-based router would choose and the matched terms. Also trains and
/// evaluates a classifier model (<c>--train</c>, <c>--evaluate</c>).
/// </summary>
internal static class ClassifyCommand
{
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, Indented = false };

    /// <summary>Creates the command.</summary>
    /// <param name="context">The console.</param>
    /// <param name="verbose">The global <c>--verbose</c> option.</param>
    /// <returns>The command.</returns>
    public static Command Create(ConsoleContext context, Option<bool> verbose)
    {
        var input = new Option<FileInfo?>("--input", "-i")
        {
            Description = "The JSONL file of texts, {\"id\":\"..\",\"text\":\"..\"} per line; standard input when omitted.",
            HelpName = "FILE.jsonl",
        };
        var train = new Option<FileInfo[]>("--train")
        {
            Description = "Train a classifier model on JSONL files of labelled appeals ({\"text\",\"topic\",\"subtopic\"} per line; lines that also carry \"urgent\" and \"outOfScope\" train urgency and scope) and write it to --model. Repeat the option or list several files.",
            HelpName = "HISTORY.jsonl",
            AllowMultipleArgumentsPerToken = true,
        };
        var kind = new Option<string>("--kind")
        {
            Description = "The kind of model --train writes: 'logistic' (stacked on the lexicon rules; the default) or 'bayes' (Naive Bayes over stems, combined with the rules in an ensemble).",
            DefaultValueFactory = _ => "logistic",
        };
        kind.AcceptOnlyFromAmong("logistic", "bayes");
        var evaluate = new Option<FileInfo?>("--evaluate")
        {
            Description = "Evaluate the classifier (the --model one, or the lexicon classifier) on a labelled JSONL file and print the metrics.",
            HelpName = "FILE.jsonl",
        };
        var model = new Option<FileInfo?>("--model")
        {
            Description = "The model file: written by --train; read by --evaluate, and by plain classification, which then uses the lexicon rules with that model instead of the model shipped with the SDK.",
            HelpName = "FILE",
        };
        var command = new Command("classify", "Classify texts: one JSON line out per JSONL line in, with topic, urgency, scope, confidence, the responsible unit and the matched terms.")
        {
            input, train, kind, evaluate, model,
        };
        command.Validators.Add(result =>
        {
            var hasTrain = result.GetValue(train) is { Length: > 0 };
            var hasEvaluate = result.GetValue(evaluate) is not null;
            var hasInput = result.GetValue(input) is not null;
            var hasModel = result.GetValue(model) is not null;
            if (hasTrain && hasEvaluate)
            {
                result.AddError("--train and --evaluate cannot be combined; train first, then evaluate with --model.");
            }
            else if (hasTrain && !hasModel)
            {
                result.AddError("--train needs --model FILE: where to write the trained model.");
            }
            else if ((hasTrain || hasEvaluate) && hasInput)
            {
                result.AddError("--input classifies texts; it cannot be combined with --train or --evaluate.");
            }
        });
        command.SetAction((parse, ct) =>
        {
            if (parse.GetValue(train) is { Length: > 0 } histories)
            {
                return ClassifierCommands.TrainAsync(
                    [.. histories.Select(h => h.FullName)], parse.GetValue(model)!.FullName, parse.GetValue(kind) == "bayes", context.Out, context.Error, ct);
            }

            if (parse.GetValue(evaluate) is { } evaluation)
            {
                return ClassifierCommands.EvaluateAsync(evaluation.FullName, parse.GetValue(model)?.FullName, context.Out, context.Error, ct);
            }

            return RunAsync(context, parse.GetValue(input), parse.GetValue(model), parse.GetValue(verbose), ct);
        });
        return command;
    }

    /// <summary>Classifies the lines of a file, or of standard input.</summary>
    /// <param name="context">The console.</param>
    /// <param name="input">The file, or <see langword="null"/> for standard input.</param>
    /// <param name="model">
    /// A trained model file, or <see langword="null"/>: with a model the texts are classified by the lexicon rules combined with
    /// that model (<see cref="ClassifierCommands.LoadClassifier"/>); without one by the SDK's default classifier (the rules
    /// stacked with the model shipped with the SDK).
    /// </param>
    /// <param name="verbose">Whether the SDK logs to standard error.</param>
    /// <param name="cancellationToken">A token to cancel the run.</param>
    /// <returns>0, 2 when bad lines were skipped, 1 when a file cannot be read.</returns>
    public static async Task<int> RunAsync(ConsoleContext context, FileInfo? input, FileInfo? model, bool verbose, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        IAppealClassifier? classifier = null;
        if (model is not null)
        {
            try
            {
                classifier = ClassifierCommands.LoadClassifier(model.FullName);
            }
            catch (Exception ex) when (ex is IOException or InvalidDataException or UnauthorizedAccessException or ArgumentException)
            {
                await context.Error.WriteLineAsync($"error: cannot load the model '{model.FullName}': {ex.Message}").ConfigureAwait(false);
                return ExitCodes.Error;
            }
        }

        if (input is null)
        {
            return await ClassifyAsync(context, context.In, "stdin", classifier, verbose, cancellationToken).ConfigureAwait(false);
        }

        StreamReader reader;
        try
        {
            reader = new StreamReader(input.FullName, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            await context.Error.WriteLineAsync($"error: cannot read '{input.FullName}': {ex.Message}").ConfigureAwait(false);
            return ExitCodes.Error;
        }

        using (reader)
        {
            return await ClassifyAsync(context, reader, input.Name, classifier, verbose, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Writes one output line: exactly the keys id, topic, urgent, outOfScope, confidence (rounded to 3 decimals), department and
    /// terms (the distinct matched terms, in match order), in this order.
    /// </summary>
    /// <param name="id">The caller's id.</param>
    /// <param name="classification">The classification.</param>
    /// <param name="department">The unit the router chooses, or <c>none</c> for a rejected (out-of-scope) text.</param>
    /// <returns>The JSON line, without a line break.</returns>
    public static string FormatLine(string id, AppealClassification classification, string department)
    {
        ArgumentNullException.ThrowIfNull(classification);
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteString("id", id);
            writer.WriteString("topic", classification.Topic.Value);
            writer.WriteBoolean("urgent", classification.IsUrgent);
            writer.WriteBoolean("outOfScope", classification.IsOutOfScope);
            writer.WritePropertyName("confidence");
            writer.WriteRawValue(Math.Round(classification.Confidence, 3).ToString("0.0##", CultureInfo.InvariantCulture));
            writer.WriteString("department", department);
            writer.WriteStartArray("terms");

            // A term that voted for two targets (a topic and urgency) is listed once.
            foreach (var term in classification.Terms.Select(t => t.Term).Distinct(StringComparer.Ordinal))
            {
                writer.WriteStringValue(term);
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static async Task<int> ClassifyAsync(
        ConsoleContext context, TextReader reader, string name, IAppealClassifier? classifier, bool verbose, CancellationToken cancellationToken)
    {
        await using var runtime = McuRuntime.Create(
            new SimulatedClock(Simulation.SimulationOptions.DefaultStart),
            verbose,
            classifier is null ? null : mcu => mcu.UseClassifier(_ => classifier));
        int lineNumber = 0, skipped = 0;
        while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            if (!TryParse(line, out var id, out var text, out var error))
            {
                skipped++;
                await context.Error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{name}:{lineNumber}: skipped: {error}")).ConfigureAwait(false);
                continue;
            }

            var classification = await runtime.Classifier.ClassifyAsync(text!, cancellationToken).ConfigureAwait(false);
            var decision = await runtime.Router.RouteAsync(BuildAppeal(id!, text!, classification, runtime.Clock.GetUtcNow()), cancellationToken).ConfigureAwait(false);
            var department = decision.Reject ? "none" : decision.UnitId ?? "none";
            await context.Out.WriteLineAsync(FormatLine(id!, classification, department)).ConfigureAwait(false);
        }

        await context.Out.FlushAsync(cancellationToken).ConfigureAwait(false);
        return skipped > 0 ? ExitCodes.SkippedInput : ExitCodes.Success;
    }

    private static bool TryParse(string line, out string? id, out string? text, out string? error)
    {
        (id, text, error) = (null, null, null);
        ClassifyLine? parsed;
        try
        {
            parsed = JsonSerializer.Deserialize(line, InputJsonContext.Default.ClassifyLine);
        }
        catch (JsonException ex)
        {
            error = "not a valid JSON object: " + ex.Message;
            return false;
        }

        if (parsed is null)
        {
            error = "expected a JSON object, got null";
        }
        else if (string.IsNullOrWhiteSpace(parsed.Id))
        {
            error = "missing field 'id'";
        }
        else if (parsed.Text is null)
        {
            error = "missing field 'text'";
        }
        else
        {
            (id, text) = (parsed.Id, parsed.Text);
        }

        return error is null;
    }

    /// <summary>Builds the appeal the router sees for a bare text: the same shape the desk builds for a new message.</summary>
    private static Appeal BuildAppeal(string id, string text, AppealClassification classification, DateTimeOffset now) => new()
    {
        Id = Guid.Empty,
        Channel = ChannelId.Loopback,
        ExternalId = id,
        ConversationKey = id,
        ReplyAddress = new ReplyAddress(ChannelId.Loopback, id),
        Author = new Author("classify"),
        Text = text,
        ReceivedAt = now,
        Messages = [new AppealMessage(id, text, now)],
        Classification = classification,
        Priority = classification.IsUrgent ? AppealPriority.Urgent : AppealPriority.Normal,
    };
}
