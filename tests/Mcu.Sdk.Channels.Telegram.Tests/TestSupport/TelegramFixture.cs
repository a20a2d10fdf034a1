using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;
using Mcu.Sdk.Channels.Telegram.Api;
using Mcu.Sdk.Channels.Telegram.Intake;
using Mcu.Sdk.Channels.Telegram.Replies;
using Mcu.Sdk.Classification;
using Mcu.Sdk.Replies;
using Mcu.Sdk.Storage;
using Mcu.Sdk.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Mcu.Sdk.Channels.Telegram.Tests.TestSupport;

/// <summary>The SDK with the Telegram channel against a <see cref="FakeBotApi"/>, on a manual clock, with captured logs.</summary>
internal sealed class TelegramFixture : IAsyncDisposable
{
    public const string Secret = "webhook-Secret_0123456789";

    private TelegramFixture(FakeBotApi api, ManualTimeProvider clock, CapturingLoggerProvider logs, ServiceProvider services)
    {
        Api = api;
        Clock = clock;
        Logs = logs;
        Services = services;
    }

    public FakeBotApi Api { get; }

    public ManualTimeProvider Clock { get; }

    public CapturingLoggerProvider Logs { get; }

    public ServiceProvider Services { get; }

    public IAppealDesk Desk => Services.GetRequiredService<IAppealDesk>();

    public IAppealStore Store => Services.GetRequiredService<IAppealStore>();

    public ICheckpointStore Checkpoints => Services.GetRequiredService<ICheckpointStore>();

    public TelegramBotClient Client => Services.GetRequiredService<TelegramBotClient>();

    public TelegramReplySender Sender => Services.GetRequiredService<TelegramReplySender>();

    public IWebhookHandler Webhook => Services.GetServices<IWebhookHandler>().Single(h => h.Channel == ChannelId.Telegram);

    public IChannelPoller Poller => Services.GetServices<IChannelPoller>().Single(p => p.Channel == ChannelId.Telegram);

    public ChannelPollingService Polling => Services.GetServices<IHostedService>().OfType<ChannelPollingService>().Single();

    public static async Task<TelegramFixture> StartAsync(
        TelegramIntakeMode mode = TelegramIntakeMode.Webhook,
        Action<TelegramChannelOptions>? configure = null,
        Action<IMcuBuilder>? configureMcu = null)
    {
        var api = await FakeBotApi.StartAsync();
        var clock = new ManualTimeProvider(new DateTimeOffset(2026, 3, 16, 7, 0, 0, TimeSpan.Zero));
        var logs = new CapturingLoggerProvider();
        var services = new ServiceCollection();
        services.AddLogging(b => b.SetMinimumLevel(LogLevel.Trace).AddProvider(logs));
        services.AddMcu(mcu =>
        {
            mcu.UseTimeProvider(clock)
                .UseClassifier(_ => new MarkerClassifier(TopicCode.Roads))
                .ConfigureDispatcher(o => o.RetryDelay = TimeSpan.FromSeconds(1))
                .AddTelegram(o =>
                {
                    o.BotToken = FakeBotApi.Token;
                    o.ApiBaseUrl = api.BaseUrl;
                    o.Mode = mode;
                    o.WebhookSecret = Secret;
                    o.PollingTimeout = TimeSpan.Zero;
                    configure?.Invoke(o);
                });
            configureMcu?.Invoke(mcu);
        });
        return new TelegramFixture(api, clock, logs, services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true }));
    }

    public static WebhookRequest Request(JsonObject update, string? secret = Secret) => Request(Encoding.UTF8.GetBytes(update.ToJsonString()), secret);

    public static WebhookRequest Request(byte[] body, string? secret = Secret)
    {
        var headers = new List<KeyValuePair<string, string>> { new("Content-Type", "application/json") };
        if (secret is not null)
        {
            headers.Add(new(TelegramWebhookHandler.SecretHeader, secret));
        }

        return new WebhookRequest(body, headers, "application/json");
    }

    public async Task<WebhookResponse> PostAsync(JsonObject update, string? secret = Secret) =>
        await DriveAsync(Webhook.HandleAsync(Request(update, secret)).AsTask());

    public async Task PostAllAsync(params JsonObject[] updates)
    {
        foreach (var update in updates)
        {
            var response = await PostAsync(update);
            Assert.Equal(200, response.StatusCode);
        }
    }

    public Task<int> PollOnceAsync() => DriveAsync(Polling.PollOnceAsync(Poller).AsTask());

    public Task<DispatchSummary> DispatchAsync() => DriveAsync(Services.GetRequiredService<IReplyDispatcher>().DispatchDueAsync().AsTask());

    public async Task<IReadOnlyList<Appeal>> AppealsAsync()
    {
        var appeals = new List<Appeal>();
        await foreach (var appeal in Store.QueryAsync(new AppealQuery { Channel = ChannelId.Telegram }))
        {
            appeals.Add(appeal);
        }

        return appeals;
    }

    /// <summary>Waits for an operation doing real I/O against the fake while moving the manual clock whenever the SDK waits on it.</summary>
    public async Task<T> DriveAsync<T>(Task<T> task)
    {
        var watch = Stopwatch.StartNew();
        while (!task.IsCompleted)
        {
            if (watch.Elapsed > TimeSpan.FromSeconds(20))
            {
                throw new TimeoutException("The operation did not complete within 20 s of real time.");
            }

            if (Clock.ActiveTimerCount > 0)
            {
                Clock.Advance(TimeSpan.FromMilliseconds(250));
            }

            await Task.Yield();
        }

        return await task;
    }

    public async Task DriveAsync(Task task) => await DriveAsync(task.ContinueWith(t => { t.GetAwaiter().GetResult(); return 0; }, TaskScheduler.Default));

    public async ValueTask DisposeAsync()
    {
        await Services.DisposeAsync();
        await Api.DisposeAsync();
        Logs.Dispose();
    }
}

/// <summary>Builds Bot API updates as the documented JSON.</summary>
internal static class Updates
{
    public const long CitizenId = 123456789;

    public static JsonObject PrivateChat(long id = CitizenId) => new() { ["id"] = id, ["type"] = "private", ["first_name"] = "Иван" };

    public static JsonObject Citizen(long id = CitizenId) => new() { ["id"] = id, ["is_bot"] = false, ["first_name"] = "Иван", ["last_name"] = "Петров", ["language_code"] = "ru" };

    public static JsonObject Message(long messageId, JsonObject? chat = null, long? from = null, long date = 1718000000)
    {
        chat ??= PrivateChat();
        return new JsonObject
        {
            ["message_id"] = messageId,
            ["from"] = Citizen(from ?? (long)chat["id"]!),
            ["chat"] = chat,
            ["date"] = date,
        };
    }

    public static JsonObject Update(long updateId, string kind, JsonNode payload) => new() { ["update_id"] = updateId, [kind] = payload };

    public static JsonObject Text(long updateId, long messageId, string text, JsonObject? chat = null, long? from = null)
    {
        var message = Message(messageId, chat, from);
        message["text"] = text;
        return Update(updateId, "message", message);
    }

    public static JsonObject Photo(long updateId, long messageId, string? caption, string fileStem, string? mediaGroup = null, JsonObject? chat = null)
    {
        var message = Message(messageId, chat);
        message["photo"] = new JsonArray(
            new JsonObject { ["file_id"] = fileStem + "-large", ["file_unique_id"] = "L" + fileStem, ["file_size"] = 98211, ["width"] = 1280, ["height"] = 960 },
            new JsonObject { ["file_id"] = fileStem + "-small", ["file_unique_id"] = "S" + fileStem, ["file_size"] = 1520, ["width"] = 90, ["height"] = 68 },
            new JsonObject { ["file_id"] = fileStem + "-medium", ["file_unique_id"] = "M" + fileStem, ["file_size"] = 21873, ["width"] = 320, ["height"] = 240 });
        if (caption is not null)
        {
            message["caption"] = caption;
        }

        if (mediaGroup is not null)
        {
            message["media_group_id"] = mediaGroup;
        }

        return Update(updateId, "message", message);
    }

    public static JsonObject Location(long updateId, long messageId, double latitude, double longitude)
    {
        var message = Message(messageId);
        message["location"] = new JsonObject { ["latitude"] = latitude, ["longitude"] = longitude, ["horizontal_accuracy"] = 25.0 };
        return Update(updateId, "message", message);
    }

    public static JsonObject ForumText(long updateId, long messageId, string text, long chatId = -1001234567890, long thread = 77, long from = 222333444)
    {
        var chat = new JsonObject { ["id"] = chatId, ["type"] = "supergroup", ["title"] = "Жители района", ["is_forum"] = true };
        var message = Message(messageId, chat, from);
        message["message_thread_id"] = thread;
        message["is_topic_message"] = true;
        message["text"] = text;
        return Update(updateId, "message", message);
    }

    public static JsonObject Callback(long updateId, string data, long from = CitizenId, string id = "4382bfdwdsb323b2d9")
    {
        var message = Message(1460, PrivateChat(from), from);
        message["text"] = "Оцените ответ";
        return Update(updateId, "callback_query", new JsonObject
        {
            ["id"] = id,
            ["from"] = Citizen(from),
            ["message"] = message,
            ["chat_instance"] = "-7365028471234567890",
            ["data"] = data,
        });
    }

    public static JsonObject MyChatMember(long updateId, string status, long chatId = CitizenId) =>
        Update(updateId, "my_chat_member", new JsonObject
        {
            ["chat"] = PrivateChat(chatId),
            ["from"] = Citizen(chatId),
            ["date"] = 1718000500,
            ["old_chat_member"] = new JsonObject { ["status"] = "member", ["user"] = Citizen(FakeBotApi.BotId) },
            ["new_chat_member"] = new JsonObject { ["status"] = status, ["user"] = Citizen(FakeBotApi.BotId) },
        });
}
