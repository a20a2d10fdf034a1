using Mcu.Sdk.Testing;
using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Mcu.Sdk.Channels.Telegram.Intake;
using Mcu.Sdk.Channels.Telegram.Tests.TestSupport;
using Mcu.Sdk.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Mcu.Sdk.Channels.Telegram.Tests;

[CollectionDefinition(nameof(SkippedCounterTests), DisableParallelization = true)]
public sealed class SkippedCounterTests;

/// <summary>The Telegram webhook handler, and the webhook end to end through <c>MapMcuWebhooks()</c> on a test server.</summary>
[Collection(nameof(SkippedCounterTests))]
public sealed class WebhookTests
{
    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("webhook-Secret_0123456788")]
    [InlineData("webhook-Secret_01234567890")]
    public async Task HandleAsync_MissingOrWrongSecret_401AndNothingStored(string? secret)
    {
        await using var f = await TelegramFixture.StartAsync();

        var response = await f.PostAsync(Updates.Text(1, 10, "Яма"), secret);

        Assert.Equal(401, response.StatusCode);
        Assert.Empty(await f.AppealsAsync());
        Assert.Empty(f.Api.Calls);
    }

    [Theory]
    [InlineData("{not json")]
    [InlineData("")]
    [InlineData("[1,2,3]")]
    [InlineData("{\"message\":{\"message_id\":1,\"chat\":{\"id\":1,\"type\":\"private\"},\"date\":1,\"text\":\"нет update_id\"}}")]
    [InlineData("{\"update_id\":\"один\"}")]
    public async Task HandleAsync_MalformedBody_400AndNothingStored(string body)
    {
        await using var f = await TelegramFixture.StartAsync();

        var response = await f.Webhook.HandleAsync(TelegramFixture.Request(Encoding.UTF8.GetBytes(body)));

        Assert.Equal(400, response.StatusCode);
        Assert.Empty(await f.AppealsAsync());
    }

    [Fact]
    public async Task HandleAsync_UnknownUpdateKinds_200SkippedAndCounted()
    {
        await using var f = await TelegramFixture.StartAsync();
        var skipped = new List<string>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == McuDiagnostics.Name && instrument.Name == "mcu.inbound.skipped")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, _, tags, _) =>
        {
            var values = tags.ToArray();
            if (values.Any(t => t.Key == "channel" && (string?)t.Value == "telegram"))
            {
                lock (skipped)
                {
                    skipped.Add((string)values.Single(t => t.Key == "reason").Value!);
                }
            }
        });
        listener.Start();

        var poll = await f.PostAsync(Updates.Update(1, "poll", new JsonObject { ["id"] = "p1", ["question"] = "?" }));
        var edited = await f.PostAsync(Updates.Update(2, "edited_message", Updates.Message(5)));
        var sticker = Updates.Message(6);
        sticker["sticker"] = new JsonObject { ["file_id"] = "st", ["type"] = "regular" };
        var stickerResponse = await f.PostAsync(Updates.Update(3, "message", sticker));

        Assert.Equal([200, 200, 200], new[] { poll.StatusCode, edited.StatusCode, stickerResponse.StatusCode });
        Assert.Empty(await f.AppealsAsync());
        lock (skipped)
        {
            Assert.Equal(["unknown_update_kind", "edited_message", "unsupported_message_kind"], skipped);
        }
    }

    [Fact]
    public async Task HandleAsync_DuplicateUpdateId_OneAppealOneAcknowledgement()
    {
        await using var f = await TelegramFixture.StartAsync();
        var update = Updates.Text(873451201, 1452, "Яма на дороге у дома 5 по ул. Ленина");

        Assert.Equal(200, (await f.PostAsync(update)).StatusCode);
        Assert.Equal(200, (await f.PostAsync(update)).StatusCode);
        await f.DispatchAsync();

        var appeal = Assert.Single(await f.AppealsAsync());
        Assert.Single(appeal.Messages);
        Assert.Equal("123456789:1452", appeal.ExternalId);
        Assert.Single(f.Api.Sent);
    }

    [Fact]
    public async Task HandleAsync_LongPollingMode_404()
    {
        await using var f = await TelegramFixture.StartAsync(TelegramIntakeMode.LongPolling);

        var response = await f.PostAsync(Updates.Text(1, 10, "Яма"));

        Assert.Equal(404, response.StatusCode);
        Assert.Equal("telegram", f.Webhook.Path);
    }

    [Fact]
    public async Task MapMcuWebhooks_TelegramEndToEnd_AnswersPerTheContract()
    {
        await using var api = await FakeBotApi.StartAsync();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders();
        builder.Services.Configure<AspNetCore.McuWebhookOptions>(o => o.MaxBodySize = 64 * 1024);
        builder.Services.AddMcu(mcu => mcu
            .UseClassifier(_ => new MarkerClassifier(Mcu.Sdk.Classification.TopicCode.Roads))
            .AddTelegram(o =>
            {
                o.BotToken = FakeBotApi.Token;
                o.ApiBaseUrl = api.BaseUrl;
                o.Mode = TelegramIntakeMode.Webhook;
                o.WebhookSecret = TelegramFixture.Secret;
                o.RegisterCommandsOnStart = false;
            }));
        await using var app = builder.Build();
        app.MapMcuWebhooks();
        await app.StartAsync();
        using var client = app.GetTestClient();

        async Task<HttpStatusCode> PostAsync(string body, string? secret = TelegramFixture.Secret)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/webhooks/telegram") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
            if (secret is not null)
            {
                request.Headers.Add(TelegramWebhookHandler.SecretHeader, secret);
            }

            using var response = await client.SendAsync(request);
            return response.StatusCode;
        }

        var update = Updates.Text(11, 20, "Не горит фонарь у подъезда").ToJsonString();
        Assert.Equal(HttpStatusCode.Unauthorized, await PostAsync(update, "wrong"));
        Assert.Equal(HttpStatusCode.Unauthorized, await PostAsync(update, secret: null));
        Assert.Equal(HttpStatusCode.BadRequest, await PostAsync("{\"update_id\":"));
        Assert.Equal(HttpStatusCode.BadRequest, await PostAsync("{\"update_id\":12,\"message\":{\"text\":\"" + new string('я', 70_000) + "\"}}"));
        Assert.Equal(HttpStatusCode.OK, await PostAsync(update));
        Assert.Equal(HttpStatusCode.OK, await PostAsync(update));

        var store = app.Services.GetRequiredService<Storage.IAppealStore>();
        var appeals = new List<Appeal>();
        await foreach (var appeal in store.QueryAsync(new Storage.AppealQuery { Channel = ChannelId.Telegram }))
        {
            appeals.Add(appeal);
        }

        Assert.Equal("Не горит фонарь у подъезда", Assert.Single(appeals).Text);
        using var get = await client.GetAsync(new Uri("/webhooks/telegram", UriKind.Relative));
        Assert.Equal(HttpStatusCode.MethodNotAllowed, get.StatusCode);
        await app.StopAsync();
    }
}
