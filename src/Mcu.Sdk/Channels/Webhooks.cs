using Mcu.Sdk.Internal;

namespace Mcu.Sdk.Channels;

/// <summary>An HTTP request delivered to a channel's webhook, independent of the web framework that received it.</summary>
/// <remarks>The body is already read (the host enforces the size limit before calling the handler).</remarks>
public sealed class WebhookRequest
{
    private readonly IReadOnlyDictionary<string, string> _headers;

    /// <summary>Initializes a new instance of the <see cref="WebhookRequest"/> class.</summary>
    /// <param name="body">The raw body.</param>
    /// <param name="headers">The request headers (names compared case-insensitively).</param>
    /// <param name="contentType">The content type, or <see langword="null"/>.</param>
    public WebhookRequest(ReadOnlyMemory<byte> body, IEnumerable<KeyValuePair<string, string>> headers, string? contentType = null)
    {
        Throw.IfNull(headers);
        Body = body;
        ContentType = contentType;
        var map = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, value) in headers)
        {
            map[name] = value;
        }

        _headers = map;
    }

    /// <summary>Gets the raw body.</summary>
    public ReadOnlyMemory<byte> Body { get; }

    /// <summary>Gets the content type, or <see langword="null"/>.</summary>
    public string? ContentType { get; }

    /// <summary>Gets a header's value.</summary>
    /// <param name="name">The header name (case-insensitive).</param>
    /// <returns>The value, or <see langword="null"/> when absent.</returns>
    public string? GetHeader(string name) => _headers.GetValueOrDefault(name);

    /// <inheritdoc/>
    public override string ToString() => $"WebhookRequest({Body.Length} bytes, {ContentType ?? "no content type"})";
}

/// <summary>What a webhook handler answers.</summary>
/// <param name="StatusCode">The HTTP status code.</param>
/// <param name="Body">The response body (for example the VK confirmation code or <c>ok</c>), or <see langword="null"/> for none.</param>
/// <param name="ContentType">The content type of <paramref name="Body"/>.</param>
public sealed record WebhookResponse(int StatusCode, string? Body = null, string ContentType = "text/plain; charset=utf-8")
{
    /// <summary>Gets a 200 response with no body.</summary>
    public static WebhookResponse Ok { get; } = new(200);

    /// <summary>Creates a 400 response with a short, safe explanation.</summary>
    /// <param name="reason">The reason (never echo secrets or personal data).</param>
    /// <returns>The response.</returns>
    public static WebhookResponse BadRequest(string reason) => new(400, reason);

    /// <summary>Gets a 401 response (wrong or missing secret).</summary>
    public static WebhookResponse Unauthorized { get; } = new(401, "unauthorized");
}

/// <summary>
/// A channel's webhook endpoint: parses the channel's update, checks its secret, and accepts appeals through the desk.
/// Registered in DI by channel packages; <c>Mcu.Sdk.AspNetCore</c> maps every registered handler with <c>MapMcuWebhooks()</c>.
/// </summary>
/// <remarks>
/// Implementations must answer success only after every appeal in the update was accepted (durably, with a durable store),
/// compare secrets in constant time, skip unknown update kinds with <see cref="Diagnostics.McuDiagnostics.RecordSkippedUpdate"/>,
/// and never throw for bad input: malformed bodies get 400, wrong secrets 401. Exceptions are for infrastructure failures
/// (the store is down): the host then answers 500 so the channel redelivers.
/// </remarks>
public interface IWebhookHandler
{
    /// <summary>Gets the channel.</summary>
    ChannelId Channel { get; }

    /// <summary>Gets the path under the webhook prefix, such as <c>telegram</c> (mapped as <c>/webhooks/telegram</c>).</summary>
    string Path { get; }

    /// <summary>Handles one request.</summary>
    /// <param name="request">The request.</param>
    /// <param name="cancellationToken">A token to cancel the operation.</param>
    /// <returns>The response to send.</returns>
    ValueTask<WebhookResponse> HandleAsync(WebhookRequest request, CancellationToken cancellationToken = default);
}
