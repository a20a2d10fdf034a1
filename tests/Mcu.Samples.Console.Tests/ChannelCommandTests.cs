using Mcu.Samples.Console.Tests.TestSupport;

namespace Mcu.Samples.Console.Tests;

/// <summary>The command-line surface of <c>mcu telegram</c> and <c>mcu vk</c> (their runs against fake servers are tested in the channel packages' tests).</summary>
public sealed class ChannelCommandTests
{
    [Theory]
    [InlineData("telegram", "--token")]
    [InlineData("vk", "--group-id")]
    public async Task Help_ListsTheOptions(string command, string option)
    {
        var result = await McuRun.RunAsync(command, "--help");
        Assert.Equal(0, result.ExitCode);
        Assert.Contains(option, result.Stdout, StringComparison.Ordinal);
        Assert.Contains("--api-base", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Telegram_WithoutToken_FailsWithAClearError()
    {
        var result = await McuRun.RunAsync("telegram");
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("--token", result.Stderr + result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Vk_NonPositiveGroup_FailsWithAClearError()
    {
        var result = await McuRun.RunAsync("vk", "--group-id", "0", "--token", "secret-token-value");
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("--group-id must be a positive community id.", result.Stderr + result.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("secret-token-value", result.Stderr + result.Stdout, StringComparison.Ordinal);
    }
}
