using Mcu.Sdk.Internal;

namespace Mcu.Sdk.Classification;

/// <content>The model file: a versioned binary format.</content>
public sealed partial class LogisticModel
{
    /// <summary>The version of the model file format that <see cref="Save"/> writes and the newest that <see cref="Load"/> reads.</summary>
    public const int FormatVersion = 1;

    private const string Kind = "logistic model";

    /// <summary>Gets the 8 magic bytes at the start of a model file.</summary>
    internal static ReadOnlySpan<byte> Magic => "MCULRM\r\n"u8;

    /// <summary>Writes the model to a stream in the versioned model file format. The stream is left open.</summary>
    /// <param name="stream">A writable stream.</param>
    /// <exception cref="ArgumentNullException"><paramref name="stream"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="stream"/> is not writable.</exception>
    /// <exception cref="IOException">The stream cannot be written.</exception>
    /// <remarks>
    /// <para>Layout (little-endian): the 8 magic bytes <c>MCULRM\r\n</c>; the format version (int32); the length of the payload
    /// in bytes (int64); the payload; the 64-bit FNV-1a hash of the payload.</para>
    /// <para>Payload of version 1 (strings are UTF-8 with a 7-bit encoded length prefix): the options (epochs, learning rate,
    /// L2, minimum feature count, bigrams, prune threshold, seed); the example count and the flagged example count; the
    /// classes (count, then per class its topic code, a byte telling whether a subtopic follows, and the subtopic) with their
    /// biases (float); whether urgency and scope weights follow (two bytes) with their biases (float); the features (count,
    /// then per feature its name, its class weights as a 7-bit encoded count followed by class index (a byte when there are at
    /// most 256 classes, else uint16) and weight (half precision) pairs, and its urgency and scope weights (half precision) when
    /// present). Half precision keeps three significant digits, far finer than the weights' own uncertainty, and halves the file.</para>
    /// </remarks>
    public void Save(Stream stream)
    {
        Throw.IfNull(stream);
        ModelFile.Write(stream, Magic, FormatVersion, WritePayload);
    }

    /// <summary>Writes the model to a file in the versioned model file format, replacing the file if it exists.</summary>
    /// <param name="path">The file's path; the model is written beside it first and moved in place.</param>
    /// <exception cref="ArgumentException"><paramref name="path"/> is <see langword="null"/>, empty or white space.</exception>
    /// <exception cref="IOException">The file cannot be written.</exception>
    /// <exception cref="UnauthorizedAccessException">The file cannot be written.</exception>
    public void SaveFile(string path)
    {
        Throw.IfNullOrWhiteSpace(path);
        ModelFile.SaveFile(path, Save);
    }

    /// <summary>Reads a model written by <see cref="Save"/>. The stream is left open.</summary>
    /// <param name="stream">A readable stream positioned at the start of the model.</param>
    /// <returns>The model; it predicts exactly as the saved one did.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="stream"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="stream"/> is not readable.</exception>
    /// <exception cref="InvalidDataException">
    /// The stream is not a logistic model file, has a format version newer than <see cref="FormatVersion"/>, is truncated, or
    /// is damaged; the message says which.
    /// </exception>
    /// <exception cref="IOException">The stream cannot be read.</exception>
    public static LogisticModel Load(Stream stream)
    {
        Throw.IfNull(stream);
        return ModelFile.Read(stream, Magic, Kind, FormatVersion, static (reader, _) => ReadPayload(reader));
    }

    /// <summary>Reads a model file written by <see cref="Save"/> or <see cref="SaveFile"/>.</summary>
    /// <param name="path">The file's path.</param>
    /// <returns>The model.</returns>
    /// <exception cref="ArgumentException"><paramref name="path"/> is <see langword="null"/>, empty or white space.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist; the message names it.</exception>
    /// <exception cref="InvalidDataException">The file is not a model, is of a newer format, truncated or damaged; the message names the file and says which.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static LogisticModel LoadFile(string path)
    {
        Throw.IfNullOrWhiteSpace(path);
        return ModelFile.LoadFile(path, Kind, Load);
    }

    /// <summary>Tells whether a file starts as a logistic model file does.</summary>
    /// <param name="path">The file's path.</param>
    /// <returns><see langword="true"/> when the file begins with the magic bytes of <see cref="Save"/>.</returns>
    /// <exception cref="ArgumentException"><paramref name="path"/> is <see langword="null"/>, empty or white space.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static bool IsModelFile(string path)
    {
        Throw.IfNullOrWhiteSpace(path);
        Span<byte> magic = stackalloc byte[8];
        return ModelFile.PeekMagic(path, magic) == magic.Length && magic.SequenceEqual(Magic);
    }

    private void WritePayload(BinaryWriter writer)
    {
        writer.Write(_options.Epochs);
        writer.Write(_options.LearningRate);
        writer.Write(_options.L2);
        writer.Write(_options.MinFeatureCount);
        writer.Write(_options.UseBigrams);
        writer.Write(_options.PruneBelow);
        writer.Write(_options.Seed);
        writer.Write(ExampleCount);
        writer.Write(FlaggedExampleCount);
        writer.Write(_classTopics.Length);
        for (var c = 0; c < _classTopics.Length; c++)
        {
            writer.Write(_classTopics[c].Value);
            writer.Write(_classSubtopics[c] is not null);
            if (_classSubtopics[c] is { } subtopic)
            {
                writer.Write(subtopic);
            }

            writer.Write(_classBias[c]);
        }

        writer.Write(_urgentWeights is not null);
        writer.Write(_scopeWeights is not null);
        writer.Write(_urgentBias);
        writer.Write(_scopeBias);
        writer.Write(_features.Length);
        var narrowClasses = _classTopics.Length <= byte.MaxValue + 1;
        for (var f = 0; f < _features.Length; f++)
        {
            writer.Write(_features[f]);
            var row = _weights.AsSpan(f * _classTopics.Length, _classTopics.Length);
            writer.Write7BitEncodedInt(row.Length - row.Count(0f));
            for (var c = 0; c < row.Length; c++)
            {
                if (row[c] == 0)
                {
                    continue;
                }

                if (narrowClasses)
                {
                    writer.Write((byte)c);
                }
                else
                {
                    writer.Write((ushort)c);
                }

                writer.Write((Half)row[c]);
            }

            if (_urgentWeights is not null)
            {
                writer.Write((Half)_urgentWeights[f]);
            }

            if (_scopeWeights is not null)
            {
                writer.Write((Half)_scopeWeights[f]);
            }
        }
    }

    private static LogisticModel ReadPayload(BinaryReader reader)
    {
        var options = new LogisticModelOptions
        {
            Epochs = reader.ReadInt32(),
            LearningRate = reader.ReadDouble(),
            L2 = reader.ReadDouble(),
            MinFeatureCount = reader.ReadInt32(),
            UseBigrams = reader.ReadBoolean(),
            PruneBelow = reader.ReadDouble(),
            Seed = reader.ReadInt32(),
        };
        options.Validate("stream");
        var exampleCount = NonNegative(reader.ReadInt32(), "example count");
        var flaggedCount = NonNegative(reader.ReadInt32(), "flagged example count");
        var classCount = NonNegative(reader.ReadInt32(), "class count");
        if (classCount is 0 or > ushort.MaxValue)
        {
            throw new InvalidDataException($"The model file is damaged: it announces {classCount} classes.");
        }

        var classTopics = new TopicCode[classCount];
        var classSubtopics = new string?[classCount];
        var classBias = new float[classCount];
        for (var c = 0; c < classCount; c++)
        {
            classTopics[c] = new TopicCode(reader.ReadString());
            classSubtopics[c] = reader.ReadBoolean() ? reader.ReadString() : null;
            classBias[c] = reader.ReadSingle();
        }

        var hasUrgency = reader.ReadBoolean();
        var hasScope = reader.ReadBoolean();
        var urgentBias = reader.ReadSingle();
        var scopeBias = reader.ReadSingle();
        var featureCount = NonNegative(reader.ReadInt32(), "feature count");
        var remaining = reader.BaseStream.Length - reader.BaseStream.Position;
        if (featureCount > remaining)
        {
            throw new InvalidDataException($"The model file is damaged: it announces {featureCount} features in {remaining} bytes.");
        }

        var features = new string[featureCount];
        var weights = new float[featureCount * classCount];
        var urgent = hasUrgency ? new float[featureCount] : null;
        var scope = hasScope ? new float[featureCount] : null;
        var names = new HashSet<string>(StringComparer.Ordinal);
        var narrowClasses = classCount <= byte.MaxValue + 1;
        for (var f = 0; f < featureCount; f++)
        {
            features[f] = reader.ReadString();
            if (!names.Add(features[f]))
            {
                throw new InvalidDataException($"The model file is damaged: the feature '{features[f]}' occurs twice.");
            }

            var entries = NonNegative(reader.Read7BitEncodedInt(), "entry count");
            if (entries > classCount)
            {
                throw new InvalidDataException($"The model file is damaged: the feature '{features[f]}' has {entries} weights for {classCount} classes.");
            }

            for (var e = 0; e < entries; e++)
            {
                var c = narrowClasses ? reader.ReadByte() : reader.ReadUInt16();
                if (c >= classCount)
                {
                    throw new InvalidDataException($"The model file is damaged: the feature '{features[f]}' has a weight for class {c} of {classCount}.");
                }

                weights[(f * classCount) + c] = Finite((float)reader.ReadHalf());
            }

            if (urgent is not null)
            {
                urgent[f] = Finite((float)reader.ReadHalf());
            }

            if (scope is not null)
            {
                scope[f] = Finite((float)reader.ReadHalf());
            }
        }

        return new LogisticModel(
            options, exampleCount, flaggedCount, features, classTopics, classSubtopics, classBias, weights,
            urgent, Finite(urgentBias), scope, Finite(scopeBias));

        static int NonNegative(int value, string what) =>
            value >= 0 ? value : throw new InvalidDataException($"The model file is damaged: its {what} is {value}.");

        static float Finite(float value) =>
            float.IsFinite(value) ? value : throw new InvalidDataException("The model file is damaged: a weight is not a finite number.");
    }
}
