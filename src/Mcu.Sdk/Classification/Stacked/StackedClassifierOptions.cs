using System.Globalization;

namespace Mcu.Sdk.Classification;

/// <summary>Options of <see cref="StackedClassifier"/>.</summary>
/// <remarks>A plain object; the classifier copies and checks the values.</remarks>
public sealed class StackedClassifierOptions
{
    /// <summary>
    /// Gets or sets the probability of the best topic below which the classifier abstains (topic <c>other</c> with a reason
    /// that starts with <c>abstained</c>), so that a specialist routes the appeal by hand.
    /// </summary>
    /// <value>From 0 to 1. The default value is 0.65.</value>
    public double MinConfidence { get; set; } = 0.65;

    /// <summary>
    /// Gets or sets the probability of urgency from which an appeal is urgent. Lower values miss fewer dangers and flag more
    /// appeals that are not urgent; <c>docs/classifier.md</c> gives the trade-off measured on the project's data.
    /// </summary>
    /// <value>From 0 to 1. The default value is 0.15.</value>
    public double UrgentThreshold { get; set; } = 0.15;

    /// <summary>Gets or sets the probability of being out of scope from which an appeal is out of scope.</summary>
    /// <value>From 0 to 1. The default value is 0.5.</value>
    public double OutOfScopeThreshold { get; set; } = 0.5;

    /// <summary>Gets or sets how many of the model's features that weighed most are listed among the matched terms.</summary>
    /// <value>From 0 to <see cref="NaiveBayesModel.MaxContributions"/>. The default value is 5.</value>
    public int MaxModelTerms { get; set; } = 5;

    /// <summary>Returns a copy of the options.</summary>
    /// <returns>The copy.</returns>
    public StackedClassifierOptions Clone() => (StackedClassifierOptions)MemberwiseClone();

    /// <summary>Checks the values.</summary>
    /// <param name="parameterName">The name of the parameter the options came in, for the exception.</param>
    /// <exception cref="ArgumentException">A value is out of its range.</exception>
    internal void Validate(string parameterName)
    {
        Check(MinConfidence is >= 0 and <= 1, nameof(MinConfidence), MinConfidence, "from 0 to 1");
        Check(UrgentThreshold is >= 0 and <= 1, nameof(UrgentThreshold), UrgentThreshold, "from 0 to 1");
        Check(OutOfScopeThreshold is >= 0 and <= 1, nameof(OutOfScopeThreshold), OutOfScopeThreshold, "from 0 to 1");
        Check(MaxModelTerms is >= 0 and <= NaiveBayesModel.MaxContributions, nameof(MaxModelTerms), MaxModelTerms, "from 0 to 100");

        void Check(bool valid, string name, object value, string range)
        {
            if (!valid)
            {
                throw new ArgumentException(
                    string.Create(CultureInfo.InvariantCulture, $"{nameof(StackedClassifierOptions)}.{name} is {value}; it must be {range}."),
                    parameterName);
            }
        }
    }
}
