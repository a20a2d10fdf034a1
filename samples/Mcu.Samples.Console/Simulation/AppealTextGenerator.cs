using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;

namespace Mcu.Samples.Console.Simulation;

/// <summary>
/// Generates realistic, varied Russian citizens' appeals for the simulation of a city control centre (МЦУ),
/// together with their ground-truth labels, the citizens' follow-ups and the responsible units' answers.
/// </summary>
/// <remarks>
/// <para>
/// Texts are assembled from many hand-written fragments per subtopic: an optional greeting, the problem with a
/// fictional address woven in, a duration, details, a request, an emotional closer, a signature and emoji, then
/// roughened like real messages (lower case, caps, typos, missing punctuation, "е" for "ё").
/// </para>
/// <para>
/// The topic mix follows a large southern city: utilities 26 %, roads 18 %, landscaping 14 %, waste 12 %,
/// public transport 10 %, animals 4 %, about 1 % for each of the other topics, and the topic <c>other</c> with about
/// 3 % out-of-scope requests and 1 % thanks. About 6 % of the appeals are urgent.
/// </para>
/// <para>
/// The output is fully determined by the seed: the generator uses only its own <see cref="Random"/> instance.
/// An instance is not thread-safe; give each thread its own generator.
/// </para>
/// </remarks>
internal sealed partial class AppealTextGenerator
{
    /// <summary>The share of urgent appeals over the whole mix.</summary>
    private const double UrgentShare = 0.06;

    private static readonly TopicSpec[] Catalog = BuildCatalog();

    private static readonly double[] TopicCumulative = Cumulative(Catalog.Select(topic => topic.Weight));

    private static readonly Dictionary<string, TopicSpec> TopicsByCode = Catalog.ToDictionary(topic => topic.Code, StringComparer.Ordinal);

    private static readonly OtherKind GeneralKind = TopicsByCode["other"].Kinds.Single(kind => kind.Name == "general");

    private readonly Random _random;
    private readonly StringBuilder _text = new(1024);
    private readonly ConditionalWeakTable<GeneratedAppeal, OtherKind> _otherKinds = new();

    // The context of the text being written; the {tokens} of the fragments are read from it.
    private Street _street;
    private Street _street2;
    private string _house = "1";
    private int _entrance;
    private int _number;
    private Transport _transport;
    private int _route;
    private string _stop;
    private bool _female;
    private string _firstName = string.Empty;
    private string _author = string.Empty;
    private string _unit = string.Empty;
    private Fragment[] _pool = [];
    private Fragment? _fix;

    /// <summary>Initializes a new instance of the <see cref="AppealTextGenerator"/> class.</summary>
    /// <param name="seed">The seed of the generator's own random sequence: the same seed gives the same appeals, follow-ups and answers.</param>
    public AppealTextGenerator(int seed)
    {
        _random = new Random(seed);
        _street = Streets[0];
        _street2 = Streets[1];
        _transport = Transports[0];
        _stop = Stops[0];
    }

    /// <summary>Gets the 20 topic codes of the taxonomy, in the taxonomy's order.</summary>
    public static IReadOnlyList<string> Topics { get; } = Array.AsReadOnly(Catalog.Select(topic => topic.Code).ToArray());

    /// <summary>Generates the next appeal, drawing its topic from the overall mix.</summary>
    /// <returns>A new appeal with its labels.</returns>
    public GeneratedAppeal Next() => Generate(Catalog[PickIndex(TopicCumulative)]);

    /// <summary>Generates the next appeal of the given topic; its subtopic, urgency and so on are drawn as usual.</summary>
    /// <param name="topic">A topic code, one of <see cref="Topics"/>.</param>
    /// <returns>A new appeal whose <see cref="GeneratedAppeal.Topic"/> is <paramref name="topic"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="topic"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="topic"/> is not a known topic code.</exception>
    public GeneratedAppeal Next(string topic) => Generate(FindTopic(topic, nameof(topic)));

    /// <summary>Generates a citizen's next message in the conversation about an appeal ("ну что там?", a photo caption and so on).</summary>
    /// <param name="appeal">The appeal the conversation is about.</param>
    /// <returns>A short Russian message.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="appeal"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The topic of <paramref name="appeal"/> is not a known topic code.</exception>
    public string NextFollowUp(GeneratedAppeal appeal)
    {
        ArgumentNullException.ThrowIfNull(appeal);
        var topic = FindTopic(appeal.Topic, nameof(appeal));
        RestoreContext(appeal);
        _text.Clear();

        if (topic.Kinds.Length > 0)
        {
            AppendSentence(Pick(KindOf(appeal).FollowUps));
        }
        else
        {
            if (Chance(0.12))
            {
                AppendSentence(Pick(FollowUpOpeners));
            }

            var roll = _random.NextDouble();
            var message = appeal.Urgent && roll < 0.6 ? Pick(UrgentFollowUps)
                : roll < 0.45 ? Pick(FollowUps)
                : roll < 0.65 && topic.FollowUps.Length > 0 ? Pick(topic.FollowUps)
                : roll < 0.85 ? Pick(PhotoCaptions)
                : Pick(AddressReminders);
            AppendSentence(message);
            if (Chance(0.15))
            {
                AppendSentence(Pick(FollowUpTails));
            }

            if (Chance(0.08))
            {
                AppendEmoji(appeal.Urgent ? UrgentEmoji : Emoji);
            }
        }

        Roughen(appeal.Urgent, allowTypos: true);
        return _text.ToString();
    }

    /// <summary>Generates an answer of the responsible unit, in official but human Russian.</summary>
    /// <param name="appeal">The appeal being answered.</param>
    /// <param name="final"><see langword="true"/> for the final answer (the outcome); <see langword="false"/> for an interim one (who is on it and when).</param>
    /// <returns>The answer text.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="appeal"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The topic of <paramref name="appeal"/> is not a known topic code.</exception>
    public string NextAnswer(GeneratedAppeal appeal, bool final)
    {
        ArgumentNullException.ThrowIfNull(appeal);
        var topic = FindTopic(appeal.Topic, nameof(appeal));
        RestoreContext(appeal);
        _text.Clear();
        AppendOfficial(Pick(AnswerGreetings));

        if (topic.Kinds.Length > 0)
        {
            var kind = KindOf(appeal);
            AppendOfficial(Pick(!final && kind.InterimAnswers.Length > 0 ? kind.InterimAnswers : kind.Answers));
            return _text.ToString();
        }

        var subtopic = Array.Find(topic.Subtopics, candidate => string.Equals(candidate.Code, appeal.Subtopic, StringComparison.Ordinal));
        _unit = subtopic?.Unit ?? topic.Unit;
        if (!final && appeal.Urgent)
        {
            AppendOfficial(subtopic is { UrgentReplies.Length: > 0 } && Chance(0.7) ? Pick(subtopic.UrgentReplies) : Pick(UrgentAcknowledgements));
            if (Chance(0.6))
            {
                AppendOfficial(Pick(UrgentSafety));
            }
        }
        else if (!final)
        {
            AppendOfficial(Pick(Acknowledgements));
            if (Chance(0.7))
            {
                AppendOfficial(Pick(Progress));
            }

            if (Chance(0.6))
            {
                AppendOfficial(Pick(InterimClosings));
            }
        }
        else
        {
            var fixes = subtopic is null ? GenericFixes
                : appeal.Urgent && subtopic.UrgentFixes.Length > 0 ? subtopic.UrgentFixes
                : subtopic.Fixes;
            _fix = Pick(fixes);
            AppendOfficial(Pick(FinalLeads));
            if (Chance(0.75))
            {
                AppendOfficial(Pick(FinalClosings));
            }
        }

        return _text.ToString();
    }

    // ---- Appeals ---------------------------------------------------------------------------------------------------

    private GeneratedAppeal Generate(TopicSpec topic)
    {
        NewContext();
        _text.Clear();
        if (topic.Kinds.Length > 0)
        {
            return GenerateOther(topic, topic.Kinds[PickIndex(topic.Cumulative)]);
        }

        var subtopic = topic.Subtopics[PickIndex(topic.Cumulative)];
        var urgent = subtopic.UrgentRate > 0 && _random.NextDouble() < subtopic.UrgentRate;
        ComposeProblem(topic, subtopic, urgent);
        Roughen(urgent, allowTypos: true);
        return new GeneratedAppeal(
            _text.ToString(), topic.Code, subtopic.Code, urgent, OutOfScope: false, _author, _street.District.Name, _street.FullName, _house);
    }

    private void ComposeProblem(TopicSpec topic, SubtopicSpec subtopic, bool urgent)
    {
        var opening = _random.NextDouble();
        if (urgent && opening < 0.45)
        {
            AppendSentence(Pick(UrgentOpeners));
        }
        else if (opening < (urgent ? 0.6 : 0.45))
        {
            AppendSentence(Pick(Greetings));
        }

        if (!urgent && Chance(0.07))
        {
            AppendSentence(Pick(Intros));
        }

        var problem = urgent ? Pick(subtopic.Urgent) : Pick(subtopic.Problems);
        AppendProblem(subtopic.Place, problem, urgent);

        if (urgent)
        {
            if (Chance(0.45))
            {
                AppendSentence(Pick(UrgentTimes));
            }
        }
        else if (subtopic.Lasting && !problem.HasTime && Chance(0.5))
        {
            AppendSentence(subtopic.Acute && Chance(0.7) ? Pick(RecentDurations) : Pick(LongDurations));
        }

        // In an emergency people skip the back story and ask for help, not for a particular repair.
        if (urgent ? subtopic.Details.Length > 0 && Chance(0.2) : Chance(0.45))
        {
            AppendSentence(urgent || (subtopic.Details.Length > 0 && Chance(0.75)) ? Pick(subtopic.Details) : Pick(GenericDetails));
        }

        if (Chance(0.45))
        {
            AppendSentence(!urgent && subtopic.Asks.Length > 0 && Chance(0.6) ? Pick(subtopic.Asks) : Pick(urgent ? UrgentAsks : GenericAsks));
        }

        var outdoor = topic.Outdoor || subtopic.Place is Place.Street or Place.Crossing or Place.Yard or Place.District;
        if (urgent)
        {
            if (Chance(0.6))
            {
                AppendSentence(Pick(UrgentClosers));
            }
        }
        else if (Chance(0.28))
        {
            AppendSentence(outdoor && Chance(0.4) ? Pick(OutdoorClosers) : Pick(Closers));
        }

        if (Chance(0.1))
        {
            AppendSentence(Pick(SignOffs));
        }

        if (Chance(urgent ? 0.25 : 0.12))
        {
            AppendEmoji(urgent ? UrgentEmoji : Emoji);
        }
    }

    private void AppendProblem(Place place, Fragment problem, bool urgent)
    {
        BeginSentence();
        var start = _text.Length;
        if (problem.HasPlace || place == Place.None)
        {
            Expand(problem.Text);
            UpperAt(start);
        }
        else if (Chance(0.55))
        {
            var prefix = Pick(PlacePrefixes[(int)place]);
            Expand(prefix.Text);
            UpperAt(start);
            var problemStart = _text.Length;
            Expand(problem.Text);
            if (prefix.Text.EndsWith(". ", StringComparison.Ordinal))
            {
                UpperAt(problemStart);
            }
            else
            {
                LowerAt(problemStart);
            }
        }
        else
        {
            Expand(problem.Text);
            UpperAt(start);
            var suffixes = problem.HasComma || Chance(0.2) ? PlaceSafeSuffixes[(int)place] : PlaceSuffixes[(int)place];
            Expand(Pick(suffixes).Text);
        }

        EndSentence(urgent ? UrgentTerminators : Terminators);
    }

    private GeneratedAppeal GenerateOther(TopicSpec topic, OtherKind kind)
    {
        if (Chance(kind.GreetingRate))
        {
            AppendSentence(Pick(Greetings));
        }

        _pool = kind.Pool;
        AppendSentence(Pick(kind.Templates));
        if (kind.Extras.Length > 0 && Chance(0.45))
        {
            AppendSentence(Pick(kind.Extras));
        }

        if (kind.Emoji.Length > 0 && Chance(0.5))
        {
            AppendEmoji(kind.Emoji);
        }

        Roughen(urgent: false, kind.AllowTypos);
        var appeal = new GeneratedAppeal(
            _text.ToString(), topic.Code, Subtopic: null, Urgent: false, kind.OutOfScope, _author, _street.District.Name, _street.FullName, _house);
        _otherKinds.AddOrUpdate(appeal, kind);
        return appeal;
    }

    private OtherKind KindOf(GeneratedAppeal appeal) =>
        _otherKinds.TryGetValue(appeal, out var kind) ? kind
        : appeal.OutOfScope ? UnknownOutOfScope
        : GeneralKind;

    // ---- Context ---------------------------------------------------------------------------------------------------

    private void NewContext()
    {
        _street = Streets[_random.Next(Streets.Length)];
        do
        {
            _street2 = Streets[_random.Next(Streets.Length)];
        }
        while (ReferenceEquals(_street2, _street));

        var number = (1 + _random.Next(199)).ToString(CultureInfo.InvariantCulture);
        _house = Chance(0.15) ? number + HouseSuffixes[_random.Next(HouseSuffixes.Length)] : number;
        _entrance = 1 + _random.Next(8);
        _number = 1 + _random.Next(99);
        var transportRoll = _random.NextDouble() * 100;
        _transport = Transports[^1];
        foreach (var transport in Transports)
        {
            if (transportRoll < transport.Weight)
            {
                _transport = transport;
                break;
            }

            transportRoll -= transport.Weight;
        }

        _route = 1 + _random.Next(_transport.MaxRoute);
        _stop = Stops[_random.Next(Stops.Length)];
        var name = FirstNames[_random.Next(FirstNames.Length)];
        _female = name.Female;
        _firstName = name.Value;
        _author = Chance(0.4) ? name.Value + " " + SurnameInitials[_random.Next(SurnameInitials.Length)] : name.Value;
    }

    private void RestoreContext(GeneratedAppeal appeal)
    {
        if (!StreetsByFullName.TryGetValue(appeal.Street, out var street))
        {
            var district = DistrictsByName.TryGetValue(appeal.District, out var known) ? known : new District(appeal.District, appeal.District);
            var bare = appeal.Street.StartsWith("ул. ", StringComparison.Ordinal) ? appeal.Street[4..] : appeal.Street;
            street = new Street(bare, bare, district);
        }

        _street = street;
        _house = appeal.House;
        _author = appeal.AuthorName;
        var space = appeal.AuthorName.IndexOf(' ', StringComparison.Ordinal);
        _firstName = space > 0 ? appeal.AuthorName[..space] : appeal.AuthorName;
        _female = FirstNamesByValue.TryGetValue(_firstName, out var name) && name.Female;
    }

    private static TopicSpec FindTopic(string topic, string paramName)
    {
        ArgumentNullException.ThrowIfNull(topic, paramName);
        return TopicsByCode.TryGetValue(topic, out var spec)
            ? spec
            : throw new ArgumentException(
                "Unknown topic code '" + topic + "'. Expected one of: " + string.Join(", ", Topics) + ".", paramName);
    }

    // ---- Assembling text -------------------------------------------------------------------------------------------

    private void BeginSentence()
    {
        if (_text.Length > 0)
        {
            _text.Append(Chance(0.06) ? '\n' : ' ');
        }
    }

    private void AppendSentence(Fragment fragment)
    {
        BeginSentence();
        var start = _text.Length;
        Expand(fragment.Text);
        UpperAt(start);
        EndSentence(Terminators);
    }

    private void AppendOfficial(Fragment fragment)
    {
        if (_text.Length > 0)
        {
            _text.Append(' ');
        }

        var start = _text.Length;
        Expand(fragment.Text);
        UpperAt(start);
        if (!EndsWithPunctuation())
        {
            _text.Append('.');
        }
    }

    private void EndSentence(string[] terminators)
    {
        if (!EndsWithPunctuation())
        {
            _text.Append(terminators[_random.Next(terminators.Length)]);
        }
    }

    private bool EndsWithPunctuation()
    {
        if (_text.Length == 0)
        {
            return true;
        }

        var last = _text[^1];
        return last is '.' or '!' or '?' or '…' || char.IsSurrogate(last) || last == '\uFE0F';
    }

    private void AppendEmoji(string[] set)
    {
        _text.Append(' ').Append(set[_random.Next(set.Length)]);
        if (Chance(0.25))
        {
            _text.Append(set[_random.Next(set.Length)]);
        }
    }

    /// <summary>Appends a template, replacing its <c>{tokens}</c> from the current context.</summary>
    private void Expand(string template)
    {
        var position = 0;
        while (position < template.Length)
        {
            var open = template.IndexOf('{', position);
            if (open < 0)
            {
                _text.Append(template, position, template.Length - position);
                return;
            }

            _text.Append(template, position, open - position);
            var close = template.IndexOf('}', open + 1);
            ExpandToken(template.AsSpan(open + 1, close - open - 1));
            position = close + 1;
        }
    }

    private void ExpandToken(ReadOnlySpan<char> token)
    {
        switch (token)
        {
            case "addr":
                Expand(Pick(AddressForms).Text);
                break;
            case "addrf":
                _text.Append(_street.FullName).Append(", д. ").Append(_house);
                break;
            case "on":
                Expand(Pick(OnStreetForms).Text);
                break;
            case "st":
                _text.Append(_street.Oblique);
                break;
            case "St":
                _text.Append(_street.Nominative);
                break;
            case "st2":
                _text.Append(_street2.Oblique);
                break;
            case "St2":
                _text.Append(_street2.Nominative);
                break;
            case "h":
                _text.Append(_house);
                break;
            case "e":
                _text.Append(_entrance);
                break;
            case "d":
                _text.Append(_street.District.Prepositional);
                break;
            case "D":
                _text.Append(_street.District.Name);
                break;
            case "n":
                _text.Append(_number);
                break;
            case "r":
                _text.Append(_route);
                break;
            case "veh":
                _text.Append(_transport.Plural);
                break;
            case "vehp":
                _text.Append(_transport.Prepositional);
                break;
            case "vehg":
                _text.Append(_transport.GenitivePlural);
                break;
            case "stop":
                _text.Append(_stop);
                break;
            case "f":
                if (_female)
                {
                    _text.Append('а');
                }

                break;
            case "first":
                _text.Append(_firstName);
                break;
            case "author":
                _text.Append(_author);
                break;
            case "x":
                Expand(Pick(_pool).Text);
                break;
            case "where":
                if (Chance(0.3))
                {
                    _text.Append(" в ").Append(_street.District.Prepositional).Append(" округе");
                }

                break;
            case "unit":
                _text.Append(_unit);
                break;
            case "when":
                Expand(Pick(Whens).Text);
                break;
            case "fix":
            case "Fix":
                var start = _text.Length;
                Expand((_fix ?? GenericFixes[0]).Text);
                if (token[0] == 'F')
                {
                    UpperAt(start);
                }

                break;
            default:
                throw new InvalidOperationException("Unknown template token '{" + token.ToString() + "}'.");
        }
    }

    private void UpperAt(int index)
    {
        if (index < _text.Length)
        {
            _text[index] = char.ToUpperInvariant(_text[index]);
        }
    }

    /// <summary>Lower-cases the first letter of a word unless the word is an abbreviation ("УК", "МФЦ").</summary>
    private void LowerAt(int index)
    {
        if (index + 1 < _text.Length && char.IsUpper(_text[index]) && !char.IsUpper(_text[index + 1]))
        {
            _text[index] = char.ToLowerInvariant(_text[index]);
        }
    }

    // ---- Making it look typed by a person ------------------------------------------------------------------------

    private void Roughen(bool urgent, bool allowTypos)
    {
        if (Chance(0.55))
        {
            _text.Replace('ё', 'е').Replace('Ё', 'Е');
        }

        if (allowTypos && Chance(0.1))
        {
            AddTypo();
            if (Chance(0.3))
            {
                AddTypo();
            }
        }

        var caps = urgent ? 0.12 : 0.015;
        var style = _random.NextDouble();
        if (style < caps)
        {
            ChangeCase(upper: true);
        }
        else if (style < caps + 0.08)
        {
            ChangeCase(upper: false);
        }

        if (Chance(0.07))
        {
            StripPunctuation();
        }
    }

    private void ChangeCase(bool upper)
    {
        for (var i = 0; i < _text.Length; i++)
        {
            _text[i] = upper ? char.ToUpperInvariant(_text[i]) : char.ToLowerInvariant(_text[i]);
        }
    }

    private void StripPunctuation()
    {
        var write = 0;
        for (var read = 0; read < _text.Length; read++)
        {
            var c = _text[read];
            if (c is not ('.' or ','))
            {
                _text[write++] = c;
            }
        }

        _text.Length = write;
    }

    /// <summary>Makes one typo in a random word of at least five lower-case Cyrillic letters.</summary>
    private void AddTypo()
    {
        var length = _text.Length;
        var from = _random.Next(length);
        for (var scanned = 0; scanned < length; scanned++)
        {
            var start = (from + scanned) % length;
            if (!IsLowerCyrillic(_text[start]) || (start > 0 && IsLowerCyrillic(_text[start - 1])))
            {
                continue;
            }

            var end = start;
            while (end < length && IsLowerCyrillic(_text[end]))
            {
                end++;
            }

            if (end - start < 5)
            {
                continue;
            }

            var at = start + 1 + _random.Next(end - start - 2);
            switch (_random.Next(4))
            {
                case 0:
                    (_text[at], _text[at + 1]) = (_text[at + 1], _text[at]);
                    break;
                case 1:
                    _text.Remove(at, 1);
                    break;
                case 2:
                    _text.Insert(at, _text[at]);
                    break;
                default:
                    _text[at] = _text[at] switch
                    {
                        'о' => 'а',
                        'а' => 'о',
                        'е' => 'и',
                        'и' => 'е',
                        var other => other,
                    };
                    break;
            }

            return;
        }
    }

    private static bool IsLowerCyrillic(char c) => c is (>= 'а' and <= 'я') or 'ё';

    // ---- Randomness --------------------------------------------------------------------------------------------------

    private bool Chance(double probability) => _random.NextDouble() < probability;

    private Fragment Pick(Fragment[] items) => items[_random.Next(items.Length)];

    private int PickIndex(double[] cumulative)
    {
        var roll = _random.NextDouble() * cumulative[^1];
        var index = Array.BinarySearch(cumulative, roll);
        index = index < 0 ? ~index : index + 1;
        return Math.Min(index, cumulative.Length - 1);
    }

    private static double[] Cumulative(IEnumerable<double> weights)
    {
        var result = new List<double>();
        var total = 0.0;
        foreach (var weight in weights)
        {
            total += weight;
            result.Add(total);
        }

        return [.. result];
    }

    // ---- The catalog -------------------------------------------------------------------------------------------------

    private static TopicSpec[] BuildCatalog()
    {
        TopicSpec[] catalog =
        [
            CreateUtilities(), CreateRoads(), CreateLandscaping(), CreatePublicTransport(), CreateWaste(), CreateAnimals(),
            CreateHealthcare(), CreateEducation(), CreateSocialProtection(), CreatePublicOrder(), CreateEcology(), CreateConstruction(),
            CreateTradeServices(), CreateCommunications(), CreateCultureSport(), CreatePublicServices(), CreateEmployment(),
            CreateCemeteries(), CreateLandProperty(), CreateOther(),
        ];

        // Scale the relative urgent weights so that the expected urgent share over the whole mix is UrgentShare.
        var totalWeight = catalog.Sum(topic => topic.Weight);
        var expected = 0.0;
        foreach (var topic in catalog)
        {
            topic.Cumulative = topic.Kinds.Length > 0
                ? Cumulative(topic.Kinds.Select(kind => kind.Weight))
                : Cumulative(topic.Subtopics.Select(subtopic => subtopic.Weight));
            var subtopicWeight = topic.Subtopics.Sum(subtopic => subtopic.Weight);
            foreach (var subtopic in topic.Subtopics)
            {
                expected += topic.Weight / totalWeight * (subtopic.Weight / subtopicWeight) * subtopic.UrgentWeight;
            }
        }

        var scale = UrgentShare / expected;
        foreach (var subtopic in catalog.SelectMany(topic => topic.Subtopics))
        {
            subtopic.UrgentRate = Math.Min(0.9, subtopic.UrgentWeight * scale);
        }

        return catalog;
    }
}
