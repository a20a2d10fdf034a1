using Mcu.Sdk.Replies;
using Microsoft.Extensions.Options;

namespace Mcu.Sdk.Tests.Replies;

public sealed class ReplyTemplateTests
{
    private static string Render(string template, ReplyKind kind, Appeal appeal, string? unit = "департамент", string? body = null) =>
        new DefaultReplyTemplates(Options.Create(new ReplyTemplateOptions { Acknowledgement = template, Final = template })).Render(kind, appeal, unit, body);

    [Fact]
    public void Render_AllPlaceholders_Filled()
    {
        var appeal = Some.Appeal() with { Number = 1234, Author = new Author("1", "Иван Петров") };
        Assert.Equal("Иван? № 1234 → департамент: Сделано.", Render("Иван? № {number} → {unit}: {text}", ReplyKind.Final, appeal, body: "Сделано."));
        Assert.Equal("Здравствуйте, Иван!", Render("Здравствуйте{name}!", ReplyKind.Acknowledgement, appeal));
    }

    [Fact]
    public void Render_NoName_UnknownPlaceholderKept_NoUnitFallsBack()
    {
        var appeal = Some.Appeal() with { Author = new Author("1"), UnitId = null };
        Assert.Equal("Здравствуйте! {unknown} ответственное подразделение {", Render("Здравствуйте{name}! {unknown} {unit} {", ReplyKind.Acknowledgement, appeal, unit: null));
    }

    [Fact]
    public void Render_DefaultTemplates_AreRussianAndCarryTheNumber()
    {
        var templates = new DefaultReplyTemplates(Options.Create(new ReplyTemplateOptions()));
        var appeal = Some.Appeal() with { Number = 77 };
        Assert.Contains("77", templates.Render(ReplyKind.Acknowledgement, appeal, "департамент", null), StringComparison.Ordinal);
        Assert.Contains("не относится к компетенции", templates.Render(ReplyKind.Refusal, appeal, null, null), StringComparison.Ordinal);
        Assert.Contains("срочное", templates.Render(ReplyKind.Acknowledgement, appeal with { Priority = AppealPriority.Urgent }, "департамент", null), StringComparison.Ordinal);
    }
}
