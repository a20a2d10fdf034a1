namespace Mcu.Samples.Console.Simulation;

// The immutable data model behind the generator: topics, subtopics, text fragments and address parts.
// All instances are built once from literals and shared read-only by every generator instance.
internal sealed partial class AppealTextGenerator
{
    /// <summary>Where a problem is located, which decides how the address is woven into the sentence.</summary>
    private enum Place
    {
        /// <summary>No address is added (the fragments name the place themselves, or it does not matter).</summary>
        None = 0,

        /// <summary>A block of flats: "в доме по адресу ...".</summary>
        Home = 1,

        /// <summary>The yard of a block: "во дворе дома ...".</summary>
        Yard = 2,

        /// <summary>A street: "на ул. ... возле дома ...".</summary>
        Street = 3,

        /// <summary>A crossing of two streets.</summary>
        Crossing = 4,

        /// <summary>A district or a neighbourhood.</summary>
        District = 5,
    }

    /// <summary>A text template with <c>{token}</c> placeholders and facts about it precomputed.</summary>
    private sealed class Fragment
    {
        private static readonly string[] PlaceTokens =
            ["{addr}", "{on}", "{st}", "{St}", "{h}", "{d}", "{n}", "{r}", "{veh", "{stop}"];

        private static readonly string[] TimeWords =
            ["уже", "год", "недел", "месяц", "лет ", "кажд", "постоянно", "до сих пор", "раз в", "всё лето", "по ночам", "по вечерам", "после "];

        private Fragment(string text)
        {
            Text = text;
            HasComma = text.Contains(',', StringComparison.Ordinal);
            HasTime = Array.Exists(TimeWords, word => text.Contains(word, StringComparison.OrdinalIgnoreCase));
            foreach (var token in PlaceTokens)
            {
                if (text.Contains(token, StringComparison.Ordinal))
                {
                    HasPlace = true;
                    break;
                }
            }
        }

        /// <summary>Gets the template text.</summary>
        public string Text { get; }

        /// <summary>Gets a value indicating whether the template already names its place.</summary>
        public bool HasPlace { get; }

        /// <summary>Gets a value indicating whether the template has several clauses (an address must not be glued to its end).</summary>
        public bool HasComma { get; }

        /// <summary>Gets a value indicating whether the template already says since when or how often ("уже год", "каждый вечер").</summary>
        public bool HasTime { get; }

        public static implicit operator Fragment(string text) => new(text);
    }

    /// <summary>A fictional city district with its prepositional form ("в Карасунском округе").</summary>
    private sealed class District(string name, string prepositional)
    {
        public string Name { get; } = name;

        public string Prepositional { get; } = prepositional;
    }

    /// <summary>A street: nominative ("Красная"), oblique ("Красной": genitive, dative and prepositional coincide) and district.</summary>
    private sealed class Street(string nominative, string oblique, District district)
    {
        public string Nominative { get; } = nominative;

        public string Oblique { get; } = oblique;

        public District District { get; } = district;

        public string FullName { get; } = "ул. " + nominative;
    }

    /// <summary>A kind of public transport with the forms the fragments need.</summary>
    private sealed class Transport(string plural, string prepositional, string genitivePlural, int maxRoute, double weight)
    {
        public string Plural { get; } = plural;

        public string Prepositional { get; } = prepositional;

        public string GenitivePlural { get; } = genitivePlural;

        public int MaxRoute { get; } = maxRoute;

        public double Weight { get; } = weight;
    }

    /// <summary>A fictional first name with its grammatical gender (first-person verbs agree with it).</summary>
    private sealed class FirstName(string value, bool female)
    {
        public string Value { get; } = value;

        public bool Female { get; } = female;
    }

    /// <summary>One subtopic of the taxonomy with the fragments its texts and answers are assembled from.</summary>
    private sealed class SubtopicSpec(string code, double weight, Place place)
    {
        public string Code { get; } = code;

        public double Weight { get; } = weight;

        public Place Place { get; } = place;

        /// <summary>Gets the responsible unit in the genitive ("департамента ..."), or <see langword="null"/> for the topic's.</summary>
        public string? Unit { get; init; }

        /// <summary>Gets the problem statements (one clause each where possible).</summary>
        public Fragment[] Problems { get; init; } = [];

        /// <summary>Gets extra details a citizen adds.</summary>
        public Fragment[] Details { get; init; } = [];

        /// <summary>Gets what the citizen asks for.</summary>
        public Fragment[] Asks { get; init; } = [];

        /// <summary>Gets the outcomes of a final answer, starting in lower case ("подача воды восстановлена").</summary>
        public Fragment[] Fixes { get; init; } = [];

        /// <summary>Gets the statements of a danger; empty when the subtopic has no urgent variant.</summary>
        public Fragment[] Urgent { get; init; } = [];

        /// <summary>Gets the relative weight of urgent appeals; scaled so that the overall urgent share is met.</summary>
        public double UrgentWeight { get; init; }

        /// <summary>Gets the emergency reactions of an interim answer to an urgent appeal.</summary>
        public Fragment[] UrgentReplies { get; init; } = [];

        /// <summary>Gets the outcomes of a final answer to an urgent appeal; <see cref="Fixes"/> when empty.</summary>
        public Fragment[] UrgentFixes { get; init; } = [];

        /// <summary>Gets a value indicating whether "for a month already" style durations fit the problem.</summary>
        public bool Lasting { get; init; } = true;

        /// <summary>Gets a value indicating whether the problem can be days old ("since yesterday evening"), not only months.</summary>
        public bool Acute { get; init; }

        /// <summary>Gets the probability that an appeal of this subtopic is urgent (set once by the catalog builder).</summary>
        public double UrgentRate { get; set; }
    }

    /// <summary>One topic of the taxonomy.</summary>
    private sealed class TopicSpec(string code, double weight, string unit)
    {
        public string Code { get; } = code;

        /// <summary>Gets the share of the topic in the overall mix, in percent.</summary>
        public double Weight { get; } = weight;

        /// <summary>Gets the default responsible unit in the genitive.</summary>
        public string Unit { get; } = unit;

        public SubtopicSpec[] Subtopics { get; init; } = [];

        /// <summary>Gets the kinds of subtopic-less texts (only for the topic <c>other</c>).</summary>
        public OtherKind[] Kinds { get; init; } = [];

        /// <summary>Gets topic-specific follow-ups of a citizen.</summary>
        public Fragment[] FollowUps { get; init; } = [];

        /// <summary>Gets a value indicating whether the problems are outdoors (children and elderly walk past them).</summary>
        public bool Outdoor { get; init; }

        /// <summary>Gets the cumulative weights of the subtopics (or of the kinds), set once by the catalog builder.</summary>
        public double[] Cumulative { get; set; } = [];
    }

    /// <summary>A kind of text of the topic <c>other</c>: out-of-scope requests, thanks, unclear questions.</summary>
    private sealed class OtherKind(string name, double weight, bool outOfScope)
    {
        public string Name { get; } = name;

        public double Weight { get; } = weight;

        public bool OutOfScope { get; } = outOfScope;

        /// <summary>Gets the templates; <c>{x}</c> is replaced by an item of <see cref="Pool"/>.</summary>
        public Fragment[] Templates { get; init; } = [];

        public Fragment[] Pool { get; init; } = [];

        /// <summary>Gets optional sentences added after the template.</summary>
        public Fragment[] Extras { get; init; } = [];

        public double GreetingRate { get; init; } = 0.35;

        public bool AllowTypos { get; init; } = true;

        /// <summary>Gets the emoji this kind of author uses.</summary>
        public string[] Emoji { get; init; } = [];

        public Fragment[] Answers { get; init; } = [];

        public Fragment[] InterimAnswers { get; init; } = [];

        public Fragment[] FollowUps { get; init; } = [];
    }
}
