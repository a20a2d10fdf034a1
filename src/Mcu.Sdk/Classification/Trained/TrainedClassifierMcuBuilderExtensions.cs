using Mcu.Sdk.Classification;
using Mcu.Sdk.Internal;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Mcu.Sdk;

/// <summary>Registers the classifier trained on a city's own history.</summary>
public static class TrainedClassifierMcuBuilderExtensions
{
    /// <summary>
    /// Uses a model trained on the city's own history instead of the model shipped with the SDK. A <see cref="LogisticModel"/>
    /// file is stacked on the lexicon rules in a <see cref="StackedClassifier"/> (configured by
    /// <see cref="McuBuilderExtensions.ConfigureClassifierModel"/>); a <see cref="NaiveBayesModel"/> file is combined with the
    /// rules in an <see cref="EnsembleClassifier"/> (the default), or used alone in a <see cref="TrainedClassifier"/>. The kind
    /// of model is read from the file.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <param name="modelPath">The path of the model file written by <see cref="LogisticModel.Save"/> or <see cref="NaiveBayesModel.Save"/>; a relative path is resolved against the current directory now.</param>
    /// <param name="ensemble">
    /// For a Naive Bayes model: <see langword="true"/> to combine the model with the lexicon classifier (configured by
    /// <see cref="McuBuilderExtensions.ConfigureClassifier"/>), which alone decides urgency and scope; <see langword="false"/>
    /// to use the model alone, which never flags an appeal urgent or out of scope. A logistic model is always stacked on the rules.
    /// </param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="modelPath"/> is <see langword="null"/>, empty or white space.</exception>
    /// <remarks>
    /// The model file is read once, when the classifier is first resolved. A missing file throws a
    /// <see cref="FileNotFoundException"/>, and a damaged one an <see cref="InvalidDataException"/>, whose message names the file.
    /// </remarks>
    public static IMcuBuilder UseTrainedClassifier(this IMcuBuilder builder, string modelPath, bool ensemble = true)
    {
        Throw.IfNull(builder);
        Throw.IfNullOrWhiteSpace(modelPath);
        var fullPath = Path.GetFullPath(modelPath);
        return builder.UseClassifier(services =>
        {
            var options = services.GetService<IOptions<LexiconClassifierOptions>>()?.Value ?? new LexiconClassifierOptions();
            if (File.Exists(fullPath) && LogisticModel.IsModelFile(fullPath))
            {
                var stacked = services.GetService<IOptions<StackedClassifierOptions>>()?.Value;
                return new StackedClassifier(new LexiconClassifier(options), LogisticModel.LoadFile(fullPath), stacked);
            }

            var model = new TrainedClassifier(NaiveBayesModel.LoadFile(fullPath));
            return ensemble ? new EnsembleClassifier(new LexiconClassifier(options), model) : model;
        });
    }
}
