using System.Collections.Concurrent;
using System.Net;
using System.Text.Json.Nodes;
using Mcu.Sdk.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Mcu.Sdk.Channels.Telegram.Tests.TestSupport;

/// <summary>One call the fake received.</summary>
internal sealed record ApiCall(string Method, JsonObject Body, int Status);

/// <summary>A message the fake accepted (sendMessage, sendPhoto, sendDocument).</summary>
internal sealed record SentMessage(string Method, long ChatId, long? ThreadId, long? ReplyTo, string? Text, string? Caption, string? Media, JsonObject? ReplyMarkup, long MessageId)
{
    public string Shown => Text ?? Caption ?? string.Empty;
}

/// <summary>
/// A fake Telegram Bot API server on 127.0.0.1 (Kestrel, port 0) that speaks the documented JSON: the envelope, getUpdates with
/// offsets and long-poll waits, webhooks (409 for getUpdates while one is set), send methods, files, and the errors
/// (429 with retry_after, 5xx, 403 blocked, 400 migrate_to_chat_id, 401 for a wrong token).
/// </summary>
internal sealed class FakeBotApi : IAsyncDisposable
{
    public const string Token = "7000000001:AAHfakeSecretPartOfTheToken_0123456789";
    public const long BotId = 7000000001;

    private readonly WebApplication _app;
    private readonly Lock _gate = new();
    private readonly List<JsonObject> _updates = [];
    private readonly ConcurrentQueue<ApiCall> _calls = new();
    private readonly ConcurrentQueue<SentMessage> _sent = new();
    private readonly ConcurrentQueue<ChannelFault> _sendFaults = new();
    private readonly ConcurrentDictionary<string, ConcurrentQueue<(int Status, string Json)>> _scripts = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<long, long> _migrated = new();
    private readonly ConcurrentDictionary<long, string> _forbidden = new();
    private readonly ConcurrentDictionary<string, (byte[] Bytes, long? DeclaredSize)> _files = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _updateSignal = new(0);
    private TaskCompletionSource _pulse = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _nextMessageId = 1000;
    private int _sendAttempts;

    private FakeBotApi(WebApplication app) => _app = app;

    public Uri BaseUrl { get; private set; } = null!;

    public string? WebhookUrl { get; private set; }

    public string? WebhookSecret { get; private set; }

    public IReadOnlyList<ApiCall> Calls => _calls.ToArray();

    public IReadOnlyList<SentMessage> Sent => _sent.ToArray();

    public int SendAttempts => Volatile.Read(ref _sendAttempts);

    public IReadOnlyList<ApiCall> CallsOf(string method) => _calls.Where(c => c.Method == method).ToArray();

    public static async Task<FakeBotApi> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var fake = new FakeBotApi(app);
        app.MapPost("/bot{token}/{method}", (string token, string method, HttpContext context) => fake.HandleAsync(token, method, context));
        app.MapGet("/file/bot{token}/{**path}", (string token, string path, HttpContext context) => fake.DownloadAsync(token, path, context));
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        fake.BaseUrl = new Uri(address.TrimEnd('/') + "/");
        return fake;
    }

    /// <summary>Waits (real time, bounded) until a condition on the fake's state holds; re-checked after every call the fake answers.</summary>
    public async Task WaitForAsync(Func<FakeBotApi, bool> condition, TimeSpan timeout)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            var pulse = Volatile.Read(ref _pulse).Task;
            if (condition(this))
            {
                return;
            }

            var left = timeout - waited.Elapsed;
            if (left <= TimeSpan.Zero)
            {
                throw new TimeoutException($"The fake Bot API did not reach the expected state within {timeout}.");
            }

            try
            {
                await pulse.WaitAsync(left);
            }
            catch (TimeoutException)
            {
                // re-check once more, then fail above
            }
        }
    }

    /// <summary>Queues an update for getUpdates (and wakes a waiting long poll).</summary>
    public void EnqueueUpdate(JsonObject update)
    {
        lock (_gate)
        {
            _updates.Add(update);
            _updates.Sort((a, b) => ((long)a["update_id"]!).CompareTo((long)b["update_id"]!));
        }

        _updateSignal.Release();
    }

    public int PendingUpdates
    {
        get
        {
            lock (_gate)
            {
                return _updates.Count;
            }
        }
    }

    /// <summary>The next call of a method gets this answer instead of the normal one.</summary>
    public void Script(string method, int status, string json) =>
        _scripts.GetOrAdd(method, _ => new()).Enqueue((status, json));

    /// <summary>The next send requests fail (transient: 502; permanent: 400 chat not found; hang: no answer until aborted).</summary>
    public void FailSends(ChannelFault fault, int count = 1)
    {
        for (var i = 0; i < count; i++)
        {
            _sendFaults.Enqueue(fault);
        }
    }

    public void MigrateChat(long chatId, long supergroupId) => _migrated[chatId] = supergroupId;

    public void Forbid(long chatId, string description = "Forbidden: bot was blocked by the user") => _forbidden[chatId] = description;

    public void SetWebhook(string url) => WebhookUrl = url;

    public void AddFile(string fileId, byte[] bytes, long? declaredSize = null) => _files[fileId] = (bytes, declaredSize);

    private static IResult Json(int status, string json) => Results.Text(json, "application/json", statusCode: status);

    private static IResult Error(int code, string description, string? parameters = null) =>
        Json(code, $$"""{"ok":false,"error_code":{{code}},"description":"{{description}}"{{(parameters is null ? "" : ",\"parameters\":" + parameters)}}}""");

    private static IResult Ok(JsonNode? result) => Json(200, new JsonObject { ["ok"] = true, ["result"] = result }.ToJsonString());

    private async Task<IResult> HandleAsync(string token, string method, HttpContext context)
    {
        var body = await JsonNode.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted) as JsonObject ?? [];
        var result = await RespondAsync(token, method, body, context.RequestAborted);
        _calls.Enqueue(new ApiCall(method, body, result is IStatusCodeHttpResult { StatusCode: { } code } ? code : 200));
        Interlocked.Exchange(ref _pulse, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
        return result;
    }

    private async Task<IResult> RespondAsync(string token, string method, JsonObject body, CancellationToken aborted)
    {
        if (token != Token)
        {
            return Error(401, "Unauthorized");
        }

        var isSend = method is "sendMessage" or "sendPhoto" or "sendDocument";
        if (isSend)
        {
            Interlocked.Increment(ref _sendAttempts);
            if (_sendFaults.TryDequeue(out var fault))
            {
                switch (fault)
                {
                    case ChannelFault.Transient:
                        return Error(502, "Bad Gateway");
                    case ChannelFault.Permanent:
                        return Error(400, "Bad Request: chat not found");
                    default:
                        await Task.Delay(Timeout.InfiniteTimeSpan, aborted);
                        break;
                }
            }
        }

        if (_scripts.TryGetValue(method, out var script) && script.TryDequeue(out var scripted))
        {
            return Json(scripted.Status, scripted.Json);
        }

        switch (method)
        {
            case "getMe":
                return Ok(new JsonObject { ["id"] = BotId, ["is_bot"] = true, ["first_name"] = "Городской бот", ["username"] = "city_test_bot" });
            case "getUpdates":
                return await GetUpdatesAsync(body, aborted);
            case "setWebhook":
                WebhookUrl = (string?)body["url"];
                WebhookSecret = (string?)body["secret_token"];
                return Ok(true);
            case "deleteWebhook":
                WebhookUrl = null;
                WebhookSecret = null;
                return Ok(true);
            case "getWebhookInfo":
                return Ok(new JsonObject
                {
                    ["url"] = WebhookUrl ?? string.Empty,
                    ["has_custom_certificate"] = false,
                    ["pending_update_count"] = PendingUpdates,
                    ["last_error_date"] = 1718000000,
                    ["last_error_message"] = "Connection timed out",
                    ["allowed_updates"] = new JsonArray("message", "callback_query", "my_chat_member"),
                });
            case "setMyCommands":
            case "answerCallbackQuery":
                return Ok(true);
            case "getFile":
                var fileId = (string?)body["file_id"] ?? string.Empty;
                if (!_files.TryGetValue(fileId, out var file))
                {
                    return Error(400, "Bad Request: invalid file_id");
                }

                return Ok(new JsonObject
                {
                    ["file_id"] = fileId,
                    ["file_unique_id"] = "u" + fileId,
                    ["file_size"] = file.DeclaredSize ?? file.Bytes.Length,
                    ["file_path"] = "photos/" + fileId + ".jpg",
                });
            case "sendMessage" or "sendPhoto" or "sendDocument":
                return Send(method, body);
            default:
                return Error(404, "Not Found");
        }
    }

    private IResult Send(string method, JsonObject body)
    {
        var chatId = (long)body["chat_id"]!;
        if (_migrated.TryGetValue(chatId, out var supergroup))
        {
            return Error(400, "Bad Request: group chat was migrated to a supergroup chat", $$"""{"migrate_to_chat_id":{{supergroup}}}""");
        }

        if (_forbidden.TryGetValue(chatId, out var forbidden))
        {
            return Error(403, forbidden);
        }

        var text = (string?)body["text"];
        if (method == "sendMessage" && (string.IsNullOrEmpty(text) || text.Length > 4096))
        {
            return Error(400, "Bad Request: message text is empty or too long");
        }

        var caption = (string?)body["caption"];
        if (caption is { Length: > 1024 })
        {
            return Error(400, "Bad Request: message caption is too long");
        }

        var id = Interlocked.Increment(ref _nextMessageId);
        _sent.Enqueue(new SentMessage(
            method,
            chatId,
            (long?)body["message_thread_id"],
            (long?)body["reply_parameters"]?["message_id"],
            text,
            caption,
            (string?)body["photo"] ?? (string?)body["document"],
            body["reply_markup"] as JsonObject,
            id));
        return Ok(new JsonObject
        {
            ["message_id"] = id,
            ["date"] = 1718000000,
            ["chat"] = new JsonObject { ["id"] = chatId, ["type"] = chatId < 0 ? "supergroup" : "private" },
            ["text"] = text,
        });
    }

    private async Task<IResult> GetUpdatesAsync(JsonObject body, CancellationToken aborted)
    {
        if (!string.IsNullOrEmpty(WebhookUrl))
        {
            return Error(409, "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first");
        }

        var offset = (long?)body["offset"];
        var limit = (int?)body["limit"] ?? 100;
        var timeout = TimeSpan.FromSeconds((int?)body["timeout"] ?? 0);
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            JsonObject[] batch;
            lock (_gate)
            {
                if (offset is { } confirmedBelow)
                {
                    _updates.RemoveAll(u => (long)u["update_id"]! < confirmedBelow);
                }

                batch = _updates.Take(limit).Select(u => (JsonObject)u.DeepClone()).ToArray();
            }

            var left = timeout - waited.Elapsed;
            if (batch.Length > 0 || left <= TimeSpan.Zero)
            {
                return Ok(new JsonArray(batch));
            }

            await _updateSignal.WaitAsync(left, aborted);
        }
    }

    private async Task<IResult> DownloadAsync(string token, string path, HttpContext context)
    {
        if (token != Token)
        {
            return Results.StatusCode(401);
        }

        var fileId = Path.GetFileNameWithoutExtension(path);
        if (!_files.TryGetValue(fileId, out var file))
        {
            return Results.NotFound();
        }

        if (file.DeclaredSize is { } declared && declared < file.Bytes.Length)
        {
            // A file larger than getFile said: stream it chunked, without Content-Length, as a misbehaving server would.
            context.Response.ContentType = "image/jpeg";
            for (var offset = 0; offset < file.Bytes.Length; offset += 16 * 1024)
            {
                await context.Response.Body.WriteAsync(file.Bytes.AsMemory(offset, Math.Min(16 * 1024, file.Bytes.Length - offset)), context.RequestAborted);
                await context.Response.Body.FlushAsync(context.RequestAborted);
            }

            return Results.Empty;
        }

        return Results.Bytes(file.Bytes, "image/jpeg");
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _updateSignal.Dispose();
    }
}
