namespace Mcu.Samples.Console.Simulation;

// Topic-independent fragments: the fictional city (districts, streets, stops, transport, names), the pieces every
// appeal is wrapped in (greetings, durations, closers, emoji), the follow-ups and the units' answers.
// The static fields of this part depend on each other only within this file (the order of partial parts is unspecified).
internal sealed partial class AppealTextGenerator
{
    // ---- The fictional city -------------------------------------------------------------------------------------

    private static readonly District[] Districts =
    [
        new("Центральный", "Центральном"),
        new("Западный", "Западном"),
        new("Карасунский", "Карасунском"),
        new("Прикубанский", "Прикубанском"),
    ];

    private static readonly Street[] Streets =
    [
        new("Красная", "Красной", Districts[0]),
        new("Северная", "Северной", Districts[0]),
        new("Пушкина", "Пушкина", Districts[0]),
        new("Октябрьская", "Октябрьской", Districts[0]),
        new("Кубанская Набережная", "Кубанской Набережной", Districts[0]),
        new("Садовая", "Садовой", Districts[0]),
        new("Тургенева", "Тургенева", Districts[1]),
        new("Школьная", "Школьной", Districts[1]),
        new("Береговая", "Береговой", Districts[1]),
        new("Гагарина", "Гагарина", Districts[1]),
        new("Зелёная", "Зелёной", Districts[1]),
        new("Кожевенная", "Кожевенной", Districts[1]),
        new("Ставропольская", "Ставропольской", Districts[2]),
        new("Новая", "Новой", Districts[2]),
        new("Заводская", "Заводской", Districts[2]),
        new("Полевая", "Полевой", Districts[2]),
        new("Молодёжная", "Молодёжной", Districts[2]),
        new("Черёмуховая", "Черёмуховой", Districts[2]),
        new("Московская", "Московской", Districts[3]),
        new("40 лет Победы", "40 лет Победы", Districts[3]),
        new("Солнечная", "Солнечной", Districts[3]),
        new("Лесная", "Лесной", Districts[3]),
        new("Мира", "Мира", Districts[3]),
        new("Берёзовая", "Берёзовой", Districts[3]),
    ];

    private static readonly Dictionary<string, Street> StreetsByFullName =
        Streets.ToDictionary(street => street.FullName, StringComparer.Ordinal);

    private static readonly Dictionary<string, District> DistrictsByName =
        Districts.ToDictionary(district => district.Name, StringComparer.Ordinal);

    private static readonly string[] HouseSuffixes = ["/1", "/2", "/3", "А", "Б", "к1", "к2"];

    private static readonly string[] Stops =
    [
        "«Рынок»", "«Поликлиника»", "«Стадион»", "«Автовокзал»", "«Кинотеатр»", "«Дом быта»", "«Школьная»", "«Сквер»",
        "«Трамвайное депо»", "«Больница»", "«Универсам»", "«Почта»", "«Дворец спорта»", "«Хлебозавод»", "«Кольцо»", "«Микрорайон»",
    ];

    private static readonly Transport[] Transports =
    [
        new("автобусы", "автобусе", "автобусов", 99, 45),
        new("маршрутки", "маршрутке", "маршруток", 99, 25),
        new("троллейбусы", "троллейбусе", "троллейбусов", 25, 15),
        new("трамваи", "трамвае", "трамваев", 22, 15),
    ];

    private static readonly FirstName[] FirstNames =
    [
        new("Ольга", true), new("Наталья", true), new("Елена", true), new("Ирина", true), new("Татьяна", true),
        new("Светлана", true), new("Анна", true), new("Мария", true), new("Екатерина", true), new("Юлия", true),
        new("Галина", true), new("Людмила", true), new("Марина", true), new("Оксана", true), new("Виктория", true),
        new("Дарья", true), new("Алина", true), new("Валентина", true), new("Надежда", true), new("Любовь", true),
        new("Кристина", true), new("Анастасия", true), new("Вера", true), new("Лариса", true), new("Карина", true),
        new("Зарина", true), new("Александр", false), new("Сергей", false), new("Андрей", false), new("Дмитрий", false),
        new("Алексей", false), new("Игорь", false), new("Владимир", false), new("Николай", false), new("Михаил", false),
        new("Евгений", false), new("Павел", false), new("Роман", false), new("Виктор", false), new("Артём", false),
        new("Иван", false), new("Максим", false), new("Олег", false), new("Василий", false), new("Геннадий", false),
        new("Юрий", false), new("Армен", false), new("Тимур", false), new("Руслан", false), new("Константин", false),
    ];

    private static readonly Dictionary<string, FirstName> FirstNamesByValue =
        FirstNames.ToDictionary(name => name.Value, StringComparer.Ordinal);

    private static readonly string[] SurnameInitials =
        ["А.", "Б.", "В.", "Г.", "Д.", "Е.", "Ж.", "З.", "И.", "К.", "Л.", "М.", "Н.", "О.", "П.", "Р.", "С.", "Т.", "У.", "Ф.", "Х.", "Ч.", "Ш.", "Ю.", "Я."];

    // ---- How an address is woven into a sentence (indexed by Place) -------------------------------------------

    private static readonly Fragment[] AddressForms =
        ["ул. {St}, {h}", "ул. {St}, д. {h}", "{St} {h}", "{St}, {h}", "ул. {St} {h}", "улица {St}, дом {h}"];

    private static readonly Fragment[] OnStreetForms = ["на ул. {st}", "на улице {st}", "на {st}"];

    /// <summary>Address prefixes: the problem follows in lower case unless the prefix ends with a full stop.</summary>
    private static readonly Fragment[][] PlacePrefixes =
    [
        [],
        ["по адресу {addr} ", "{addr}: ", "{addr} — ", "адрес: {addr}. ", "{addr}, подъезд {e}. ", "у нас {on}, {h} ", "живу {on}, дом {h}. ", "дом {h} {on}. "],
        ["во дворе дома {h} {on} ", "во дворе по адресу {addr} ", "у нас во дворе ({addr}) ", "двор дома {h} {on}. ", "{addr}, во дворе ", "во дворе нашего дома ({addr}) "],
        ["{on} возле дома {h} ", "{on} в районе дома {h} ", "{on} напротив дома {h} ", "{on} у дома {h} ", "{addr} — ", "{on}, {h}: "],
        ["на перекрёстке {st} и {st2} ", "на пересечении {st} и {st2} ", "перекрёсток {st} и {st2}: ", "на пересечении улиц {St} и {St2} "],
        ["в {d} округе ", "у нас в {d} округе ", "{on} ", "в районе ул. {st} ", "в районе {st} "],
    ];

    /// <summary>Address suffixes that can follow a single-clause problem.</summary>
    private static readonly Fragment[][] PlaceSuffixes =
    [
        [],
        [" по адресу {addr}", " ({addr})"],
        [" во дворе дома {h} {on}", " во дворе по адресу {addr}", " у нас во дворе ({addr})"],
        [" {on} возле дома {h}", " {on} в районе дома {h}", " {on} напротив дома {h}", " {on}", " по адресу {addr}"],
        [" на перекрёстке {st} и {st2}", " на пересечении {st} и {st2}", " на пересечении улиц {St} и {St2}"],
        [" в {d} округе", " в районе ул. {st}", " {on}"],
    ];

    /// <summary>Address suffixes that can follow any problem, even one with several clauses.</summary>
    private static readonly Fragment[][] PlaceSafeSuffixes =
    [
        [],
        [" ({addr})", ". Адрес: {addr}", ". Это {on}, дом {h}"],
        [" ({addr}, во дворе)", ". Это во дворе дома {h} {on}", ". Адрес: {addr}"],
        [" ({addr})", ". Это {on} возле дома {h}", ". Место: {on}, у дома {h}"],
        [" (перекрёсток {st} и {st2})", ". Это на перекрёстке {st} и {st2}"],
        [" ({D} округ)", ". Это в {d} округе"],
    ];

    // ---- The pieces of an appeal --------------------------------------------------------------------------------

    private static readonly Fragment[] Greetings =
    [
        "Здравствуйте!", "Здравствуйте.", "Здравствуйте", "Добрый день!", "Добрый день.", "Добрый вечер!", "Доброе утро.",
        "Здравствуйте, уважаемая администрация!", "Уважаемые сотрудники МЦУ!", "Добрый день, администрация.", "Здрасьте.",
        "Помогите, пожалуйста!", "Доброго времени суток.", "Администрация, обратите внимание!", "Добрый день, уважаемые!",
    ];

    private static readonly Fragment[] Intros =
    [
        "Пишу от имени жильцов нашего дома.", "Обращаюсь повторно.", "Пишу уже третий раз.", "Меня зовут {first}.",
        "Не знаю, куда ещё писать.", "Сил уже нет терпеть.", "Пишу вам, потому что больше некуда.",
    ];

    private static readonly Fragment[] UrgentOpeners = ["СРОЧНО!", "Срочно!!!", "Внимание!", "Помогите!", "ЧП!", "Срочно, пожалуйста!"];

    private static readonly Fragment[] RecentDurations =
    [
        "Уже третий день.", "Так уже неделю.", "И это с прошлой недели.", "Второй день подряд.", "Со вчерашнего вечера.",
        "С понедельника.", "С самого утра.", "Третий день уже", "С прошлой недели так", "Уже две недели.",
    ];

    private static readonly Fragment[] LongDurations =
    [
        "Уже месяц так!", "Длится уже полгода.", "И так каждый год.", "Который месяц!", "Уже месяц!!!", "Уже не первый год.",
        "Уже две недели.", "Полгода ждём.",
    ];

    private static readonly Fragment[] UrgentTimes =
    [
        "Прямо сейчас!", "Минут двадцать назад.", "Только что.", "С утра так, становится хуже!", "Уже час никто не едет!",
    ];

    private static readonly Fragment[] GenericDetails =
    [
        "Фото прилагаю.", "Видео есть, могу прислать.", "Обращались уже не раз, результата ноль.", "Соседи подтвердят.",
        "Писал{f} на Госуслугах, пришла отписка.", "Звонил{f} в диспетчерскую, обещали и забыли.", "Фото в комментариях.",
    ];

    private static readonly Fragment[] GenericAsks =
    [
        "Примите меры!", "Просим принять меры.", "Прошу разобраться.", "Разберитесь, пожалуйста.", "Помогите решить вопрос.",
        "Когда это исправят?", "Сколько ещё ждать?", "Прошу взять на контроль.", "Очень ждём помощи.", "Помогите, пожалуйста.",
    ];

    private static readonly Fragment[] UrgentAsks =
    [
        "Примите меры срочно!", "Пришлите кого-нибудь!", "Помогите, пожалуйста!", "Куда звонить?!", "Срочно нужна аварийная служба!",
    ];

    private static readonly Fragment[] Closers =
    [
        "Сколько можно!!!", "Безобразие!", "Это просто издевательство.", "Куда смотрят власти?", "Налоги платим, а толку ноль.",
        "Доколе?!", "Стыдно за город.", "Надоело!", "Уже нет сил терпеть.", "Сколько можно ждать???", "Просто кошмар.",
    ];

    private static readonly Fragment[] OutdoorClosers =
    [
        "Дети ходят рядом!", "Пока кто-нибудь не пострадает, никто не почешется.", "Пожилым людям тут не пройти.",
        "Здесь каждый день ходят дети!!!", "Вечером тут вообще опасно.",
    ];

    private static readonly Fragment[] UrgentClosers =
    [
        "СРОЧНО!!!", "Это опасно для жизни!", "Приезжайте быстрее!", "Пока никто не пострадал!", "Помогите срочно!",
        "Звоню в аварийку, всё занято!", "Люди в опасности!",
    ];

    private static readonly Fragment[] SignOffs =
    [
        "С уважением, {author}", "{author}", "Жители дома.", "Спасибо заранее.", "Заранее спасибо!", "Надеюсь на вашу помощь.",
    ];

    private static readonly string[] Emoji = ["😡", "🤬", "😤", "😢", "🙏", "👎", "‼️", "😠", "🤦‍♀️", "❗", "😞"];

    private static readonly string[] UrgentEmoji = ["😱", "‼️", "❗❗❗", "🆘", "🔥"];

    private static readonly string[] Terminators = [".", ".", ".", ".", ".", ".", ".", "!", "!", "", "!!", "..."];

    private static readonly string[] UrgentTerminators = ["!", "!!!", "!!", ".", "!"];

    private static readonly Fragment[] Whens =
    [
        "сегодня", "в течение дня", "завтра", "в ближайшее время", "до конца недели", "в течение трёх рабочих дней", "на этой неделе",
    ];

    // ---- Follow-ups in the same conversation ----------------------------------------------------------------------

    private static readonly Fragment[] FollowUpOpeners = ["Добрый день.", "Здравствуйте ещё раз.", "Извините, что снова пишу.", "Снова я."];

    private static readonly Fragment[] FollowUps =
    [
        "Ну что там?", "Есть новости?", "Добрый день, есть какие-то новости по моему обращению?", "До сих пор не сделали",
        "Прошла неделя, ничего не изменилось", "Ау, вы меня слышите?", "Когда ждать?", "Мне так никто и не ответил",
        "Подскажите сроки, пожалуйста", "Сделали наполовину", "Приезжали, посмотрели и уехали", "???",
        "Спасибо, вроде сделали", "Стало лучше, но не до конца", "Ответ получил{f}, но ничего не поменялось",
    ];

    private static readonly Fragment[] PhotoCaptions =
    [
        "Вот фото", "Фото прилагаю", "📷 Фото с места", "Вот как это выглядит сейчас", "Сфотографировал{f} сегодня утром",
        "Фото сегодняшнее", "Видео тоже есть, могу прислать", "Посмотрите сами на фото",
    ];

    private static readonly Fragment[] AddressReminders =
    [
        "Адрес: {addr}", "Напоминаю адрес: {addr}", "Я про {addr}, если что", "Это {on}, дом {h}", "Ещё раз адрес: {addr}",
    ];

    private static readonly Fragment[] UrgentFollowUps =
    [
        "Вы едете??", "Никого до сих пор нет!!!", "Ситуация ухудшается!", "Уже полчаса ждём, это опасно!", "Срочно, пожалуйста!",
        "Приехали, спасибо", "Всё ещё опасно, приезжайте!",
    ];

    private static readonly Fragment[] FollowUpTails = ["Сколько можно ждать?", "Примите меры!", "Очень ждём.", "Спасибо."];

    // ---- Answers of the units (official but human) ----------------------------------------------------------------

    private static readonly Fragment[] AnswerGreetings =
        ["Добрый день!", "Здравствуйте!", "Здравствуйте, {first}!", "Добрый день, {first}!", "{first}, здравствуйте!"];

    private static readonly Fragment[] Acknowledgements =
    [
        "Ваше обращение передано в адрес {unit}",
        "Информация направлена в адрес {unit}, вопрос взят на контроль МЦУ",
        "Мы связались со специалистами {unit}: проблема известна, ею уже занимаются",
        "Обращение зарегистрировано и направлено специалистам {unit}",
        "Спасибо за обращение! Информация передана в адрес {unit}",
    ];

    private static readonly Fragment[] Progress =
    [
        "Специалисты выедут на место {when}",
        "Выезд на место запланирован {when}",
        "Работы планируется выполнить {when}",
        "Сроки выполнения работ уточняются",
        "После обследования будет принято решение о необходимых работах",
    ];

    private static readonly Fragment[] InterimClosings =
    [
        "О результатах сообщим дополнительно", "Как только будет ответ, мы вам напишем", "Благодарим за обращение и терпение",
        "Приносим извинения за неудобства", "Ответ по результатам направим в этот же чат",
    ];

    private static readonly Fragment[] UrgentAcknowledgements =
    [
        "Информация срочно передана в адрес {unit}",
        "На место незамедлительно направлены специалисты {unit}",
        "Аварийная бригада направлена по адресу {addrf}",
    ];

    private static readonly Fragment[] UrgentSafety =
    [
        "Пожалуйста, не подходите к опасному месту и предупредите соседей",
        "Если есть угроза жизни, звоните по номеру 112",
        "Держим ситуацию на контроле до полного устранения",
    ];

    private static readonly Fragment[] FinalLeads = ["По информации {unit}, {fix}", "Сообщаем, что {fix}", "Специалисты {unit} сообщили: {fix}", "{Fix}"];

    private static readonly Fragment[] FinalClosings =
    [
        "Спасибо за неравнодушие!", "Если проблема повторится, напишите нам, возьмём на контроль", "Благодарим за обращение",
        "Хорошего дня!", "Будем благодарны, если пришлёте фото результата",
    ];

    private static readonly Fragment[] GenericFixes = ["работы выполнены", "вопрос решён", "замечания устранены"];

    /// <summary>Used for an out-of-scope appeal this generator did not produce itself (its kind is unknown).</summary>
    private static readonly OtherKind UnknownOutOfScope = new("out-of-scope", 0, outOfScope: true)
    {
        Answers =
        [
            "К сожалению, этот вопрос не входит в компетенцию МЦУ. Мы принимаем обращения о работе городских служб, ЖКХ, дорог, транспорта и благоустройства",
        ],
        FollowUps = ["Понятно", "А куда тогда обращаться?"],
    };
}
