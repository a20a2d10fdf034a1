using Mcu.Sdk.Classification;
using Mcu.Sdk.Internal;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Mcu.Sdk;

/// <summary>Registers the classifier trained on a city's own history.</summary>
public static class TrainedClassifierMcuBuilderExtensions
{
    /// <summary>
    /// Uses a <see cref="NaiveBayesModel"/> file as the classifier, instead of the default lexicon classifier: combined with
    /// the lexicon rules in an <see cref="EnsembleClassifier"/> (the default), or alone in a <see cref="TrainedClassifier"/>.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <param name="modelPath">The path of the model file written by <see cref="NaiveBayesModel.Save"/>; a relative path is resolved against the current directory now.</param>
    /// <param name="ensemble">
    /// <see langword="true"/> to combine the model with the lexicon classifier (configured by
    /// <see cref="McuBuilderExtensions.ConfigureClassifier"/>), which alone decides urgency and scope;
    /// <see langword="false"/> to use the model alone, which never flags an appeal urgent or out of scope.
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
            var model = new TrainedClassifier(NaiveBayesModel.LoadFile(fullPath));
            if (!ensemble)
            {
                return model;
            }

            var options = services.GetService<IOptions<LexiconClassifierOptions>>()?.Value ?? new LexiconClassifierOptions();
            return new EnsembleClassifier(new LexiconClassifier(options), model);
        });
    }
}
