using System.Net;
using System.Text;
using Mcu.Sdk.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Mcu.Sdk.Channels.Vk.Tests.Hosting;

/// <summary>The VK Callback API end to end: Kestrel on 127.0.0.1 with <c>MapMcuWebhooks()</c> of <c>Mcu.Sdk.AspNetCore</c>.</summary>
public sealed class VkWebhookEndpointTests : IAsyncLifetime
{
    private FakeVkApi? _api;
    private WebApplication? _app;
    private Uri? _address;

    private FakeVkApi Api => _api!;

    public async Task InitializeAsync()
    {
        _api = await FakeVkApi.StartAsync();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        builder.Services.AddMcu(mcu => mcu
            .UseTimeProvider(new ManualTimeProvider(new DateTimeOffset(2026, 11, 16, 9, 0, 0, TimeSpan.Zero)))
            .UseClassifier(_ => new MarkerClassifier())
            .AddVk(o =>
            {
                o.GroupId = FakeVkApi.GroupId;
                o.AccessToken = FakeVkApi.CommunityToken;
                o.ApiBaseUrl = Api.BaseUrl;
                o.CallbackSecret = VkFixture.Secret;
                o.ConfirmationCode = "a1b2c3d4";
                o.ResolveAuthorNames = false;
            }));
        _app = builder.Build();
        _app.MapMcuWebhooks();
        await _app.StartAsync();
        var address = _app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        _address = new Uri(new Uri(address), "/webhooks/vk");
    }

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }

        if (_api is not null)
        {
            await _api.DisposeAsync();
        }
    }

    private async Task<(HttpStatusCode Status, string Body)> PostAsync(string body)
    {
        using var http = new HttpClient();
        using var content = new StringContent(body, Encoding.UTF8, "application/json");
        using var response = await http.PostAsync(_address, content);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Post_Confirmation_AnswersTheCodeAsPlainText()
    {
        var response = await PostAsync(VkEvents.Callback("confirmation", null));

        Assert.Equal(HttpStatusCode.OK, response.Status);
        Assert.Equal("a1b2c3d4", response.Body);
    }

    [Fact]
    public async Task Post_MessageNew_AnswersOkAfterTheAppealWasStoredAndTheHostDeliversTheAcknowledgementToTheDialog()
    {
        var response = await PostAsync(VkEvents.Callback("message_new", VkEvents.MessageNew(22757746, 1, "Не горит фонарь во дворе [topic:lighting]")));
        var stored = await _app!.Services.GetRequiredService<IAppealDesk>().GetRepliesAsync((await FirstAppealAsync()).Id);
        await Api.WaitForCallsAsync("messages.send", 1);

        Assert.Equal(HttpStatusCode.OK, response.Status);
        Assert.Equal("ok", response.Body);
        Assert.Single(stored);
        Assert.Equal(22757746, Assert.Single(Api.Messages).PeerId);
    }

    [Fact]
    public async Task Post_WrongSecret_Is401()
    {
        var response = await PostAsync(VkEvents.Callback("message_new", VkEvents.MessageNew(22757746, 2, "Яма"), secret: "wrong"));

        Assert.Equal(HttpStatusCode.Unauthorized, response.Status);
    }

    [Fact]
    public async Task Post_MalformedBody_Is400()
    {
        var response = await PostAsync("{\"type\":");

        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
    }

    private async Task<Appeal> FirstAppealAsync()
    {
        await foreach (var appeal in _app!.Services.GetRequiredService<Mcu.Sdk.Storage.IAppealStore>().QueryAsync(Mcu.Sdk.Storage.AppealQuery.All))
        {
            return appeal;
        }

        throw new InvalidOperationException("No appeal was stored.");
    }
}
