using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Mcu.Sdk.Storage.Sqlite.CrashHost;

/// <summary>One line of the workload: a citizen's message or a unit's answer to the appeal of an earlier message.</summary>
/// <param name="Kind"><c>message</c> or <c>answer</c>.</param>
/// <param name="Channel">The channel id.</param>
/// <param name="Id">The message id (for a message) or the id of the answered message (for an answer).</param>
/// <param name="Conversation">The conversation key of a message.</param>
/// <param name="Text">The text.</param>
/// <param name="Token">A token unique to an answer, written into its text: it makes a replayed answer recognisable.</param>
/// <param name="Final">Whether an answer is final.</param>
public sealed record WorkItem(string Kind, string Channel, string Id, string? Conversation, string Text, string? Token = null, bool Final = false);

/// <summary>The workload file (JSONL) of the crash test.</summary>
public static class Workload
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

    /// <summary>Writes a workload: messages on two channels, some follow-ups in the same conversation, and answers.</summary>
    /// <param name="path">The file.</param>
    /// <param name="messages">How many messages.</param>
    /// <returns>The items written.</returns>
    public static IReadOnlyList<WorkItem> Write(string path, int messages)
    {
        var items = new List<WorkItem>(messages * 2);
        var answers = new Queue<WorkItem>();
        for (var i = 0; i < messages; i++)
        {
            var channel = i % 2 == 0 ? "vk" : "telegram";
            var conversation = string.Create(CultureInfo.InvariantCulture, $"{channel}-conversation-{i / 4}");
            var id = string.Create(CultureInfo.InvariantCulture, $"{channel}-message-{i}");
            var text = string.Format(CultureInfo.InvariantCulture, Problems[i % Problems.Length], 1 + (i % 97));
            items.Add(new WorkItem("message", channel, id, conversation, text));

            // Four messages share a conversation (two per channel): the first of each channel opens an appeal and gets an
            // answer (interim or final), the second joins it as a follow-up.
            if (i % 4 is 0 or 1)
            {
                var final = i % 8 is 0 or 1;
                var body = final
                    ? "Работы выполнены: неисправность устранена, место проверено мастером участка. Благодарим за внимательность и просим сообщать о подобных случаях в дальнейшем."
                    : "Заявка передана бригаде, выезд запланирован в течение рабочего дня. Мы сообщим о результате отдельно, как только работы будут завершены.";
                answers.Enqueue(new WorkItem("answer", channel, id, null, body, string.Create(CultureInfo.InvariantCulture, $"[ответ-{i}]"), final));
            }

            // Answers trail their messages by a few dozen lines, so their appeals exist when they are processed.
            if (answers.Count > 6)
            {
                items.Add(answers.Dequeue());
            }
        }

        items.AddRange(answers);
        using var writer = new StreamWriter(path, append: false, new UTF8Encoding(false));
        foreach (var item in items)
        {
            writer.Write(JsonSerializer.Serialize(item, CrashJsonContext.Default.WorkItem));
            writer.Write('\n');
        }

        return items;
    }

    /// <summary>Reads a workload.</summary>
    /// <param name="path">The file.</param>
    /// <returns>The items, in order.</returns>
    public static IReadOnlyList<WorkItem> Read(string path) =>
        File.ReadLines(path)
            .Where(l => l.Length > 0)
            .Select(l => JsonSerializer.Deserialize(l, CrashJsonContext.Default.WorkItem) ?? throw new InvalidDataException("A null workload line."))
            .ToArray();
}

/// <summary>An append-only journal of tab-separated lines, each synced to the disk before <see cref="Append"/> returns.</summary>
public sealed class Journal : IDisposable
{
    private readonly FileStream _stream;
    private readonly Lock _gate = new();

    /// <summary>Initializes a new instance of the <see cref="Journal"/> class.</summary>
    /// <param name="path">The file.</param>
    public Journal(string path)
    {
        _stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read);
        DropTornTail(_stream);
        _stream.Seek(0, SeekOrigin.End);
    }

    // A kill during Append can leave a line without its newline. That line was never acknowledged (Append did not
    // return), so it is cut off before appending; otherwise the next line would be glued to it and read as garbage.
    private static void DropTornTail(FileStream stream)
    {
        var length = stream.Length;
        var position = length;
        var buffer = new byte[1];
        while (position > 0)
        {
            stream.Seek(position - 1, SeekOrigin.Begin);
            if (stream.Read(buffer, 0, 1) == 1 && buffer[0] == (byte)'\n')
            {
                break;
            }

            position--;
        }

        if (position != length)
        {
            stream.SetLength(position);
            stream.Flush(flushToDisk: true);
        }
    }

    /// <summary>Appends a line and syncs it.</summary>
    /// <param name="fields">The fields.</param>
    public void Append(params string[] fields)
    {
        var bytes = Encoding.UTF8.GetBytes(string.Join('\t', fields) + "\n");
        lock (_gate)
        {
            _stream.Write(bytes);
            _stream.Flush(flushToDisk: true);
        }
    }

    /// <summary>Reads the complete lines of a journal; a line torn by a kill (no newline yet) is ignored.</summary>
    /// <param name="path">The file.</param>
    /// <returns>The lines, split into fields.</returns>
    public static IReadOnlyList<string[]> Read(string path)
    {
        if (!File.Exists(path))
        {
            return [];
        }

        var text = File.ReadAllText(path, Encoding.UTF8);
        var end = text.LastIndexOf('\n');
        return end < 0 ? [] : text[..end].Split('\n').Where(l => l.Length > 0).Select(l => l.Split('\t')).ToArray();
    }

    /// <inheritdoc/>
    public void Dispose() => _stream.Dispose();
}

/// <summary>The JSON of the workload.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(WorkItem))]
internal sealed partial class CrashJsonContext : JsonSerializerContext;
