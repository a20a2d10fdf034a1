using System.Globalization;
using Mcu.Sdk.Channels.Vk.Monitoring;
using Microsoft.Extensions.Options;

namespace Mcu.Sdk.Channels.Vk;

/// <summary>Validates <see cref="VkChannelOptions"/> when the host starts; messages never contain token values.</summary>
internal sealed class VkChannelOptionsValidator : IValidateOptions<VkChannelOptions>
{
    public ValidateOptionsResult Validate(string? name, VkChannelOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (options.GroupId <= 0)
        {
            failures.Add($"Vk:GroupId must be the community's positive id; got {options.GroupId.ToString(CultureInfo.InvariantCulture)}.");
        }

        if (string.IsNullOrWhiteSpace(options.AccessToken))
        {
            failures.Add("Vk:AccessToken (the community access token) is required.");
        }

        if (options.ApiBaseUrl is null || !options.ApiBaseUrl.IsAbsoluteUri || (options.ApiBaseUrl.Scheme != Uri.UriSchemeHttps && options.ApiBaseUrl.Scheme != Uri.UriSchemeHttp))
        {
            failures.Add("Vk:ApiBaseUrl must be an absolute http(s) address such as https://api.vk.ru/.");
        }

        if (string.IsNullOrWhiteSpace(options.CallbackPath) || !options.CallbackPath.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '/')
            || options.CallbackPath.StartsWith('/') || options.CallbackPath.EndsWith('/'))
        {
            failures.Add($"Vk:CallbackPath must be letters, digits, '-', '_' and inner '/'; got '{options.CallbackPath}'.");
        }

        if (options.CallbackSecret is { } secret && (secret.Length == 0 || secret.Trim().Length != secret.Length))
        {
            failures.Add("Vk:CallbackSecret must not be empty or start or end with whitespace when set.");
        }

        Range(failures, "Vk:LongPollWait", options.LongPollWait, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(90));
        Range(failures, "Vk:RequestTimeout", options.RequestTimeout, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(5));
        Range(failures, "Vk:MaxRequestsPerSecond", options.MaxRequestsPerSecond, 1, 20);
        Range(failures, "Vk:UserTokenMaxRequestsPerSecond", options.UserTokenMaxRequestsPerSecond, 1, 20);

        var monitoring = options.Monitoring;
        Range(failures, "Vk:Monitoring:Interval", monitoring.Interval, TimeSpan.FromSeconds(10), TimeSpan.FromDays(1));
        Range(failures, "Vk:Monitoring:PostsPerPage", monitoring.PostsPerPage, 1, 100);
        Range(failures, "Vk:Monitoring:CommentWindow", monitoring.CommentWindow, TimeSpan.FromHours(1), TimeSpan.FromDays(30));
        Range(failures, "Vk:Monitoring:CatchUpInterval", monitoring.CatchUpInterval, TimeSpan.FromHours(1), TimeSpan.FromDays(7));
        Range(failures, "Vk:Monitoring:CatchUpWindow", monitoring.CatchUpWindow, TimeSpan.FromHours(1), TimeSpan.FromDays(7));
        Range(failures, "Vk:Monitoring:MaxPostsPerPass", monitoring.MaxPostsPerPass, 1, 10_000);
        Range(failures, "Vk:Monitoring:MaxCommentsPerPost", monitoring.MaxCommentsPerPost, 1, 10_000);
        Range(failures, "Vk:Monitoring:MaxRequestsPerSecond", monitoring.MaxRequestsPerSecond, 1, 50);
        if (double.IsNaN(monitoring.RelevanceThreshold) || monitoring.RelevanceThreshold is < 0 or > 1)
        {
            failures.Add($"Vk:Monitoring:RelevanceThreshold must be from 0 to 1; got {monitoring.RelevanceThreshold.ToString(CultureInfo.InvariantCulture)}.");
        }

        if (monitoring.Publics.Count > 0)
        {
            if (string.IsNullOrWhiteSpace(monitoring.AccessToken) && string.IsNullOrWhiteSpace(options.UserAccessToken))
            {
                failures.Add("Vk:Monitoring needs Vk:Monitoring:AccessToken (a user or service token) or Vk:UserAccessToken: VK allows wall.get and wall.getComments only with those, not with a community token.");
            }

            foreach (var entry in monitoring.Publics)
            {
                if (string.IsNullOrWhiteSpace(entry))
                {
                    failures.Add("Vk:Monitoring:Publics must not contain empty entries.");
                }
                else if (VkPublicNames.TryParseOwnerId(entry, out var owner) && owner == -options.GroupId)
                {
                    failures.Add($"Vk:Monitoring:Publics lists the own community ('{entry}'); its comments arrive through the Callback API or Long Poll.");
                }
                else if (!VkPublicNames.TryParseOwnerId(entry, out _) && !entry.Trim().All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '.'))
                {
                    failures.Add($"Vk:Monitoring:Publics entry '{entry}' is neither an owner id (-123, club123, public123) nor a screen name.");
                }
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void Range(List<string> failures, string name, TimeSpan value, TimeSpan min, TimeSpan max)
    {
        if (value < min || value > max)
        {
            failures.Add(string.Create(CultureInfo.InvariantCulture, $"{name} must be from {min} to {max}; got {value}."));
        }
    }

    private static void Range(List<string> failures, string name, int value, int min, int max)
    {
        if (value < min || value > max)
        {
            failures.Add(string.Create(CultureInfo.InvariantCulture, $"{name} must be from {min} to {max}; got {value}."));
        }
    }
}
