namespace Mcu.Samples.Console.Simulation;

/// <summary>One synthetic citizen's appeal produced by <see cref="AppealTextGenerator"/>, with its ground-truth labels.</summary>
/// <param name="Text">The appeal text as a citizen would write it (Russian, with greetings, typos, emoji and so on).</param>
/// <param name="Topic">The topic code of the taxonomy (one of <see cref="AppealTextGenerator.Topics"/>).</param>
/// <param name="Subtopic">The subtopic code, or <see langword="null"/> for the topic <c>other</c>.</param>
/// <param name="Urgent">Whether the appeal reports a danger that needs an immediate reaction.</param>
/// <param name="OutOfScope">Whether the request is not the administration's business (its topic is then <c>other</c>).</param>
/// <param name="AuthorName">The fictional author's display name, for example <c>Ольга К.</c>.</param>
/// <param name="District">The city district of the address, for example <c>Карасунский</c>.</param>
/// <param name="Street">The street of the address, for example <c>ул. Красная</c>.</param>
/// <param name="House">The house number of the address, for example <c>15/1</c>.</param>
internal sealed record GeneratedAppeal(
    string Text,
    string Topic,
    string? Subtopic,
    bool Urgent,
    bool OutOfScope,
    string AuthorName,
    string District,
    string Street,
    string House);
