using System.Globalization;

namespace Mcu.Sdk.Classification;

/// <summary>
/// Options of <see cref="LogisticModel.Train(IEnumerable{LabeledAppeal}, LexiconClassifier, LogisticModelOptions?)"/>. The
/// feature options are stored in the model file, so a loaded model reads texts exactly as the trained one did.
/// </summary>
/// <remarks>A plain object; training copies and checks the values.</remarks>
public sealed class LogisticModelOptions
{
    /// <summary>Gets or sets how many passes over the examples the training makes.</summary>
    /// <value>From 1 to 1,000. The default value is 30.</value>
    public int Epochs { get; set; } = 30;

    /// <summary>Gets or sets the learning rate of the AdaGrad updates.</summary>
    /// <value>Above 0 and at most 10. The default value is 0.2.</value>
    public double LearningRate { get; set; } = 0.2;

    /// <summary>
    /// Gets or sets the strength of the L2 penalty on the weights: larger values keep the weights small and the model closer
    /// to the lexicon's own decision.
    /// </summary>
    /// <value>From 0 to 1. The default value is 0.00001.</value>
    public double L2 { get; set; } = 0.00001;

    /// <summary>Gets or sets how many training texts a stem or a stem pair must occur in to become a feature.</summary>
    /// <value>From 1 to 1,000. The default value is 3.</value>
    public int MinFeatureCount { get; set; } = 3;

    /// <summary>
    /// Gets or sets a value indicating whether pairs of adjacent stems are features besides the stems. The lexicon's phrases
    /// already carry most of what pairs say: on the project's data they changed accuracy by 0.2 points and doubled the model.
    /// </summary>
    /// <value>The default value is <see langword="false"/>.</value>
    public bool UseBigrams { get; set; }

    /// <summary>Gets or sets the weights below which (in absolute value) a trained weight is dropped from the model.</summary>
    /// <value>From 0 to 1. The default value is 0.05.</value>
    public double PruneBelow { get; set; } = 0.05;

    /// <summary>Gets or sets the seed of the shuffles between epochs; the same seed and examples give the same model.</summary>
    /// <value>The default value is 1.</value>
    public int Seed { get; set; } = 1;

    /// <summary>Returns a copy of the options.</summary>
    /// <returns>The copy.</returns>
    public LogisticModelOptions Clone() => (LogisticModelOptions)MemberwiseClone();

    /// <summary>Checks the values.</summary>
    /// <param name="parameterName">The name of the parameter the options came in, for the exception.</param>
    /// <exception cref="ArgumentException">A value is out of its range.</exception>
    internal void Validate(string parameterName)
    {
        Check(Epochs is >= 1 and <= 1000, nameof(Epochs), Epochs, "from 1 to 1000");
        Check(LearningRate is > 0 and <= 10, nameof(LearningRate), LearningRate, "above 0 and at most 10");
        Check(L2 is >= 0 and <= 1, nameof(L2), L2, "from 0 to 1");
        Check(MinFeatureCount is >= 1 and <= 1000, nameof(MinFeatureCount), MinFeatureCount, "from 1 to 1000");
        Check(PruneBelow is >= 0 and <= 1, nameof(PruneBelow), PruneBelow, "from 0 to 1");

        void Check(bool valid, string name, object value, string range)
        {
            if (!valid)
            {
                throw new ArgumentException(
                    string.Create(CultureInfo.InvariantCulture, $"{nameof(LogisticModelOptions)}.{name} is {value}; it must be {range}."),
                    parameterName);
            }
        }
    }
}
