using System.Globalization;

namespace Mcu.Sdk.Classification;

/// <summary>
/// Options of <see cref="NaiveBayesModel.Train(IEnumerable{LabeledText}, NaiveBayesOptions?)"/>. They are stored in the
/// model file, so a loaded model predicts exactly as the trained one did.
/// </summary>
/// <remarks>A plain object; <see cref="NaiveBayesModel.Train(IEnumerable{LabeledText}, NaiveBayesOptions?)"/> copies and checks the values.</remarks>
public sealed class NaiveBayesOptions
{
    /// <summary>
    /// Gets or sets the Lidstone smoothing constant added to every feature count (1 is Laplace smoothing). Smaller values
    /// trust the counts of a small history more.
    /// </summary>
    /// <value>From 0.001 to 10. The default value is 0.1.</value>
    public double Smoothing { get; set; } = 0.1;

    /// <summary>Gets or sets a value indicating whether pairs of adjacent stems (<c>не работа</c>, <c>открыт люк</c>) are features besides the stems.</summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool UseBigrams { get; set; } = true;

    /// <summary>
    /// Gets or sets a value indicating whether a feature counts once per text however often it occurs (binarized multinomial
    /// Naive Bayes, usually better for short texts).
    /// </summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool BinaryFeatures { get; set; } = true;

    /// <summary>
    /// Gets or sets a value indicating whether the topics' shares of the training examples are the prior probabilities;
    /// when <see langword="false"/>, every topic is equally likely before the text is read.
    /// </summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool UseClassPriors { get; set; } = true;

    /// <summary>
    /// Gets or sets how many times a feature must occur in the training examples to be used. All counts are kept in the
    /// model (so <see cref="NaiveBayesModel.WithExamples"/> stays exact); rarer features are ignored when predicting.
    /// </summary>
    /// <value>From 1 to 1,000. The default value is 1.</value>
    public int MinFeatureCount { get; set; } = 1;

    /// <summary>
    /// Gets or sets the temperature that divides the log-scores before they become probabilities. Naive Bayes assumes the
    /// words of a text independent, which makes its raw probabilities close to 0 or 1; a temperature above 1 spreads them
    /// so that they can be compared with a confidence threshold.
    /// </summary>
    /// <value>From 1 to 100. The default value is 4.</value>
    public double Temperature { get; set; } = 4;

    /// <summary>Returns a copy of the options.</summary>
    /// <returns>The copy.</returns>
    public NaiveBayesOptions Clone() => new()
    {
        Smoothing = Smoothing,
        UseBigrams = UseBigrams,
        BinaryFeatures = BinaryFeatures,
        UseClassPriors = UseClassPriors,
        MinFeatureCount = MinFeatureCount,
        Temperature = Temperature,
    };

    /// <summary>Throws when an option is out of its range.</summary>
    /// <param name="parameterName">The name of the parameter that carried the options.</param>
    internal void Validate(string parameterName)
    {
        Check(double.IsFinite(Smoothing) && Smoothing is >= 0.001 and <= 10, nameof(Smoothing), Smoothing, "from 0.001 to 10");
        Check(MinFeatureCount is >= 1 and <= 1000, nameof(MinFeatureCount), MinFeatureCount, "from 1 to 1,000");
        Check(double.IsFinite(Temperature) && Temperature is >= 1 and <= 100, nameof(Temperature), Temperature, "from 1 to 100");

        void Check(bool valid, string name, object value, string range)
        {
            if (!valid)
            {
                throw new ArgumentException(
                    string.Create(CultureInfo.InvariantCulture, $"NaiveBayesOptions.{name} is {value}; it must be {range}."), parameterName);
            }
        }
    }
}
