using System.Globalization;

namespace Mcu.Sdk.Classification;

/// <summary>Options of <see cref="EnsembleClassifier"/>: when the model may decide instead of the rules.</summary>
/// <remarks>
/// A plain object; the classifier copies and checks the values when it is created. The defaults were tuned by 5-fold
/// cross-validation on the SDK's development set of appeals (never on its test set), with models trained on a history of
/// appeals plus <see cref="NaiveBayesModel.ExamplesFromLexicon"/> of the default lexicon and the default
/// <see cref="NaiveBayesOptions"/>. Breaking the rules' ties is where the model helps most (every tie of the development
/// set was broken right with any threshold up to 0.5); overruling rules that chose a topic pays off only when the rules are
/// unsure and the model is sure, so the defaults allow it rarely.
/// </remarks>
public sealed class EnsembleClassifierOptions
{
    /// <summary>
    /// Gets or sets the probability the model needs to route a text the rules abstained on, when none of the rules' terms
    /// voted for the model's topic.
    /// </summary>
    /// <value>From 0 to 1. The default value is 0.6.</value>
    public double CoverConfidence { get; set; } = 0.6;

    /// <summary>
    /// Gets or sets the probability the model needs to break a tie: to route a text the rules abstained on to a topic that
    /// some of the rules' terms voted for.
    /// </summary>
    /// <value>From 0 to 1. The default value is 0.3.</value>
    public double TieBreakConfidence { get; set; } = 0.3;

    /// <summary>
    /// Gets or sets the probability the model needs to overrule the rules when both choose a topic and the topics differ.
    /// </summary>
    /// <value>From 0 to 1. The default value is 0.8.</value>
    public double OverrideConfidence { get; set; } = 0.8;

    /// <summary>
    /// Gets or sets the rules' confidence from which they always win a disagreement: the model may overrule only a
    /// confidence below it.
    /// </summary>
    /// <value>From 0 to 1. The default value is 0.5.</value>
    public double RulesFirmConfidence { get; set; } = 0.5;

    /// <summary>Throws when an option is out of its range.</summary>
    /// <param name="parameterName">The name of the parameter that carried the options.</param>
    internal void Validate(string parameterName)
    {
        Check(CoverConfidence, nameof(CoverConfidence));
        Check(TieBreakConfidence, nameof(TieBreakConfidence));
        Check(OverrideConfidence, nameof(OverrideConfidence));
        Check(RulesFirmConfidence, nameof(RulesFirmConfidence));

        void Check(double value, string name)
        {
            if (double.IsNaN(value) || value < 0 || value > 1)
            {
                throw new ArgumentException(
                    string.Create(CultureInfo.InvariantCulture, $"EnsembleClassifierOptions.{name} is {value}; it must be from 0 to 1."), parameterName);
            }
        }
    }
}
