using Mcu.Sdk.Classification;
using Mcu.Sdk.Routing;
using Microsoft.Extensions.Options;

namespace Mcu.Sdk.Tests.Desk;

public sealed class RoutingTests
{
    private static Appeal Classified(string topic, bool urgent = false, bool oos = false, string text = "текст", ChannelId? channel = null, string? district = null, string? subtopic = null) =>
        Some.Appeal() with
        {
            Text = text,
            Channel = channel ?? ChannelId.Telegram,
            District = district,
            Classification = new AppealClassification(new TopicCode(topic), subtopic, urgent, oos, 0.9),
        };

    private static RuleBasedRouter Router(Action<RoutingOptions>? configure = null)
    {
        var options = new RoutingOptions();
        configure?.Invoke(options);
        var validation = new RoutingOptionsValidator().Validate(null, options);
        Assert.True(validation.Succeeded, validation.FailureMessage);
        return new RuleBasedRouter(Options.Create(options));
    }

    [Theory]
    [InlineData("utilities", "city-economy")]
    [InlineData("roads", "transport-roads")]
    [InlineData("landscaping", "city-economy")]
    [InlineData("public-transport", "transport-roads")]
    [InlineData("waste", "city-economy")]
    [InlineData("animals", "veterinary")]
    [InlineData("public-order", "police")]
    [InlineData("other", "mcu")]
    public async Task RouteAsync_BuiltInRules_SendTopicsToTheirUnits(string topic, string unit) =>
        Assert.Equal(unit, (await Router().RouteAsync(Classified(topic))).UnitId);

    [Fact]
    public async Task RouteAsync_OutOfScope_Rejects()
    {
        var decision = await Router().RouteAsync(Classified("other", oos: true));
        Assert.True(decision.Reject);
        Assert.Null(decision.UnitId);
    }

    [Fact]
    public async Task RouteAsync_Urgent_Escalates() =>
        Assert.True((await Router().RouteAsync(Classified("roads", urgent: true))).Escalate);

    [Fact]
    public async Task RouteAsync_RulesInOrder_FirstMatchWins()
    {
        var router = Router(o =>
        {
            o.Rules.Add(new RoutingRule { Name = "gas", Unit = "city-economy", Keywords = { "газ" } });
            o.Rules.Add(new RoutingRule { Name = "roads-west", Unit = "police", Topics = { "roads" }, Districts = { "Западный" } });
            o.Rules.Add(new RoutingRule { Name = "vk-roads", Unit = "mcu", Topics = { "roads" }, Channels = { "vk" } });
            o.Rules.Add(new RoutingRule { Name = "manholes", Unit = "mcu", Subtopics = { "manholes" } });
        });

        Assert.Equal("city-economy", (await router.RouteAsync(Classified("roads", text: "Пахнет ГАЗом"))).UnitId);
        Assert.Equal("police", (await router.RouteAsync(Classified("roads", district: "западный"))).UnitId);
        Assert.Equal("mcu", (await router.RouteAsync(Classified("roads", channel: ChannelId.Vk))).UnitId);
        Assert.Equal("transport-roads", (await router.RouteAsync(Classified("roads"))).UnitId);
        var decision = await router.RouteAsync(Classified("roads", subtopic: "manholes"));
        Assert.Equal("mcu", decision.UnitId);
        Assert.Contains("manholes", decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RouteAsync_KeywordMatchesYoAsYe()
    {
        var router = Router(o => o.Rules.Add(new RoutingRule { Unit = "mcu", Keywords = { "ёлка" } }));
        Assert.Equal("mcu", (await router.RouteAsync(Classified("landscaping", text: "упала елка во дворе"))).UnitId);
    }

    [Fact]
    public async Task RouteAsync_KeywordMatchesLatinLookAlikesInsideRussianWords()
    {
        var router = Router(o => o.Rules.Add(new RoutingRule { Unit = "mcu", Keywords = { "газ" } }));
        Assert.Equal("mcu", (await router.RouteAsync(Classified("utilities", text: "запах гaза в подъезде"))).UnitId); // Latin "a"
    }

    [Fact]
    public void Validate_UnknownUnitAndBadCodes_FailsWithClearMessages()
    {
        var options = new RoutingOptions();
        options.Rules.Add(new RoutingRule { Name = "bad", Unit = "nowhere", Topics = { "дороги" }, Channels = { "tele gram" } });
        var result = new RoutingOptionsValidator().Validate(null, options);

        Assert.True(result.Failed);
        Assert.Contains("unknown unit 'nowhere'", result.FailureMessage, StringComparison.Ordinal);
        Assert.Contains("invalid topic code 'дороги'", result.FailureMessage, StringComparison.Ordinal);
        Assert.Contains("invalid channel id 'tele gram'", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_CustomUnitsWithoutBuiltInUnits_FailsUnlessDefaultRulesOff()
    {
        var options = new RoutingOptions { DefaultUnit = "desk" };
        options.Units.Add(new UnitOptions { Id = "desk", Name = "Дежурная служба" });
        Assert.True(new RoutingOptionsValidator().Validate(null, options).Failed);

        options.UseDefaultRules = false;
        Assert.True(new RoutingOptionsValidator().Validate(null, options).Succeeded);
    }

    [Fact]
    public void GetUnitName_ConfiguredAndBuiltIn()
    {
        var router = Router(o =>
        {
            o.Units.AddRange(DefaultRouting.Units.Select(u => new UnitOptions { Id = u.Id, Name = u.Name }));
            o.Units.Add(new UnitOptions { Id = "vodokanal", Name = "Водоканал" });
        });
        Assert.Equal("Водоканал", router.GetUnitName("vodokanal"));
        Assert.Equal("ветеринарная служба", router.GetUnitName("veterinary"));
        Assert.Equal("unknown", router.GetUnitName("unknown"));
    }
}
