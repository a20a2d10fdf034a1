using System.Collections.Concurrent;
using System.Net;
using System.Text;
using Mcu.Sdk.Channels;
using Mcu.Sdk.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Mcu.Sdk.AspNetCore.Tests;

public sealed class WebhookEndpointTests
{
    /// <summary>A handler that records requests and answers what the test says.</summary>
    private sealed class RecordingHandler(string path, ChannelId channel) : IWebhookHandler
    {
        public ConcurrentQueue<WebhookRequest> Requests { get; } = new();

        public Func<WebhookRequest, WebhookResponse> Respond { get; set; } = _ => WebhookResponse.Ok;

        public ChannelId Channel { get; } = channel;

        public string Path { get; } = path;

        public ValueTask<WebhookResponse> HandleAsync(WebhookRequest request, CancellationToken cancellationToken = default)
        {
            Requests.Enqueue(request);
            return ValueTask.FromResult(Respond(request));
        }
    }

    private static async Task<(WebApplication App, HttpClient Client, CapturingLoggerProvider Logs)> StartAsync(
        IWebhookHandler[] handlers, string prefix = "/webhooks", long? maxBodySize = null)
    {
        var logs = new CapturingLoggerProvider();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders().SetMinimumLevel(LogLevel.Trace).AddProvider(logs);
        foreach (var handler in handlers)
        {
            builder.Services.AddSingleton(handler);
        }

        if (maxBodySize is { } max)
        {
            builder.Services.Configure<McuWebhookOptions>(o => o.MaxBodySize = max);
        }

        var app = builder.Build();
        app.MapMcuWebhooks(prefix);
        await app.StartAsync();
        return (app, app.GetTestClient(), logs);
    }

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    [Fact]
    public async Task Post_Accepted_HandlerGetsTheBodyHeadersAndContentType()
    {
        var handler = new RecordingHandler("telegram", ChannelId.Telegram) { Respond = _ => new WebhookResponse(200, "ok") };
        var (app, client, _) = await StartAsync([handler]);
        await using (app)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/webhooks/telegram") { Content = Json("{\"update_id\":1}") };
            request.Headers.Add("X-Telegram-Bot-Api-Secret-Token", "s3cr3t");

            using var response = await client.SendAsync(request);

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("ok", await response.Content.ReadAsStringAsync());
            var received = Assert.Single(handler.Requests);
            Assert.Equal("{\"update_id\":1}", Encoding.UTF8.GetString(received.Body.Span));
            Assert.Equal("s3cr3t", received.GetHeader("x-telegram-bot-api-secret-token"));
            Assert.StartsWith("application/json", received.ContentType, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Post_HandlerAnswers_WrittenAsIs()
    {
        var handler = new RecordingHandler("vk", ChannelId.Vk)
        {
            Respond = r => r.GetHeader("X-Secret") == "right" ? new WebhookResponse(200, "1a2b3c") : WebhookResponse.Unauthorized,
        };
        var (app, client, _) = await StartAsync([handler]);
        await using (app)
        {
            using var wrong = await client.PostAsync(new Uri("/webhooks/vk", UriKind.Relative), Json("{}"));
            using var request = new HttpRequestMessage(HttpMethod.Post, "/webhooks/vk") { Content = Json("{}") };
            request.Headers.Add("X-Secret", "right");
            using var right = await client.SendAsync(request);

            Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
            Assert.Equal("unauthorized", await wrong.Content.ReadAsStringAsync());
            Assert.Equal(HttpStatusCode.OK, right.StatusCode);
            Assert.Equal("1a2b3c", await right.Content.ReadAsStringAsync());
            Assert.Equal("text/plain; charset=utf-8", right.Content.Headers.ContentType?.ToString());
        }
    }

    [Fact]
    public async Task Post_OversizeBody_400AndTheHandlerIsNotCalled()
    {
        var handler = new RecordingHandler("telegram", ChannelId.Telegram);
        var (app, client, logs) = await StartAsync([handler], maxBodySize: 2048);
        await using (app)
        {
            using var declared = await client.PostAsync(new Uri("/webhooks/telegram", UriKind.Relative), Json(new string('x', 4096)));
            var chunked = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(new string('y', 4096))));
            chunked.Headers.ContentLength = null;
            using var undeclared = await client.PostAsync(new Uri("/webhooks/telegram", UriKind.Relative), chunked);
            using var fits = await client.PostAsync(new Uri("/webhooks/telegram", UriKind.Relative), Json(new string('z', 2048)));

            Assert.Equal(HttpStatusCode.BadRequest, declared.StatusCode);
            Assert.Equal(HttpStatusCode.BadRequest, undeclared.StatusCode);
            Assert.Equal(HttpStatusCode.OK, fits.StatusCode);
            Assert.Equal(2048, Assert.Single(handler.Requests).Body.Length);
            Assert.Equal(2, logs.Entries.Count(e => e.EventId.Id == 200));
        }
    }

    [Fact]
    public async Task Post_DefaultLimit_OneMebibyte()
    {
        var handler = new RecordingHandler("telegram", ChannelId.Telegram);
        var (app, client, _) = await StartAsync([handler]);
        await using (app)
        {
            using var atLimit = await client.PostAsync(new Uri("/webhooks/telegram", UriKind.Relative), new ByteArrayContent(new byte[1024 * 1024]));
            using var over = await client.PostAsync(new Uri("/webhooks/telegram", UriKind.Relative), new ByteArrayContent(new byte[(1024 * 1024) + 1]));

            Assert.Equal(HttpStatusCode.OK, atLimit.StatusCode);
            Assert.Equal(HttpStatusCode.BadRequest, over.StatusCode);
        }
    }

    [Fact]
    public async Task Post_HandlerThrows_500AndLogged()
    {
        var handler = new RecordingHandler("telegram", ChannelId.Telegram) { Respond = _ => throw new InvalidOperationException("The database is unavailable.") };
        var (app, client, logs) = await StartAsync([handler]);
        await using (app)
        {
            using var response = await client.PostAsync(new Uri("/webhooks/telegram", UriKind.Relative), Json("{}"));

            Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
            Assert.Equal("internal error", await response.Content.ReadAsStringAsync());
            var entry = Assert.Single(logs.Entries, e => e.EventId.Id == 201);
            Assert.Equal(LogLevel.Error, entry.Level);
            Assert.IsType<InvalidOperationException>(entry.Exception);
        }
    }

    [Fact]
    public async Task MapMcuWebhooks_SeveralHandlersAndAPrefix_EachMapped()
    {
        var telegram = new RecordingHandler("telegram", ChannelId.Telegram);
        var vk = new RecordingHandler("/vk/callback/", ChannelId.Vk);
        var (app, client, _) = await StartAsync([telegram, vk], prefix: "/hooks/");
        await using (app)
        {
            using var first = await client.PostAsync(new Uri("/hooks/telegram", UriKind.Relative), Json("{}"));
            using var second = await client.PostAsync(new Uri("/hooks/vk/callback", UriKind.Relative), Json("{}"));
            using var unknown = await client.PostAsync(new Uri("/hooks/ok", UriKind.Relative), Json("{}"));
            using var get = await client.GetAsync(new Uri("/hooks/telegram", UriKind.Relative));

            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
            Assert.Equal(HttpStatusCode.OK, second.StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
            Assert.Equal(HttpStatusCode.MethodNotAllowed, get.StatusCode);
            Assert.Single(telegram.Requests);
            Assert.Single(vk.Requests);
        }
    }

    [Fact]
    public async Task MapMcuWebhooks_BadSetup_ThrowsClearly()
    {
        await using var empty = WebApplication.CreateSlimBuilder().Build();
        var none = Assert.Throws<InvalidOperationException>(() => empty.MapMcuWebhooks());
        Assert.Contains("No IWebhookHandler is registered", none.Message, StringComparison.Ordinal);

        var builder = WebApplication.CreateSlimBuilder();
        builder.Services.AddSingleton<IWebhookHandler>(new RecordingHandler("telegram", ChannelId.Telegram));
        builder.Services.AddSingleton<IWebhookHandler>(new RecordingHandler("Telegram/", ChannelId.Vk));
        await using var duplicate = builder.Build();
        Assert.Contains("share the path", Assert.Throws<InvalidOperationException>(() => duplicate.MapMcuWebhooks()).Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => duplicate.MapMcuWebhooks("webhooks"));
        Assert.Throws<ArgumentNullException>(() => McuWebhookEndpointRouteBuilderExtensions.MapMcuWebhooks(null!));

        var limited = WebApplication.CreateSlimBuilder();
        limited.Services.AddSingleton<IWebhookHandler>(new RecordingHandler("telegram", ChannelId.Telegram));
        limited.Services.Configure<McuWebhookOptions>(o => o.MaxBodySize = 10);
        await using var tooSmall = limited.Build();
        Assert.Contains("MaxBodySize", Assert.Throws<InvalidOperationException>(() => tooSmall.MapMcuWebhooks()).Message, StringComparison.Ordinal);
    }
}
