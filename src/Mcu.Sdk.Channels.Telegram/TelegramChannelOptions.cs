namespace Mcu.Sdk.Channels.Telegram;

/// <summary>How the bot receives updates.</summary>
public enum TelegramIntakeMode
{
    /// <summary>The SDK polls <c>getUpdates</c> from a hosted service (no public URL needed).</summary>
    LongPolling = 0,

    /// <summary>Telegram posts updates to the host's webhook endpoint (<c>Mcu.Sdk.AspNetCore</c>'s <c>MapMcuWebhooks()</c>).</summary>
    Webhook = 1,
}

/// <summary>Options of the Telegram channel, bindable from a <c>Telegram</c> configuration section and validated at start.</summary>
public sealed class TelegramChannelOptions
{
    /// <summary>Gets or sets the bot token from BotFather (<c>123456789:AA…</c>). Required. It never appears in logs or exception messages.</summary>
    public string? BotToken { get; set; }

    /// <summary>Gets or sets the Bot API server: Telegram's, a self-hosted <c>telegram-bot-api</c>, or a fake in tests.</summary>
    /// <value>An absolute http or https URL. The default value is <c>https://api.telegram.org/</c>.</value>
    public Uri ApiBaseUrl { get; set; } = new("https://api.telegram.org/");

    /// <summary>Gets or sets how updates are received.</summary>
    /// <value>The default value is <see cref="TelegramIntakeMode.LongPolling"/>.</value>
    public TelegramIntakeMode Mode { get; set; } = TelegramIntakeMode.LongPolling;

    /// <summary>Gets or sets the webhook path under the host's webhook prefix (mapped as <c>/webhooks/{WebhookPath}</c>).</summary>
    /// <value>Letters, digits, <c>-</c>, <c>_</c> and <c>/</c>. The default value is <c>telegram</c>.</value>
    public string WebhookPath { get; set; } = "telegram";

    /// <summary>
    /// Gets or sets the secret Telegram sends in the <c>X-Telegram-Bot-Api-Secret-Token</c> header of every webhook request.
    /// Required in <see cref="TelegramIntakeMode.Webhook"/> mode.
    /// </summary>
    /// <value>1 to 256 characters <c>A-Z</c>, <c>a-z</c>, <c>0-9</c>, <c>_</c> and <c>-</c>.</value>
    public string? WebhookSecret { get; set; }

    /// <summary>Gets or sets the public https URL of the webhook; when set in webhook mode, <c>setWebhook</c> registers it (with the secret) at start.</summary>
    /// <value>The default value is <see langword="null"/> (register it yourself, for example with <see cref="ITelegramBot.SetWebhookAsync"/>).</value>
    public Uri? WebhookUrl { get; set; }

    /// <summary>Gets or sets the largest number of simultaneous webhook connections Telegram may open.</summary>
    /// <value>From 1 to 100. The default value is 40.</value>
    public int WebhookMaxConnections { get; set; } = 40;

    /// <summary>Gets or sets a value indicating whether a webhook left from another deployment is deleted when long polling starts (otherwise polling fails with 409 until it is deleted).</summary>
    /// <value>The default value is <see langword="false"/>.</value>
    public bool DeleteWebhookOnStart { get; set; }

    /// <summary>Gets or sets the long-polling timeout of <c>getUpdates</c>.</summary>
    /// <value>From 0 to 50 seconds. The default value is 25 seconds.</value>
    public TimeSpan PollingTimeout { get; set; } = TimeSpan.FromSeconds(25);

    /// <summary>Gets or sets the timeout of one Bot API request (a long poll waits <see cref="PollingTimeout"/> longer).</summary>
    /// <value>From 1 second to 5 minutes. The default value is 30 seconds.</value>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Gets or sets the largest file <see cref="ITelegramBot.DownloadFileAsync"/> accepts.</summary>
    /// <value>From 1 byte to 20 MB (the Bot API's download limit). The default value is 20 MB.</value>
    public long MaxDownloadBytes { get; set; } = MaxBotApiDownloadBytes;

    /// <summary>Gets or sets how many messages per second the bot sends into one chat (Telegram: about one).</summary>
    /// <value>From 0.01 to 30. The default value is 1.</value>
    public double MessagesPerSecondPerChat { get; set; } = 1;

    /// <summary>Gets or sets how many messages per second the bot sends overall (Telegram: about 30 without paid broadcasts).</summary>
    /// <value>From 1 to 1,000. The default value is 30.</value>
    public double MessagesPerSecond { get; set; } = 30;

    /// <summary>Gets or sets the parse mode of replies (<c>HTML</c>, <c>MarkdownV2</c>), or <see langword="null"/> for plain text.</summary>
    /// <value>The default value is <see langword="null"/>: texts go out exactly as written, nothing needs escaping.</value>
    public string? ParseMode { get; set; }

    /// <summary>Gets or sets a value indicating whether link previews are disabled in replies.</summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool DisableLinkPreviews { get; set; } = true;

    /// <summary>Gets or sets a value indicating whether a final answer carries an inline keyboard asking for a 1–5 rating.</summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool AskForRating { get; set; } = true;

    /// <summary>Gets or sets a value indicating whether the bot's menu commands (<c>/start</c>, <c>/status</c>) are registered with <c>setMyCommands</c> at start.</summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool RegisterCommandsOnStart { get; set; } = true;

    /// <summary>Gets or sets how many of the citizen's latest appeals <c>/status</c> lists.</summary>
    /// <value>From 1 to 50. The default value is 10.</value>
    public int StatusListLimit { get; set; } = 10;

    /// <summary>Gets the Russian texts the citizen sees from the bot itself (the appeal replies come from the core's reply templates).</summary>
    public TelegramTexts Texts { get; } = new();

    /// <summary>The Bot API's download limit: 20 MB.</summary>
    public const long MaxBotApiDownloadBytes = 20L * 1024 * 1024;
}

/// <summary>
/// The texts of the bot's own dialogue, bindable from <c>Telegram:Texts</c>. Placeholders: <c>{number}</c> (appeal number),
/// <c>{date}</c> (dd.MM.yyyy, local time of the host's <see cref="TimeProvider"/>), <c>{status}</c>.
/// </summary>
/// <remarks>The acknowledgement with the appeal number, answers and refusals are the core's reply templates (<c>Mcu:Templates</c>).</remarks>
public sealed class TelegramTexts
{
    /// <summary>Gets or sets the answer to <c>/start</c> (and to unknown commands): how to write an appeal.</summary>
    public string Start { get; set; } =
        "Здравствуйте! Это бот для обращений в администрацию города.\n\n" +
        "Опишите проблему: что случилось и где (адрес или ориентир). Можно приложить фото и отправить геопозицию — " +
        "всё, что вы пришлёте в течение нескольких минут, станет одним обращением.\n\n" +
        "В ответ придёт номер обращения, а потом — ответ ответственной службы, здесь же.\n" +
        "Команда /status покажет ваши обращения и их состояние.";

    /// <summary>Gets or sets the first line of the <c>/status</c> answer.</summary>
    public string StatusHeader { get; set; } = "Ваши обращения:";

    /// <summary>Gets or sets one line of the <c>/status</c> answer.</summary>
    public string StatusLine { get; set; } = "№ {number} от {date} — {status}";

    /// <summary>Gets or sets the <c>/status</c> answer when the citizen has no appeals.</summary>
    public string StatusEmpty { get; set; } = "У вас пока нет обращений. Опишите проблему — и мы его зарегистрируем.";

    /// <summary>Gets the names of the appeal statuses as the citizen sees them.</summary>
    public Dictionary<AppealStatus, string> StatusNames { get; } = new()
    {
        [AppealStatus.New] = "зарегистрировано",
        [AppealStatus.Routed] = "передано исполнителю",
        [AppealStatus.InProgress] = "в работе",
        [AppealStatus.AwaitingCitizen] = "ждём вашего уточнения",
        [AppealStatus.Answered] = "дан ответ",
        [AppealStatus.Closed] = "закрыто",
        [AppealStatus.Rejected] = "не относится к компетенции администрации",
        [AppealStatus.Reopened] = "возобновлено",
    };

    /// <summary>Gets or sets the question above the 1–5 rating keyboard of a final answer.</summary>
    public string RatingPrompt { get; set; } = "Оцените, пожалуйста, ответ от 1 до 5. Если проблема не решена, напишите «не решено».";

    /// <summary>Gets or sets the thanks for a rating.</summary>
    public string RatingThanks { get; set; } = "Спасибо за оценку!";

    /// <summary>Gets or sets the answer to a low rating that reopened the appeal.</summary>
    public string RatingReopened { get; set; } = "Спасибо за оценку. Обращение № {number} возобновлено — мы разберёмся и ответим здесь же.";

    /// <summary>Gets or sets the answer to a rating of an appeal already rated or not answered yet.</summary>
    public string RatingNotAccepted { get; set; } = "Оценка для этого ответа уже учтена или пока недоступна.";

    /// <summary>Gets or sets the answer to «не решено» that reopened the appeal.</summary>
    public string Reopened { get; set; } = "Обращение № {number} возобновлено — мы разберёмся и ответим здесь же.";

    /// <summary>Gets the citizen's replies (compared case-insensitively, without punctuation) that reopen the latest answered appeal.</summary>
    public List<string> NotResolvedReplies { get; } = ["не решено", "не решена", "проблема не решена", "не решили", "не исправлено"];

    /// <summary>Gets or sets the menu description of <c>/start</c>.</summary>
    public string StartCommandDescription { get; set; } = "Как написать обращение";

    /// <summary>Gets or sets the menu description of <c>/status</c>.</summary>
    public string StatusCommandDescription { get; set; } = "Мои обращения и их состояние";
}
