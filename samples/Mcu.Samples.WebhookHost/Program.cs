using Mcu.Sdk;
using Mcu.Sdk.Channels.Telegram;

// The Mcu.Sdk webhook host: the Telegram bot by webhook, with the desk on in-memory defaults.
//
//   TELEGRAM__TOKEN=123456789:AA... TELEGRAM__WEBHOOKSECRET=long-random-secret \
//   TELEGRAM__WEBHOOKURL=https://mcu.example.ru/webhooks/telegram dotnet run --project samples/Mcu.Samples.WebhookHost
//
// With --api-base http://127.0.0.1:8081/ (a fake or self-hosted Bot API server) the token and secret default to
// local development values.

// ---- 1. Configuration: appsettings.json, environment (TELEGRAM__TOKEN), command line (--api-base URL).
var builder = WebApplication.CreateBuilder(args);
var apiBase = builder.Configuration["api-base"];
var token = builder.Configuration["Telegram:Token"] ?? builder.Configuration["Telegram:BotToken"];
var secret = builder.Configuration["Telegram:WebhookSecret"];
if (string.IsNullOrWhiteSpace(token) || string.IsNullOrWhiteSpace(secret))
{
    if (apiBase is null)
    {
        Console.Error.WriteLine(
            "Mcu.Samples.WebhookHost: the Telegram bot token and webhook secret are not configured.\n" +
            "  Set Telegram:Token (environment TELEGRAM__TOKEN, the token from @BotFather) and Telegram:WebhookSecret\n" +
            "  (TELEGRAM__WEBHOOKSECRET: 1-256 characters A-Z a-z 0-9 _ -), or pass --api-base URL to run against a fake\n" +
            "  or self-hosted Bot API server with development defaults. See samples/README.md.");
        return 1;
    }

    token ??= "123456789:local-development-token";
    secret ??= "local-development-secret";
}

if (apiBase is not null && !Uri.TryCreate(apiBase, UriKind.Absolute, out _))
{
    Console.Error.WriteLine($"Mcu.Samples.WebhookHost: --api-base must be an absolute URL; got '{apiBase}'.");
    return 1;
}

// ---- 2. The SDK: in-memory store, the Telegram channel in webhook mode, health checks.
builder.Services.AddMcu(mcu => mcu
    .Configure(builder.Configuration.GetSection("Mcu"))
    .AddTelegram(builder.Configuration.GetSection("Telegram"), telegram =>
    {
        telegram.BotToken = token;
        telegram.WebhookSecret = secret;
        telegram.Mode = TelegramIntakeMode.Webhook;
        if (apiBase is not null)
        {
            telegram.ApiBaseUrl = new Uri(apiBase);
        }
    }));

// The VK community by Callback API (POST /webhooks/vk) when a "Vk" section is configured: VK__GROUPID, VK__ACCESSTOKEN,
// VK__CALLBACKSECRET, VK__CONFIRMATIONCODE (and Vk:ApiBaseUrl for a fake VK API). See docs/vk.md.
var vk = builder.Configuration.GetSection("Vk");
if (vk.Exists())
{
    builder.Services.AddMcu(mcu => mcu.AddVk(o => vk.Bind(o)));
}

builder.Services.AddHealthChecks().AddMcuHealthChecks();

// ---- 3. Endpoints: POST /webhooks/telegram, GET /health, and POST /bare (an empty 200, the baseline for load tests).
var app = builder.Build();
app.MapMcuWebhooks();
app.MapHealthChecks("/health");
app.MapPost("/bare", () => Results.Ok());
app.MapGet("/", () => Results.Text("Mcu.Sdk webhook host: POST /webhooks/telegram, GET /health\n"));

try
{
    await app.RunAsync();
}
catch (Microsoft.Extensions.Options.OptionsValidationException ex)
{
    Console.Error.WriteLine("Mcu.Samples.WebhookHost: invalid configuration: " + string.Join(" ", ex.Failures));
    return 1;
}

return 0;
