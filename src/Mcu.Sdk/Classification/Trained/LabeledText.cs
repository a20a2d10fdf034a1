namespace Mcu.Sdk.Classification;

/// <summary>
/// A text with the topic and subtopic a person gave it: one training example of <see cref="NaiveBayesModel"/>, such as an
/// appeal from a city's own history with the topic its operator chose.
/// </summary>
/// <param name="Text">The appeal's text.</param>
/// <param name="Topic">The topic; <c>other</c> for thanks, greetings, unclear and out-of-scope texts.</param>
/// <param name="Subtopic">The subtopic code within <paramref name="Topic"/>, such as <c>potholes</c>; or <see langword="null"/>.</param>
public sealed record LabeledText(string Text, TopicCode Topic, string? Subtopic);
