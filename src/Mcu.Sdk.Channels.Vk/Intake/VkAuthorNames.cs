using System.Collections.Concurrent;
using Mcu.Sdk.Channels.Vk.Api;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Mcu.Sdk.Channels.Vk.Intake;

/// <summary>Reads citizens' names with <c>users.get</c>, cached; a failure leaves the name empty and never blocks intake.</summary>
/// <remarks>Thread-safe. Names are personal data: they are never logged.</remarks>
internal sealed partial class VkAuthorNames
{
    private const int CacheLimit = 10_000;

    private readonly VkApiClient _client;
    private readonly bool _enabled;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<long, string> _cache = new();

    public VkAuthorNames(VkApiClient client, IOptions<VkChannelOptions> options, ILogger<VkAuthorNames> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _client = client ?? throw new ArgumentNullException(nameof(client));
        _enabled = options.Value.ResolveAuthorNames;
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
    }

    /// <summary>Gets a user's name ("Имя Фамилия"), or <see langword="null"/> for communities, when disabled or when VK did not answer.</summary>
    /// <param name="userId">The user id (positive).</param>
    /// <param name="cancellationToken">A token to cancel the operation.</param>
    /// <returns>The name, or <see langword="null"/>.</returns>
    public async ValueTask<string?> GetAsync(long userId, CancellationToken cancellationToken)
    {
        if (!_enabled || userId <= 0)
        {
            return null;
        }

        if (_cache.TryGetValue(userId, out var cached))
        {
            return cached;
        }

        try
        {
            var users = await _client.GetUsersAsync([userId], cancellationToken).ConfigureAwait(false);
            var user = users.FirstOrDefault(u => u.Id == userId);
            var name = string.Join(' ', new[] { user?.FirstName, user?.LastName }.Where(p => !string.IsNullOrWhiteSpace(p)));
            if (name.Length == 0)
            {
                return null;
            }

            if (_cache.Count >= CacheLimit)
            {
                _cache.Clear();
            }

            _cache[userId] = name;
            return name;
        }
        catch (Exception ex) when (ex is VkApiException or VkTransportException or InvalidOperationException)
        {
            LogLookupFailed(ex.GetType().Name);
            return null;
        }
    }

    [LoggerMessage(EventId = 310, Level = LogLevel.Debug, Message = "users.get failed ({Error}); the author stays without a name")]
    private partial void LogLookupFailed(string error);
}
