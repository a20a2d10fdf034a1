using System.Buffers.Binary;
using System.Text;

namespace Mcu.Sdk.Classification;

/// <summary>
/// The frame of the SDK's model files: 8 magic bytes, the format version (int32), the payload's length (int64), the
/// payload, and the 64-bit FNV-1a hash of the payload, all little-endian.
/// </summary>
/// <remarks>
/// The line break at the end of each magic catches a file that went through a text-mode transfer; the length and the hash
/// catch a truncated or damaged one. The payload is written and read with <see cref="BinaryWriter"/>/<see cref="BinaryReader"/>
/// in UTF-8.
/// </remarks>
internal static class ModelFile
{
    private const int HeaderLength = 20;

    /// <summary>Writes a framed payload to a stream, which is left open.</summary>
    /// <param name="stream">A writable stream.</param>
    /// <param name="magic">The 8 magic bytes of the file kind.</param>
    /// <param name="version">The format version of the payload.</param>
    /// <param name="writePayload">Writes the payload.</param>
    public static void Write(Stream stream, ReadOnlySpan<byte> magic, int version, Action<BinaryWriter> writePayload)
    {
        if (!stream.CanWrite)
        {
            throw new ArgumentException("The stream is not writable.", nameof(stream));
        }

        using var payload = new MemoryStream();
        using (var writer = new BinaryWriter(payload, Encoding.UTF8, leaveOpen: true))
        {
            writePayload(writer);
        }

        var bytes = payload.GetBuffer().AsSpan(0, (int)payload.Length);
        Span<byte> header = stackalloc byte[HeaderLength];
        magic.CopyTo(header);
        BinaryPrimitives.WriteInt32LittleEndian(header[8..], version);
        BinaryPrimitives.WriteInt64LittleEndian(header[12..], bytes.Length);
        Span<byte> hash = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(hash, Fnv1a(bytes));
        stream.Write(header);
        stream.Write(bytes);
        stream.Write(hash);
    }

    /// <summary>Reads a framed payload from a stream, which is left open, and parses it.</summary>
    /// <typeparam name="T">What the payload holds.</typeparam>
    /// <param name="stream">A readable stream positioned at the start of the file.</param>
    /// <param name="magic">The 8 magic bytes of the file kind.</param>
    /// <param name="kind">The kind of file, for messages (<c>Naive Bayes model</c>).</param>
    /// <param name="newestVersion">The newest format version this code reads.</param>
    /// <param name="readPayload">Parses the payload of the given version.</param>
    /// <returns>What <paramref name="readPayload"/> returned.</returns>
    /// <exception cref="InvalidDataException">The stream is not such a file, is of a newer version, truncated or damaged.</exception>
    public static T Read<T>(Stream stream, ReadOnlySpan<byte> magic, string kind, int newestVersion, Func<BinaryReader, int, T> readPayload)
    {
        if (!stream.CanRead)
        {
            throw new ArgumentException("The stream is not readable.", nameof(stream));
        }

        Span<byte> header = stackalloc byte[HeaderLength];
        var read = ReadUpTo(stream, header);
        if (read == 0)
        {
            throw new InvalidDataException($"The stream is empty: it is not a {kind} file.");
        }

        if (read < magic.Length || !header[..magic.Length].SequenceEqual(magic))
        {
            var printable = Encoding.ASCII.GetString(magic).Replace("\r", "\\r", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);
            throw new InvalidDataException($"The stream is not a {kind} file of Mcu.Sdk: it does not start with the magic bytes '{printable}'.");
        }

        if (read < HeaderLength)
        {
            throw new InvalidDataException($"The model file is truncated: its header has {read} of {HeaderLength} bytes.");
        }

        var version = BinaryPrimitives.ReadInt32LittleEndian(header[8..]);
        if (version > newestVersion)
        {
            throw new InvalidDataException(
                $"The model file has format version {version}, newer than version {newestVersion} that this version of Mcu.Sdk reads. Update Mcu.Sdk or retrain the model with this version.");
        }

        if (version < 1)
        {
            throw new InvalidDataException($"The model file is damaged: its format version is {version}.");
        }

        var length = BinaryPrimitives.ReadInt64LittleEndian(header[12..]);
        if (length is < 0 or > int.MaxValue - 64)
        {
            throw new InvalidDataException($"The model file is damaged: its header announces {length} bytes of data.");
        }

        var payload = new byte[(int)length];
        var payloadRead = ReadUpTo(stream, payload);
        if (payloadRead < payload.Length)
        {
            throw new InvalidDataException(
                $"The model file is truncated: its header announces {payload.Length} bytes of data, but only {payloadRead} follow.");
        }

        Span<byte> hash = stackalloc byte[8];
        if (ReadUpTo(stream, hash) < hash.Length)
        {
            throw new InvalidDataException("The model file is truncated: the checksum after its data is missing.");
        }

        if (BinaryPrimitives.ReadUInt64LittleEndian(hash) != Fnv1a(payload))
        {
            throw new InvalidDataException("The model file is damaged: the checksum of its data does not match.");
        }

        try
        {
            using var reader = new BinaryReader(new MemoryStream(payload, writable: false), Encoding.UTF8, leaveOpen: false);
            var result = readPayload(reader, version);
            if (reader.BaseStream.Position != payload.Length)
            {
                throw new InvalidDataException($"The model file is damaged: {payload.Length - reader.BaseStream.Position} bytes of data are left over.");
            }

            return result;
        }
        catch (Exception ex) when (ex is EndOfStreamException or DecoderFallbackException or FormatException or ArgumentException or OverflowException or IndexOutOfRangeException)
        {
            throw new InvalidDataException($"The model file is damaged: {ex.Message}", ex);
        }
    }

    /// <summary>Opens a model file and reads it with <paramref name="load"/>, naming the file in every error.</summary>
    /// <typeparam name="T">The model type.</typeparam>
    /// <param name="path">The file's path.</param>
    /// <param name="kind">The kind of file, for messages.</param>
    /// <param name="load">Reads the model from the open stream.</param>
    /// <returns>The model.</returns>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is not a model, is of a newer format, truncated or damaged.</exception>
    public static T LoadFile<T>(string path, string kind, Func<Stream, T> load)
    {
        var fullPath = Path.GetFullPath(path);
        if (!File.Exists(fullPath))
        {
            throw new FileNotFoundException($"The {kind} file '{fullPath}' does not exist.", fullPath);
        }

        using var stream = new FileStream(fullPath, FileMode.Open, FileAccess.Read, FileShare.Read);
        try
        {
            return load(stream);
        }
        catch (InvalidDataException ex)
        {
            throw new InvalidDataException($"Cannot load the {kind} '{fullPath}': {ex.Message}", ex);
        }
    }

    /// <summary>Writes a model to a file through a temporary file beside it, so a failed write never leaves half a model.</summary>
    /// <param name="path">The file's path; the file is replaced.</param>
    /// <param name="save">Writes the model to the open stream.</param>
    public static void SaveFile(string path, Action<Stream> save)
    {
        var fullPath = Path.GetFullPath(path);
        var temporary = fullPath + ".tmp";
        using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            save(stream);
        }

        File.Move(temporary, fullPath, overwrite: true);
    }

    /// <summary>Reads the magic bytes at the start of a file, to tell the kind of model it holds.</summary>
    /// <param name="path">The file's path.</param>
    /// <param name="magic">Receives up to 8 bytes.</param>
    /// <returns>The number of bytes read.</returns>
    public static int PeekMagic(string path, Span<byte> magic)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        return ReadUpTo(stream, magic);
    }

    private static int ReadUpTo(Stream stream, Span<byte> buffer)
    {
        var total = 0;
        while (total < buffer.Length)
        {
            var read = stream.Read(buffer[total..]);
            if (read == 0)
            {
                break;
            }

            total += read;
        }

        return total;
    }

    private static ulong Fnv1a(ReadOnlySpan<byte> data)
    {
        var hash = 14695981039346656037UL;
        foreach (var b in data)
        {
            hash = unchecked((hash ^ b) * 1099511628211UL);
        }

        return hash;
    }
}
