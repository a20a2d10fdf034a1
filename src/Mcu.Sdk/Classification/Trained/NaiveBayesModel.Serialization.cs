using System.Text;
using Mcu.Sdk.Internal;

namespace Mcu.Sdk.Classification;

/// <content>The model file: a versioned binary format.</content>
public sealed partial class NaiveBayesModel
{
    /// <summary>The version of the model file format that <see cref="Save"/> writes and the newest that <see cref="Load"/> reads.</summary>
    public const int FormatVersion = 1;

    private const string Kind = "Naive Bayes model";

    private static ReadOnlySpan<byte> Magic => "MCUNBM\r\n"u8;

    /// <summary>Writes the model to a stream in the versioned model file format. The stream is left open.</summary>
    /// <param name="stream">A writable stream.</param>
    /// <exception cref="ArgumentNullException"><paramref name="stream"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="stream"/> is not writable.</exception>
    /// <exception cref="IOException">The stream cannot be written.</exception>
    /// <remarks>
    /// <para>Layout (little-endian): the 8 magic bytes <c>MCUNBM\r\n</c>; the format version (int32); the length of the payload
    /// in bytes (int64); the payload; the 64-bit FNV-1a hash of the payload. The line break in the magic catches a file that
    /// went through a text-mode transfer; the length and hash catch a truncated or damaged one.</para>
    /// <para>Payload of version 1 (strings are UTF-8 with a 7-bit encoded length prefix, as <see cref="BinaryWriter"/> writes
    /// them): the options (smoothing as double, bigrams, binary features and class priors as bytes, minimum feature count as
    /// int32, temperature as double); the example count; the topics (count, then code and example count each); the subtopics
    /// (count, then topic index, code and example count each); the features in ordinal order (count, then per feature its text,
    /// its per-topic counts and its per-subtopic counts, each as a count of pairs followed by class index and count pairs in
    /// ascending class order).</para>
    /// </remarks>
    public void Save(Stream stream)
    {
        Throw.IfNull(stream);
        ModelFile.Write(stream, Magic, FormatVersion, WritePayload);
    }

    /// <summary>Writes the model to a file in the versioned model file format, replacing the file if it exists.</summary>
    /// <param name="path">The file's path.</param>
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
    /// The stream is not a model file (wrong magic bytes), has a format version newer than <see cref="FormatVersion"/>, is
    /// truncated, or is damaged; the message says which.
    /// </exception>
    /// <exception cref="IOException">The stream cannot be read.</exception>
    public static NaiveBayesModel Load(Stream stream)
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
    public static NaiveBayesModel LoadFile(string path)
    {
        Throw.IfNullOrWhiteSpace(path);
        return ModelFile.LoadFile(path, Kind, Load);
    }

    private static NaiveBayesModel ReadPayload(BinaryReader reader)
    {
        var options = new NaiveBayesOptions
        {
            Smoothing = reader.ReadDouble(),
            UseBigrams = reader.ReadBoolean(),
            BinaryFeatures = reader.ReadBoolean(),
            UseClassPriors = reader.ReadBoolean(),
            MinFeatureCount = reader.ReadInt32(),
            Temperature = reader.ReadDouble(),
        };
        try
        {
            options.Validate("stream");
        }
        catch (ArgumentException ex)
        {
            throw new InvalidDataException($"The model file is damaged: {ex.Message}", ex);
        }

        var exampleCount = ReadCount(reader, "example count");
        var topicCount = ReadCount(reader, "topic count");
        if (topicCount == 0)
        {
            throw new InvalidDataException("The model file is damaged: it has no topics.");
        }

        var topics = new TopicCode[topicCount];
        var topicExamples = new int[topicCount];
        var seen = new HashSet<TopicCode>();
        for (var t = 0; t < topicCount; t++)
        {
            var code = reader.ReadString();
            if (!TopicCode.TryParse(code, out topics[t]) || !seen.Add(topics[t]))
            {
                throw new InvalidDataException($"The model file is damaged: topic #{t + 1} '{code}' is not a valid, distinct topic code.");
            }

            topicExamples[t] = ReadPositive(reader, "topic example count");
        }

        var subtopicCount = ReadCount(reader, "subtopic count");
        var subtopicTopics = new int[subtopicCount];
        var subtopicCodes = new string[subtopicCount];
        var subtopicExamples = new int[subtopicCount];
        for (var s = 0; s < subtopicCount; s++)
        {
            subtopicTopics[s] = ReadIndex(reader, topicCount, "subtopic's topic");
            subtopicCodes[s] = reader.ReadString();
            subtopicExamples[s] = ReadPositive(reader, "subtopic example count");
            if (string.IsNullOrWhiteSpace(subtopicCodes[s])
                || (s > 0 && (subtopicTopics[s] < subtopicTopics[s - 1]
                    || (subtopicTopics[s] == subtopicTopics[s - 1] && string.CompareOrdinal(subtopicCodes[s], subtopicCodes[s - 1]) <= 0))))
            {
                throw new InvalidDataException($"The model file is damaged: subtopic #{s + 1} is empty or out of order.");
            }
        }

        var featureCount = ReadCount(reader, "feature count");
        var features = new string[featureCount];
        var topicOffsets = new int[featureCount + 1];
        var subtopicOffsets = new int[featureCount + 1];
        var topicEntryClass = new List<int>();
        var topicEntryCount = new List<int>();
        var subtopicEntryClass = new List<int>();
        var subtopicEntryCount = new List<int>();
        for (var f = 0; f < featureCount; f++)
        {
            features[f] = reader.ReadString();
            if (features[f].Length == 0 || (f > 0 && string.CompareOrdinal(features[f], features[f - 1]) <= 0))
            {
                throw new InvalidDataException($"The model file is damaged: feature #{f + 1} is empty or out of order.");
            }

            ReadEntries(reader, topicCount, topicEntryClass, topicEntryCount);
            ReadEntries(reader, subtopicCount, subtopicEntryClass, subtopicEntryCount);
            topicOffsets[f + 1] = topicEntryClass.Count;
            subtopicOffsets[f + 1] = subtopicEntryClass.Count;
        }

        return new NaiveBayesModel(
            options, exampleCount, topics, topicExamples, subtopicTopics, subtopicCodes, subtopicExamples, features,
            topicOffsets, [.. topicEntryClass], [.. topicEntryCount], subtopicOffsets, [.. subtopicEntryClass], [.. subtopicEntryCount]);
    }

    private static void ReadEntries(BinaryReader reader, int classCount, List<int> classes, List<int> counts)
    {
        var entries = ReadCount(reader, "entry count");
        if (entries > classCount)
        {
            throw new InvalidDataException($"The model file is damaged: a feature has {entries} entries for {classCount} classes.");
        }

        var previous = -1;
        for (var i = 0; i < entries; i++)
        {
            var index = ReadIndex(reader, classCount, "class index");
            if (index <= previous)
            {
                throw new InvalidDataException("The model file is damaged: the class indices of a feature are out of order.");
            }

            previous = index;
            classes.Add(index);
            counts.Add(ReadPositive(reader, "feature count"));
        }
    }

    private static int ReadCount(BinaryReader reader, string what)
    {
        var value = reader.ReadInt32();
        return value >= 0 ? value : throw new InvalidDataException($"The model file is damaged: a {what} is negative ({value}).");
    }

    private static int ReadPositive(BinaryReader reader, string what)
    {
        var value = reader.ReadInt32();
        return value > 0 ? value : throw new InvalidDataException($"The model file is damaged: a {what} is not positive ({value}).");
    }

    private static int ReadIndex(BinaryReader reader, int count, string what)
    {
        var value = reader.ReadInt32();
        return value >= 0 && value < count ? value : throw new InvalidDataException($"The model file is damaged: a {what} ({value}) is out of range.");
    }

    private void WritePayload(BinaryWriter writer)
    {
        writer.Write(_options.Smoothing);
        writer.Write(_options.UseBigrams);
        writer.Write(_options.BinaryFeatures);
        writer.Write(_options.UseClassPriors);
        writer.Write(_options.MinFeatureCount);
        writer.Write(_options.Temperature);
        writer.Write(ExampleCount);
        writer.Write(_topics.Length);
        for (var t = 0; t < _topics.Length; t++)
        {
            writer.Write(_topics[t].Value);
            writer.Write(_topicExamples[t]);
        }

        writer.Write(_subtopicCodes.Length);
        for (var s = 0; s < _subtopicCodes.Length; s++)
        {
            writer.Write(_subtopicTopics[s]);
            writer.Write(_subtopicCodes[s]);
            writer.Write(_subtopicExamples[s]);
        }

        writer.Write(_features.Length);
        for (var f = 0; f < _features.Length; f++)
        {
            writer.Write(_features[f]);
            writer.Write(_topicOffsets[f + 1] - _topicOffsets[f]);
            for (var e = _topicOffsets[f]; e < _topicOffsets[f + 1]; e++)
            {
                writer.Write(_topicEntryClass[e]);
                writer.Write(_topicEntryCount[e]);
            }

            writer.Write(_subtopicOffsets[f + 1] - _subtopicOffsets[f]);
            for (var e = _subtopicOffsets[f]; e < _subtopicOffsets[f + 1]; e++)
            {
                writer.Write(_subtopicEntryClass[e]);
                writer.Write(_subtopicEntryCount[e]);
            }
        }
    }
}
