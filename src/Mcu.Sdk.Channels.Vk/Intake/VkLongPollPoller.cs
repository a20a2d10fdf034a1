using System.Globalization;
using System.Text.Json;
using Mcu.Sdk.Channels.Vk.Api;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Mcu.Sdk.Channels.Vk.Intake;

/// <summary>
/// The Bots Long Poll intake: <c>groups.getLongPollServer</c>, then <c>a_check</c> with <c>wait=25</c>; the <c>ts</c> is the
/// checkpoint, which the core's polling service stores only after every message of the batch was accepted (a crash replays
/// the batch from the stored <c>ts</c>). <c>failed</c> answers are handled as documented: 1 — continue with the new
/// <c>ts</c>; 2 — get a new key, keep the <c>ts</c>; 3 — get a new key and <c>ts</c>.
/// </summary>
/// <remarks>Called by one polling loop at a time.</remarks>
internal sealed partial class VkLongPollPoller : IChannelPoller
{
    private const int MaxKeyRefreshes = 3;

    private readonly VkApiClient _client;
    private readonly VkUpdateConverter _converter;
    private readonly VkChannelOptions _options;
    private readonly ILogger _logger;
    private Session? _session;

    public VkLongPollPoller(VkApiClient client, VkUpdateConverter converter, IOptions<VkChannelOptions> options, ILogger<VkLongPollPoller> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _client = client ?? throw new ArgumentNullException(nameof(client));
        _converter = converter ?? throw new ArgumentNullException(nameof(converter));
        _options = options.Value;
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
        CheckpointKey = "vk:longpoll:" + _options.GroupId.ToString(CultureInfo.InvariantCulture);
    }

    /// <inheritdoc/>
    public ChannelId Channel => ChannelId.Vk;

    /// <inheritdoc/>
    public string CheckpointKey { get; }

    /// <inheritdoc/>
    public async ValueTask<PollBatch> PollAsync(string? checkpoint, CancellationToken cancellationToken = default)
    {
        var session = _session ?? await OpenSessionAsync(cancellationToken).ConfigureAwait(false);
        var ts = string.IsNullOrWhiteSpace(checkpoint) ? session.Ts : checkpoint;
        for (var refreshes = 0; ; refreshes++)
        {
            var answer = await _client.CheckLongPollAsync(session.Server, session.Key, ts, _options.LongPollWait, cancellationToken).ConfigureAwait(false);
            switch (answer.Failed)
            {
                case null:
                    return await ConvertAsync(answer, ts, cancellationToken).ConfigureAwait(false);
                case 1:
                    // The history is outdated or partly lost: continue from the new ts (events in between are gone).
                    var next = VkJsonValues.AsText(answer.Ts) ?? ts;
                    LogHistoryLost(ts, next);
                    return new PollBatch([], next);
                case 2 when refreshes < MaxKeyRefreshes:
                    // The key expired: get a new one and repeat the request with the same ts.
                    LogKeyExpired();
                    session = await OpenSessionAsync(cancellationToken).ConfigureAwait(false);
                    continue;
                default:
                    // 3 (information lost) or an unknown code: get a new key and ts.
                    LogSessionLost(answer.Failed.Value);
                    session = await OpenSessionAsync(cancellationToken).ConfigureAwait(false);
                    return new PollBatch([], session.Ts);
            }
        }
    }

    private async ValueTask<PollBatch> ConvertAsync(VkLongPollResponse answer, string ts, CancellationToken cancellationToken)
    {
        var messages = new List<InboundMessage>();
        var skipped = 0;
        foreach (var update in answer.Updates ?? [])
        {
            string? type = null;
            var eventObject = default(JsonElement);
            if (update.ValueKind == JsonValueKind.Object)
            {
                type = update.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
                eventObject = update.TryGetProperty("object", out var o) ? o : default;
                if (update.TryGetProperty("group_id", out var g) && g.TryGetInt64(out var groupId) && groupId != _options.GroupId)
                {
                    skipped++;
                    continue;
                }
            }

            var conversion = await _converter.ConvertAsync(type, eventObject, cancellationToken).ConfigureAwait(false);
            if (conversion.Message is { } message)
            {
                messages.Add(message);
            }
            else if (conversion.SkipReason is not null)
            {
                skipped++;
            }
        }

        return new PollBatch(messages, VkJsonValues.AsText(answer.Ts) ?? ts) { Skipped = skipped };
    }

    private async ValueTask<Session> OpenSessionAsync(CancellationToken cancellationToken)
    {
        var server = await _client.GetLongPollServerAsync(cancellationToken).ConfigureAwait(false);
        var ts = VkJsonValues.AsText(server.Ts);
        if (string.IsNullOrWhiteSpace(server.Server) || string.IsNullOrWhiteSpace(server.Key) || string.IsNullOrWhiteSpace(ts))
        {
            throw new VkTransportException("groups.getLongPollServer answered without a server, key or ts; is Long Poll enabled in the community's settings?") { IsTransient = false };
        }

        var session = new Session(server.Server, server.Key, ts);
        _session = session;
        return session;
    }

    private sealed record Session(string Server, string Key, string Ts);

    [LoggerMessage(EventId = 340, Level = LogLevel.Warning, Message = "VK Long Poll history was outdated or partly lost (failed 1); continuing from ts {Next} instead of {Previous}; the catch-up of missed events is not possible")]
    private partial void LogHistoryLost(string previous, string next);

    [LoggerMessage(EventId = 341, Level = LogLevel.Information, Message = "VK Long Poll key expired (failed 2); a new key was requested, the ts is kept")]
    private partial void LogKeyExpired();

    [LoggerMessage(EventId = 342, Level = LogLevel.Warning, Message = "VK Long Poll answered failed {Failed}; a new key and ts were requested")]
    private partial void LogSessionLost(int failed);
}
