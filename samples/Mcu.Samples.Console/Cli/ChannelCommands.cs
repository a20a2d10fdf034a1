using System.CommandLine;
using Mcu.Samples.Console.Commands;

namespace Mcu.Samples.Console.Cli;

/// <summary><c>mcu telegram</c> and <c>mcu vk</c>: run a real channel's intake (long polling) on the in-memory desk until Ctrl+C.</summary>
internal static class ChannelCommands
{
    /// <summary>Creates the <c>telegram</c> command.</summary>
    /// <param name="context">The console.</param>
    /// <returns>The command.</returns>
    public static Command CreateTelegram(ConsoleContext context)
    {
        var token = new Option<string>("--token")
        {
            Description = "The bot token from @BotFather (never printed or logged).",
            HelpName = "T",
            Required = true,
        };
        var apiBase = ApiBaseOption("The Bot API server, for a fake or a self-hosted Bot API server; https://api.telegram.org by default.");
        var command = new Command("telegram", "Run the Telegram appeal bot by long polling, on in-memory defaults, until Ctrl+C.");
        command.Options.Add(token);
        command.Options.Add(apiBase);
        command.SetAction((parse, ct) =>
            TelegramCommand.RunAsync(parse.GetValue(token)!, parse.GetValue(apiBase), context.Out, context.Error, ct));
        return command;
    }

    /// <summary>Creates the <c>vk</c> command.</summary>
    /// <param name="context">The console.</param>
    /// <returns>The command.</returns>
    public static Command CreateVk(ConsoleContext context)
    {
        var groupId = new Option<long>("--group-id")
        {
            Description = "The community id (a positive number).",
            HelpName = "G",
            Required = true,
        };
        groupId.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<long>() <= 0)
            {
                result.AddError("--group-id must be a positive community id.");
            }
        });
        var token = new Option<string>("--token")
        {
            Description = "The community access token with the messages right (never printed or logged).",
            HelpName = "T",
            Required = true,
        };
        var apiBase = ApiBaseOption("The VK API server, for a fake server; https://api.vk.com by default.");
        var command = new Command("vk", "Run VK community intake by Bots Long Poll, on in-memory defaults, until Ctrl+C.");
        command.Options.Add(groupId);
        command.Options.Add(token);
        command.Options.Add(apiBase);
        command.SetAction((parse, ct) =>
            VkCommand.RunAsync(parse.GetValue(groupId), parse.GetValue(token)!, parse.GetValue(apiBase), context.Out, context.Error, ct));
        return command;
    }

    private static Option<string?> ApiBaseOption(string description) => new("--api-base")
    {
        Description = description,
        HelpName = "URL",
    };
}
