using Mcu.Sdk.Testing;
using System.Text;
using Mcu.Sdk.Sla;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Mcu.Sdk.Tests.Sla;

/// <summary>Profiles, calendars and rules bound from JSON, merged with the built-in profiles, and validated.</summary>
public sealed class SlaOptionsTests
{
    private const string CityJson = """
        {
          "Mcu": {
            "Sla": {
              "DefaultProfile": "operational",
              "Calendars": {
                "default": { "TimeZoneId": "Asia/Vladivostok", "Schedule": { "Friday": { "End": "16:45", "LunchEnd": "13:48" } } },
                "duty": { "TimeZoneId": "Asia/Vladivostok", "AroundTheClock": true }
              },
              "Profiles": {
                "operational": { "Timers": [ { "Kind": "FirstAnswer", "Target": "02:00:00" } ] },
                "official": {
                  "BasedOn": "legal-59fz",
                  "ManualRegistration": false,
                  "Escalations": [
                    { "Percent": 70, "Audience": "unit-head" },
                    { "Percent": 100, "Audience": "centre-head" },
                    { "Percent": 120, "Audience": "regional-centre", "Timers": [ "Resolution" ] }
                  ]
                },
                "utilities-emergency": {
                  "Calendar": "duty",
                  "Timers": [
                    { "Kind": "FirstAnswer", "Target": "00:30:00", "Mode": "AroundTheClock" },
                    { "Kind": "Resolution", "Target": "1.00:00:00", "Mode": "AroundTheClock" }
                  ]
                }
              },
              "Rules": [
                { "Name": "emergency", "Urgent": true, "Topics": [ "utilities" ], "Profile": "utilities-emergency" },
                { "Name": "official", "Channels": [ "pos" ], "Profile": "official" }
              ],
              "Notices": { "Forwarding": "Передано: {recipient}." }
            }
          }
        }
        """;

    [Fact]
    public void Configure_CityJson_MergesBuiltInProfilesAndBindsCalendars()
    {
        using var provider = Provider(CityJson);
        var engine = provider.GetRequiredService<SlaEngine>();

        // operational: only the first-answer target changed; the next answer, the resolution and the ladder are the built-in ones.
        var operational = engine.GetProfile("operational");
        Assert.Equal(TimeSpan.FromHours(2), operational.Timers.Single(t => t.Kind == SlaTimerKind.FirstAnswer).Target);
        Assert.Equal(SlaTimeMode.AroundTheClock, operational.Timers.Single(t => t.Kind == SlaTimerKind.FirstAnswer).UrgentMode);
        Assert.Equal(TimeSpan.FromHours(4), operational.Timers.Single(t => t.Kind == SlaTimerKind.NextAnswer).Target);
        Assert.Equal([50.0, 80, 100, 150], operational.Escalations.Select(e => e.Percent));

        // official: the legal clocks with automatic registration and its own ladder.
        var official = engine.GetProfile("official");
        Assert.Equal([SlaTimerKind.Registration, SlaTimerKind.Forwarding, SlaTimerKind.Resolution], official.Timers.Select(t => t.Kind));
        Assert.False(official.ManualRegistration);
        Assert.Equal(1, official.MaxExtensions);
        Assert.Equal(["unit-head", "centre-head", "regional-centre"], official.Escalations.Select(e => e.EffectiveName));
        Assert.Equal([SlaTimerKind.Resolution], official.Escalations[2].Timers);

        Assert.Equal("Asia/Vladivostok", engine.DefaultCalendar.TimeZone.Id);
        Assert.True(engine.GetCalendar("duty").IsAroundTheClock);
        Assert.Contains("utilities-emergency", engine.ProfileNames);
        Assert.Contains("legal-59fz", engine.ProfileNames);
    }

    [Fact]
    public async Task Configure_CityJson_DeskUsesTheCityPolicy()
    {
        using var provider = Provider(CityJson);
        var desk = provider.GetRequiredService<IAppealDesk>();

        // Friday 20 Feb 2026, 15:00 in Vladivostok (05:00Z): the city's Friday ends at 16:45 with lunch until 13:48, so the two business
        // hours are 15:00–16:45 and Tuesday 24 Feb 09:00–09:15 (Monday 23 Feb is a holiday).
        var at = new DateTimeOffset(2026, 2, 20, 5, 0, 0, TimeSpan.Zero);
        var social = (await desk.IngestAsync(new InboundMessage(ChannelId.Vk, "v1", "v1", new Author("1"), "[topic:roads] яма", at))).Appeal;
        Assert.Equal(new DateTimeOffset(2026, 2, 24, 9, 15, 0, TimeSpan.FromHours(10)), social.Deadlines!.FirstAnswerDue);

        var emergency = (await desk.IngestAsync(new InboundMessage(ChannelId.Vk, "v2", "v2", new Author("2"), "[topic:utilities] [urgent] нет отопления", at))).Appeal;
        Assert.Equal(("utilities-emergency", "emergency"), (emergency.Deadlines!.PolicyName, emergency.Deadlines.RuleName));
        Assert.Equal(at.AddMinutes(30), emergency.Deadlines.FirstAnswerDue);
        Assert.Equal(at.AddDays(1), emergency.Deadlines.ResolutionDue);

        var official = (await desk.IngestAsync(new InboundMessage(ChannelId.Pos, "p1", "p1", new Author("3"), "[topic:roads] яма", at))).Appeal;
        Assert.Equal("official", official.Deadlines!.PolicyName);
        Assert.Equal(at, official.RegisteredAt); // registered on acceptance in this city

        var forwarded = await desk.ForwardAsync(official.Id, new AppealForwarding("Министерство транспорта края"), "operator");
        Assert.Contains("Передано: Министерство транспорта края.", (await desk.GetRepliesAsync(forwarded.Id)).Single(r => r.Kind == ReplyKind.Notice).Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_BadOptions_ListsEveryProblemWithItsSetting()
    {
        var options = new SlaOptions { WarningThreshold = 1.5, DefaultProfile = "nope", FirstAnswer = TimeSpan.Zero };
        options.Calendars["far-east"] = new BusinessCalendarOptions { TimeZoneId = "Mars/Olympus" };
        var broken = new SlaProfile { BasedOn = "legal-59fz", MaxExtensions = 11, Calendar = "unknown" };
        broken.Timers.Add(new SlaTimerOptions { Kind = SlaTimerKind.Resolution, Target = TimeSpan.FromHours(30) });
        broken.Timers.Add(new SlaTimerOptions { Kind = SlaTimerKind.Registration, From = SlaAnchor.Registration });
        broken.Escalations.Add(new SlaEscalationStep { Percent = 0, Audience = "unit" });
        broken.Escalations.Add(new SlaEscalationStep { Percent = 90, Audience = "unit" });
        options.Profiles["broken"] = broken;
        var empty = new SlaProfile();
        empty.Timers.Add(new SlaTimerOptions { Kind = SlaTimerKind.NextAnswer });
        options.Profiles["empty"] = empty;
        options.Profiles["a"] = new SlaProfile { BasedOn = "b" };
        options.Profiles["b"] = new SlaProfile { BasedOn = "a" };
        options.Rules.Add(new SlaRule { Name = "r", Topics = { "Дороги" }, Profile = "missing" });
        options.Rules.Add(new SlaRule { Name = "legal-hours", Profile = SlaProfiles.Legal59Fz, Resolution = TimeSpan.FromHours(36) });

        var result = new SlaOptionsValidator().Validate(null, options);

        Assert.True(result.Failed);
        var message = result.FailureMessage;
        string[] expected =
        [
            "Sla:WarningThreshold must be from 0.05 to 0.99",
            "Sla:Calendars:far-east: TimeZoneId 'Mars/Olympus' is not a time zone known to this system",
            "Sla:Profiles:broken: the Resolution clock: Target must be whole days in CalendarDays mode",
            "Sla:Profiles:broken: the Registration clock: a registration clock counts from Receipt",
            "Sla:Profiles:broken: the Registration clock: Calendar 'unknown' is not one of Sla:Calendars",
            "the escalation step at 0 %: Percent must be greater than 0 and at most 1000",
            "the escalation step at 90 %: the name 'unit' is used by another step of the ladder",
            "Sla:Profiles:broken: MaxExtensions must be from 0 to 10",
            "Sla:Profiles:empty:Timers[0] (NextAnswer): Target is required",
            "Sla:Profiles:empty: a profile needs a FirstAnswer or a Resolution clock",
            "BasedOn forms a cycle",
            "Sla:DefaultProfile 'nope' is not a profile",
            "SLA rule r: Profile 'missing' is not a profile",
            "SLA rule r: invalid topic code 'Дороги'",
            "SLA rule legal-hours: Resolution must be whole days, as the Resolution clock of profile legal-59fz counts calendar days",
        ];
        foreach (var text in expected)
        {
            Assert.Contains(text, message, StringComparison.Ordinal);
        }

        var ex = Assert.Throws<ArgumentException>(() => new SlaEngine(Options.Create(options)));
        Assert.Contains("Sla:DefaultProfile 'nope'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_Defaults_AreValid()
    {
        Assert.True(new SlaOptionsValidator().Validate(null, new SlaOptions()).Succeeded);
        var engine = new SlaEngine(Options.Create(new SlaOptions()));
        Assert.Equal(["operational", "legal-59fz"], engine.ProfileNames);
        Assert.Equal("operational", engine.DefaultProfileName);
        Assert.Same(BusinessCalendar.Default, engine.DefaultCalendar);
        Assert.Throws<ArgumentException>(() => engine.GetCalendar("nope"));
        Assert.Throws<ArgumentException>(() => engine.GetProfile("nope"));
    }

    [Fact]
    public void SlaProfiles_Legal59Fz_EncodesTheArticles()
    {
        var legal = SlaProfiles.CreateLegal59Fz();
        var registration = legal.Timers.Single(t => t.Kind == SlaTimerKind.Registration);
        var forwarding = legal.Timers.Single(t => t.Kind == SlaTimerKind.Forwarding);
        var resolution = legal.Timers.Single(t => t.Kind == SlaTimerKind.Resolution);
        Assert.Equal((TimeSpan.FromDays(3), SlaTimeMode.CalendarDays, SlaAnchor.Receipt), (registration.Target!.Value, registration.Mode!.Value, registration.From!.Value));
        Assert.Equal((TimeSpan.FromDays(7), SlaTimeMode.CalendarDays, SlaAnchor.Registration), (forwarding.Target!.Value, forwarding.Mode!.Value, forwarding.From!.Value));
        Assert.Equal((TimeSpan.FromDays(30), SlaTimeMode.CalendarDays, SlaAnchor.Registration), (resolution.Target!.Value, resolution.Mode!.Value, resolution.From!.Value));
        Assert.Equal((1, TimeSpan.FromDays(30), true, true), (legal.MaxExtensions, legal.MaxExtension, legal.ExtensionRequiresNotice, legal.ForwardingRequiresNotice));
        Assert.Null(SlaProfiles.TryCreate("nope"));
        Assert.NotNull(SlaProfiles.TryCreate("LEGAL-59FZ"));
    }

    private static ServiceProvider Provider(string json)
    {
        var configuration = new ConfigurationBuilder().AddJsonStream(new MemoryStream(Encoding.UTF8.GetBytes(json))).Build();
        var services = new ServiceCollection();
        services.AddMcu(mcu => mcu.Configure(configuration.GetSection("Mcu")).UseClassifier(_ => new MarkerClassifier()));
        return services.BuildServiceProvider();
    }
}
