using System.Globalization;

namespace Mcu.Sdk.Classification;

/// <summary>Options of <see cref="TrainedClassifier"/>.</summary>
/// <remarks>A plain object; the classifier copies and checks the values when it is created.</remarks>
public sealed class TrainedClassifierOptions
{
    /// <summary>
    /// Gets or sets the probability the model's best topic needs; below it the classifier abstains and answers <c>other</c>
    /// with a reason that starts with <c>abstained</c>.
    /// </summary>
    /// <value>From 0 to 1. The default value is 0.5.</value>
    public double MinConfidence { get; set; } = 0.5;

    /// <summary>Gets or sets how many of the features that speak most for the topic are listed in <see cref="AppealClassification.Terms"/>.</summary>
    /// <value>From 0 to 100. The default value is 5.</value>
    public int MaxTerms { get; set; } = 5;

    /// <summary>Gets or sets the number of characters read from the start of a text; the rest of a longer text is ignored.</summary>
    /// <value>From 100 to 1,000,000. The default value is 20,000.</value>
    public int MaxTextLength { get; set; } = 20_000;

    /// <summary>Throws when an option is out of its range.</summary>
    /// <param name="parameterName">The name of the parameter that carried the options.</param>
    internal void Validate(string parameterName)
    {
        if (double.IsNaN(MinConfidence) || MinConfidence < 0 || MinConfidence > 1)
        {
            throw Invalid(nameof(MinConfidence), MinConfidence, "from 0 to 1");
        }

        if (MaxTerms is < 0 or > NaiveBayesModel.MaxContributions)
        {
            throw Invalid(nameof(MaxTerms), MaxTerms, "from 0 to 100");
        }

        if (MaxTextLength is < 100 or > 1_000_000)
        {
            throw Invalid(nameof(MaxTextLength), MaxTextLength, "from 100 to 1,000,000");
        }

        ArgumentException Invalid(string name, object value, string range) =>
            new(string.Create(CultureInfo.InvariantCulture, $"TrainedClassifierOptions.{name} is {value}; it must be {range}."), parameterName);
    }
}
