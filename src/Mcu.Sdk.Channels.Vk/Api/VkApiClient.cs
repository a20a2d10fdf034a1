using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Retry;

namespace Mcu.Sdk.Channels.Vk.Api;

/// <summary>Which of the configured tokens a call is made with.</summary>
internal enum VkTokenKind
{
    /// <summary>The community token (<see cref="VkChannelOptions.AccessToken"/>).</summary>
    Community = 0,

    /// <summary>The administrator's user token (<see cref="VkChannelOptions.UserAccessToken"/>).</summary>
    User = 1,

    /// <summary>The token that reads other walls (<see cref="VkMonitoringOptions.AccessToken"/>, else the user token).</summary>
    Monitoring = 2,
}

/// <summary>A transport failure talking to VK: the network, a timeout, an HTTP error status or a body that is not VK JSON.</summary>
internal sealed class VkTransportException : Exception
{
    public VkTransportException()
    {
    }

    public VkTransportException(string message)
        : base(message)
    {
    }

    public VkTransportException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Gets or initializes a value indicating whether a retry may help (network errors, timeouts, 5xx, 429).</summary>
    public bool IsTransient { get; init; } = true;
}

/// <summary>
/// The typed VK API client (API 5.199): <c>x-www-form-urlencoded</c> POSTs with the token in the body, one chokepoint that maps
/// the error envelope to <see cref="VkApiException"/>, a client-side rate limit per token, and retries with backoff for
/// read methods only (sends are retried by the core dispatcher, never here).
/// </summary>
/// <remarks>Thread-safe.</remarks>
internal sealed partial class VkApiClient : IDisposable
{
    /// <summary>The API version every call names.</summary>
    public const string ApiVersion = "5.199";

    /// <summary>The name of the <see cref="HttpClient"/> of API calls.</summary>
    public const string HttpClientName = "Mcu.Sdk.Channels.Vk";

    /// <summary>The name of the <see cref="HttpClient"/> of long-poll requests (no request logging: the URL carries the session key).</summary>
    public const string LongPollHttpClientName = "Mcu.Sdk.Channels.Vk.LongPoll";

    private readonly IHttpClientFactory _httpFactory;
    private readonly VkChannelOptions _options;
    private readonly ILogger _logger;
    private readonly Uri _methodBase;
    private readonly VkRequestLimiter _communityLimiter;
    private readonly VkRequestLimiter? _userLimiter;
    private readonly VkRequestLimiter? _monitoringLimiter;
    private readonly ResiliencePipeline _readPipeline;

    public VkApiClient(IHttpClientFactory httpFactory, IOptions<VkChannelOptions> options, TimeProvider timeProvider, ILogger<VkApiClient> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        _httpFactory = httpFactory ?? throw new ArgumentNullException(nameof(httpFactory));
        _options = options.Value;
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
        var baseText = _options.ApiBaseUrl.AbsoluteUri;
        _methodBase = new Uri(baseText.EndsWith('/') ? baseText : baseText + "/", UriKind.Absolute);
        _communityLimiter = new VkRequestLimiter(timeProvider, _options.MaxRequestsPerSecond);
        _userLimiter = string.IsNullOrWhiteSpace(_options.UserAccessToken) ? null : new VkRequestLimiter(timeProvider, _options.UserTokenMaxRequestsPerSecond);
        _monitoringLimiter = string.IsNullOrWhiteSpace(_options.Monitoring.AccessToken) ? _userLimiter : new VkRequestLimiter(timeProvider, _options.Monitoring.MaxRequestsPerSecond);
        _readPipeline = new ResiliencePipelineBuilder { TimeProvider = timeProvider }
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder()
                    .Handle<VkApiException>(ex => ex.IsTransient)
                    .Handle<VkTransportException>(ex => ex.IsTransient),
                MaxRetryAttempts = 3,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = TimeSpan.FromSeconds(1),
                MaxDelay = TimeSpan.FromSeconds(30),
                OnRetry = args =>
                {
                    LogReadRetry(args.Outcome.Exception?.Message ?? "unknown error", args.AttemptNumber + 1, args.RetryDelay);
                    return ValueTask.CompletedTask;
                },
            })
            .Build();
    }

    /// <summary>Gets the limiter of the community token (exposed for tests).</summary>
    internal VkRequestLimiter CommunityLimiter => _communityLimiter;

    /// <summary>Tells whether a token of the given kind is configured.</summary>
    /// <param name="kind">The kind.</param>
    /// <returns><see langword="true"/> when configured.</returns>
    public bool HasToken(VkTokenKind kind) => !string.IsNullOrWhiteSpace(TokenOf(kind));

    /// <summary>Calls <c>groups.getLongPollServer</c>.</summary>
    public Task<VkLongPollServer> GetLongPollServerAsync(CancellationToken cancellationToken) =>
        CallAsync("groups.getLongPollServer", VkTokenKind.Community, [Param("group_id", _options.GroupId)], VkJsonContext.Default.VkLongPollServer, retry: true, cancellationToken);

    /// <summary>Calls <c>groups.getCallbackConfirmationCode</c>.</summary>
    public async Task<string> GetCallbackConfirmationCodeAsync(CancellationToken cancellationToken)
    {
        var answer = await CallAsync("groups.getCallbackConfirmationCode", VkTokenKind.Community, [Param("group_id", _options.GroupId)], VkJsonContext.Default.VkConfirmationCode, retry: true, cancellationToken).ConfigureAwait(false);
        return answer.Code;
    }

    /// <summary>Calls <c>messages.send</c> to one peer; returns the message id.</summary>
    public Task<long> SendMessageAsync(long peerId, int randomId, string text, string? attachment, string? forward, CancellationToken cancellationToken)
    {
        var parameters = new List<KeyValuePair<string, string>>(6)
        {
            Param("peer_id", peerId),
            Param("random_id", randomId),
            new("message", text),
        };
        if (!string.IsNullOrEmpty(attachment))
        {
            parameters.Add(new("attachment", attachment));
        }

        if (!string.IsNullOrEmpty(forward))
        {
            parameters.Add(new("forward", forward));
        }

        return CallAsync("messages.send", VkTokenKind.Community, parameters, VkJsonContext.Default.Int64, retry: false, cancellationToken);
    }

    /// <summary>Calls <c>wall.createComment</c> on behalf of the community; returns the comment id.</summary>
    public async Task<long> CreateWallCommentAsync(VkTokenKind token, long ownerId, long postId, string text, long? replyToComment, string? attachments, string guid, CancellationToken cancellationToken)
    {
        var parameters = new List<KeyValuePair<string, string>>(8)
        {
            Param("owner_id", ownerId),
            Param("post_id", postId),
            Param("from_group", _options.GroupId),
            new("message", text),
            new("guid", guid),
        };
        if (replyToComment is { } reply)
        {
            parameters.Add(Param("reply_to_comment", reply));
        }

        if (!string.IsNullOrEmpty(attachments))
        {
            parameters.Add(new("attachments", attachments));
        }

        var created = await CallAsync("wall.createComment", token, parameters, VkJsonContext.Default.VkCreatedComment, retry: false, cancellationToken).ConfigureAwait(false);
        return created.CommentId;
    }

    /// <summary>Calls <c>photos.createComment</c> on behalf of the community (user token); returns the comment id.</summary>
    public Task<long> CreatePhotoCommentAsync(long ownerId, long photoId, string text, long? replyToComment, string? attachments, string guid, CancellationToken cancellationToken)
    {
        var parameters = new List<KeyValuePair<string, string>>(8)
        {
            Param("owner_id", ownerId),
            Param("photo_id", photoId),
            new("from_group", "1"),
            new("message", text),
            new("guid", guid),
        };
        if (replyToComment is { } reply)
        {
            parameters.Add(Param("reply_to_comment", reply));
        }

        if (!string.IsNullOrEmpty(attachments))
        {
            parameters.Add(new("attachments", attachments));
        }

        return CallAsync("photos.createComment", VkTokenKind.User, parameters, VkJsonContext.Default.Int64, retry: false, cancellationToken);
    }

    /// <summary>Calls <c>board.createComment</c> on behalf of the community (user token); returns the comment id.</summary>
    public Task<long> CreateBoardCommentAsync(long groupId, long topicId, string text, string? attachments, string guid, CancellationToken cancellationToken)
    {
        var parameters = new List<KeyValuePair<string, string>>(7)
        {
            Param("group_id", groupId),
            Param("topic_id", topicId),
            new("from_group", "1"),
            new("message", text),
            new("guid", guid),
        };
        if (!string.IsNullOrEmpty(attachments))
        {
            parameters.Add(new("attachments", attachments));
        }

        return CallAsync("board.createComment", VkTokenKind.User, parameters, VkJsonContext.Default.Int64, retry: false, cancellationToken);
    }

    /// <summary>Calls <c>wall.get</c> with the monitoring token.</summary>
    public Task<VkWallPage> GetWallAsync(long ownerId, int offset, int count, CancellationToken cancellationToken) =>
        CallAsync(
            "wall.get",
            VkTokenKind.Monitoring,
            [Param("owner_id", ownerId), Param("offset", offset), Param("count", count), new("filter", "all")],
            VkJsonContext.Default.VkWallPage,
            retry: true,
            cancellationToken);

    /// <summary>Calls <c>wall.getComments</c> (chronological, with up to 10 replies of each thread) with the monitoring token.</summary>
    public Task<VkCommentPage> GetWallCommentsAsync(long ownerId, long postId, int offset, int count, CancellationToken cancellationToken) =>
        CallAsync(
            "wall.getComments",
            VkTokenKind.Monitoring,
            [Param("owner_id", ownerId), Param("post_id", postId), Param("offset", offset), Param("count", count), new("sort", "asc"), new("preview_length", "0"), new("thread_items_count", "10")],
            VkJsonContext.Default.VkCommentPage,
            retry: true,
            cancellationToken);

    /// <summary>Calls <c>users.get</c> with the community token, once (names are a nicety: intake never waits for retries).</summary>
    public async Task<IReadOnlyList<VkUser>> GetUsersAsync(IReadOnlyCollection<long> userIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(userIds);
        if (userIds.Count == 0)
        {
            return [];
        }

        var ids = string.Join(',', userIds.Select(id => id.ToString(CultureInfo.InvariantCulture)));
        return await CallAsync("users.get", VkTokenKind.Community, [new("user_ids", ids)], VkJsonContext.Default.ListVkUser, retry: false, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Calls <c>utils.resolveScreenName</c>; returns <see langword="null"/> when VK does not know the name.</summary>
    public async Task<VkResolvedScreenName?> ResolveScreenNameAsync(string screenName, CancellationToken cancellationToken)
    {
        var token = HasToken(VkTokenKind.Monitoring) ? VkTokenKind.Monitoring : VkTokenKind.Community;
        var answer = await CallAsync("utils.resolveScreenName", token, [new("screen_name", screenName)], VkJsonContext.Default.JsonElement, retry: true, cancellationToken).ConfigureAwait(false);
        return answer.ValueKind == JsonValueKind.Object ? answer.Deserialize(VkJsonContext.Default.VkResolvedScreenName) : null;
    }

    /// <summary>Makes one Bots Long Poll request (<c>act=a_check</c>) and returns the raw answer, including <c>failed</c> answers.</summary>
    public async Task<VkLongPollResponse> CheckLongPollAsync(string server, string key, string ts, TimeSpan wait, CancellationToken cancellationToken)
    {
        var address = server.Contains("://", StringComparison.Ordinal) ? server : "https://" + server;
        var separator = address.Contains('?', StringComparison.Ordinal) ? '&' : '?';
        var url = string.Create(
            CultureInfo.InvariantCulture,
            $"{address}{separator}act=a_check&key={Uri.EscapeDataString(key)}&ts={Uri.EscapeDataString(ts)}&wait={(int)wait.TotalSeconds}");
        var http = _httpFactory.CreateClient(LongPollHttpClientName);
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(url, UriKind.Absolute));
        var body = await SendAsync(http, request, "long poll", cancellationToken).ConfigureAwait(false);
        try
        {
            return JsonSerializer.Deserialize(body, VkJsonContext.Default.VkLongPollResponse)
                ?? throw new VkTransportException("The long-poll server answered with an empty body.");
        }
        catch (JsonException ex)
        {
            throw new VkTransportException("The long-poll server answered with a body that is not JSON.", ex);
        }
    }

    /// <summary>Calls a method and returns its <c>response</c>, or throws <see cref="VkApiException"/> for the error envelope.</summary>
    /// <typeparam name="T">The type of the response.</typeparam>
    /// <param name="method">The method name (case-sensitive).</param>
    /// <param name="token">The token to call it with.</param>
    /// <param name="parameters">The parameters (without <c>v</c> and <c>access_token</c>).</param>
    /// <param name="responseType">The response's JSON contract.</param>
    /// <param name="retry">Whether transient failures are retried with backoff (read methods only).</param>
    /// <param name="cancellationToken">A token to cancel the call.</param>
    /// <returns>The response.</returns>
    public Task<T> CallAsync<T>(string method, VkTokenKind token, IReadOnlyList<KeyValuePair<string, string>> parameters, JsonTypeInfo<T> responseType, bool retry, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(method);
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(responseType);
        if (!retry)
        {
            return CallOnceAsync(method, token, parameters, responseType, cancellationToken);
        }

        return _readPipeline.ExecuteAsync(
            static (state, ct) => new ValueTask<T>(state.self.CallOnceAsync(state.method, state.token, state.parameters, state.responseType, ct)),
            (self: this, method, token, parameters, responseType),
            cancellationToken).AsTask();
    }

    private async Task<T> CallOnceAsync<T>(string method, VkTokenKind token, IReadOnlyList<KeyValuePair<string, string>> parameters, JsonTypeInfo<T> responseType, CancellationToken cancellationToken)
    {
        var secret = TokenOf(token);
        if (string.IsNullOrWhiteSpace(secret))
        {
            throw new InvalidOperationException($"VK API method {method} needs a {Describe(token)}, and none is configured (see docs/vk.md).");
        }

        await LimiterOf(token).AcquireAsync(cancellationToken).ConfigureAwait(false);
        var form = new List<KeyValuePair<string, string>>(parameters.Count + 2);
        form.AddRange(parameters);
        form.Add(new("v", ApiVersion));
        form.Add(new("access_token", secret));
        var http = _httpFactory.CreateClient(HttpClientName);
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_methodBase, "method/" + method))
        {
            Content = new FormUrlEncodedContent(form),
        };
        var body = await SendAsync(http, request, method, cancellationToken).ConfigureAwait(false);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body);
        }
        catch (JsonException ex)
        {
            throw new VkTransportException($"VK API method {method} answered with a body that is not JSON.", ex);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("error", out var error))
            {
                var parsed = error.Deserialize(VkJsonContext.Default.VkError);
                var exception = new VkApiException(method, parsed?.ErrorCode ?? 0, parsed?.ErrorMsg);
                LogApiError(method, exception.ErrorCode);
                throw exception;
            }

            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("response", out var response))
            {
                throw new VkTransportException($"VK API method {method} answered with neither 'response' nor 'error'.");
            }

            try
            {
                return response.Deserialize(responseType) ?? throw new VkTransportException($"VK API method {method} answered with an empty response.");
            }
            catch (JsonException ex)
            {
                throw new VkTransportException($"VK API method {method} answered with a response of an unexpected shape.", ex) { IsTransient = false };
            }
        }
    }

    private static async Task<byte[]> SendAsync(HttpClient http, HttpRequestMessage request, string what, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                var status = (int)response.StatusCode;
                throw new VkTransportException(string.Create(CultureInfo.InvariantCulture, $"VK ({what}) answered HTTP {status}."))
                {
                    IsTransient = status >= 500 || response.StatusCode == HttpStatusCode.TooManyRequests || response.StatusCode == HttpStatusCode.RequestTimeout,
                };
            }

            return await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException ex)
        {
            throw new VkTransportException($"VK ({what}) could not be reached: {ex.HttpRequestError}.", ex);
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new VkTransportException($"VK ({what}) did not answer in time.", ex);
        }
    }

    private string? TokenOf(VkTokenKind kind) => kind switch
    {
        VkTokenKind.Community => _options.AccessToken,
        VkTokenKind.User => _options.UserAccessToken,
        _ => string.IsNullOrWhiteSpace(_options.Monitoring.AccessToken) ? _options.UserAccessToken : _options.Monitoring.AccessToken,
    };

    private VkRequestLimiter LimiterOf(VkTokenKind kind) => kind switch
    {
        VkTokenKind.Community => _communityLimiter,
        VkTokenKind.User => _userLimiter,
        _ => _monitoringLimiter,
    } ?? _communityLimiter;

    private static string Describe(VkTokenKind kind) => kind switch
    {
        VkTokenKind.Community => "community access token (VkChannelOptions.AccessToken)",
        VkTokenKind.User => "user access token of a community administrator (VkChannelOptions.UserAccessToken)",
        _ => "user or service token (VkChannelOptions.Monitoring.AccessToken or UserAccessToken)",
    };

    private static KeyValuePair<string, string> Param(string name, long value) => new(name, value.ToString(CultureInfo.InvariantCulture));

    /// <inheritdoc/>
    public void Dispose()
    {
        _communityLimiter.Dispose();
        _userLimiter?.Dispose();
        if (!ReferenceEquals(_monitoringLimiter, _userLimiter))
        {
            _monitoringLimiter?.Dispose();
        }
    }

    [LoggerMessage(EventId = 300, Level = LogLevel.Debug, Message = "VK API method {Method} answered error {ErrorCode}")]
    private partial void LogApiError(string method, int errorCode);

    [LoggerMessage(EventId = 301, Level = LogLevel.Warning, Message = "A VK read failed ({Error}); attempt {Attempt} in {Delay}")]
    private partial void LogReadRetry(string error, int attempt, TimeSpan delay);
}
