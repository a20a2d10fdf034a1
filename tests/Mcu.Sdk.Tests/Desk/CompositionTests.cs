using System.Text;
using Mcu.Sdk.Channels;
using Mcu.Sdk.Routing;
using Mcu.Sdk.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Mcu.Sdk.Tests.Desk;

public sealed class CompositionTests
{
    private const string Json = """
        {
          "Mcu": {
            "Routing": {
              "Rules": [ { "Name": "gas leaks", "Keywords": [ "газ" ], "Unit": "city-economy" } ]
            },
            "Sla": { "FirstAnswer": "02:00:00", "Rules": [ { "Name": "pos", "Channels": [ "pos" ], "FirstAnswer": "1.00:00:00" } ] },
            "Templates": { "Acknowledgement": "Обращение № {number} принято." },
            "Desk": { "MaxTextLength": 5000 }
          }
        }
        """;

    [Fact]
    public async Task AddMcu_ConfigureFromJson_BindsRulesTemplatesAndSla()
    {
        var configuration = new ConfigurationBuilder().AddJsonStream(new MemoryStream(Encoding.UTF8.GetBytes(Json))).Build();
        var clock = new ManualTimeProvider();
        var services = new ServiceCollection();
        services.AddMcu(mcu => mcu.Configure(configuration.GetSection("Mcu")).UseTimeProvider(clock).UseClassifier(_ => new MarkerClassifier()));
        await using var provider = services.BuildServiceProvider();

        var routing = provider.GetRequiredService<IOptions<RoutingOptions>>().Value;
        Assert.Equal("gas leaks", Assert.Single(routing.Rules).Name);
        var desk = provider.GetRequiredService<IAppealDesk>();
        var pos = (await desk.IngestAsync(new InboundMessage(ChannelId.Pos, "p1", "p1", new Author("1"), "[topic:utilities] пахнет газом", clock.GetUtcNow()))).Appeal;
        Assert.Equal("city-economy", pos.UnitId);
        // The rule's target keeps the operational clock's measure: 24 business hours from Monday 12 Jan 2026 09:00 UTC (12:00 Moscow)
        // are Monday 12:00–18:00 (5 h), Tuesday to Wednesday (16 h) and 3 h of Thursday: Thursday 15 Jan 12:00 Moscow time.
        Assert.Equal(new DateTimeOffset(2026, 1, 15, 12, 0, 0, TimeSpan.FromHours(3)), pos.Deadlines!.FirstAnswerDue);
        Assert.Equal("pos", pos.Deadlines.RuleName);
        Assert.Equal(TimeSpan.FromHours(2), provider.GetRequiredService<IOptions<Mcu.Sdk.Sla.SlaOptions>>().Value.FirstAnswer);
        Assert.Equal($"Обращение № {pos.Number} принято.", (await desk.GetRepliesAsync(pos.Id))[0].Text);
    }

    [Fact]
    public async Task Host_InvalidOptions_FailsAtStartWithClearMessage()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddMcu(mcu => mcu.ConfigureRouting(o => o.Rules.Add(new RoutingRule { Name = "broken", Unit = "no-such-unit" })));
        using var host = builder.Build();
        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());
        Assert.Contains("Routing rule broken sends to unknown unit 'no-such-unit'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Host_LoopbackChannel_PolledIntoTheDeskAndAnsweredByTheDispatcherService()
    {
        var loopback = new LoopbackChannel();
        var clock = new ManualTimeProvider();
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddMcu(mcu => mcu.AddLoopbackChannel(loopback).UseTimeProvider(clock).UseClassifier(_ => new MarkerClassifier())
            .ConfigureDispatcher(o => o.PollInterval = TimeSpan.FromMilliseconds(20)));
        builder.Services.Configure<ChannelPollingOptions>(o => o.IdleDelay = TimeSpan.FromMilliseconds(20));
        using var host = builder.Build();
        await host.StartAsync();
        try
        {
            loopback.Enqueue(new InboundMessage(ChannelId.Loopback, "1", "chat", new Author("1", "Анна"), "[topic:roads] яма", DateTimeOffset.UnixEpoch));

            // The background services wait on the manual clock: move it until they have done their work. The bound is on
            // the processor's time, not on a number of steps: on a busy machine the services' threads may get no processor
            // during many thousand steps of the test's own thread.
            var bound = System.Diagnostics.Stopwatch.StartNew();
            while (loopback.Delivered.Count == 0 && bound.Elapsed < TimeSpan.FromSeconds(60))
            {
                clock.Advance(TimeSpan.FromMilliseconds(20));
                await Task.Yield();
            }

            var delivered = Assert.Single(loopback.Delivered);
            Assert.Contains("Анна", delivered.Message.Text, StringComparison.Ordinal);
            Assert.Equal("1", await host.Services.GetRequiredService<Mcu.Sdk.Storage.ICheckpointStore>().GetCheckpointAsync(loopback.CheckpointKey));
        }
        finally
        {
            await host.StopAsync();
        }
    }

    [Fact]
    public void AddMcu_Twice_RegistersOnce()
    {
        var services = new ServiceCollection();
        services.AddMcu();
        var count = services.Count;
        services.AddMcu();
        Assert.Equal(count, services.Count);
    }

    [Fact]
    public void AddMcu_NullServices_Throws() =>
        Assert.Throws<ArgumentNullException>(() => McuServiceCollectionExtensions.AddMcu(null!));
}
