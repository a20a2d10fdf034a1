using System.Text;

namespace Mcu.Samples.Console.Hosting;

/// <summary>
/// An append-only file of lines, each synced to the disk before <see cref="Append"/> returns: what it holds survives a
/// crash of the process or of the machine. A line torn by a crash (written without its newline) is cut off when the file is
/// opened again and ignored when it is read.
/// </summary>
/// <remarks>Thread-safe.</remarks>
internal sealed class SyncedJournal : IDisposable
{
    private readonly FileStream _stream;
    private readonly Lock _gate = new();

    /// <summary>Initializes a new instance of the <see cref="SyncedJournal"/> class: opens or creates the file for appending.</summary>
    /// <param name="path">The file.</param>
    /// <exception cref="IOException">The file cannot be opened.</exception>
    /// <exception cref="UnauthorizedAccessException">The file cannot be written.</exception>
    public SyncedJournal(string path)
    {
        _stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read);
        try
        {
            DropTornTail(_stream);
            _stream.Seek(0, SeekOrigin.End);
        }
        catch
        {
            _stream.Dispose();
            throw;
        }
    }

    /// <summary>Appends a line and syncs it to the disk.</summary>
    /// <param name="line">The line, without a newline.</param>
    /// <exception cref="ArgumentException">The line holds a newline.</exception>
    public void Append(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        if (line.Contains('\n', StringComparison.Ordinal))
        {
            throw new ArgumentException("A journal line cannot hold a newline.", nameof(line));
        }

        var bytes = Encoding.UTF8.GetBytes(line + "\n");
        lock (_gate)
        {
            _stream.Write(bytes);
            _stream.Flush(flushToDisk: true);
        }
    }

    /// <summary>Reads the complete lines of a journal; a line torn by a crash (no newline yet) is ignored.</summary>
    /// <param name="path">The file; a missing file has no lines.</param>
    /// <returns>The non-empty lines, in order, each with its line number (from 1).</returns>
    public static IReadOnlyList<(int Number, string Text)> Read(string path)
    {
        if (!File.Exists(path))
        {
            return [];
        }

        string text;
        using (var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite))
        using (var reader = new StreamReader(stream, Encoding.UTF8))
        {
            text = reader.ReadToEnd();
        }

        var end = text.LastIndexOf('\n');
        if (end < 0)
        {
            return [];
        }

        var lines = text[..end].Split('\n');
        var result = new List<(int, string)>(lines.Length);
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].TrimEnd('\r');
            if (line.Length > 0)
            {
                result.Add((i + 1, line));
            }
        }

        return result;
    }

    /// <inheritdoc/>
    public void Dispose() => _stream.Dispose();

    // A crash during Append can leave a line without its newline. That line was never acknowledged (Append did not return),
    // so it is cut off before appending; otherwise the next line would be glued to it.
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
}
