using System.Globalization;

namespace Mcu.Sdk.Channels.Vk.Api;

/// <summary>
/// The one exception the VK client throws for an error envelope (<c>{"error": {...}}</c>), classified by VK's error code.
/// </summary>
/// <remarks>The message carries the method, the code and VK's own error text; never a token or a request parameter.</remarks>
internal sealed class VkApiException : Exception
{
    public VkApiException()
    {
    }

    public VkApiException(string message)
        : base(message)
    {
    }

    public VkApiException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    public VkApiException(string method, int errorCode, string? errorMessage)
        : base(Describe(method, errorCode, errorMessage))
    {
        Method = method;
        ErrorCode = errorCode;
        ErrorMessage = errorMessage;
    }

    /// <summary>Gets the method that failed.</summary>
    public string Method { get; } = string.Empty;

    /// <summary>Gets VK's error code.</summary>
    public int ErrorCode { get; }

    /// <summary>Gets VK's error text.</summary>
    public string? ErrorMessage { get; }

    /// <summary>Gets a value indicating whether a later retry may succeed: 1 (unknown), 6 (too many requests per second), 9 (flood control), 10 (server error), 29 (rate limit).</summary>
    public bool IsTransient => ErrorCode is VkErrorCodes.Unknown or VkErrorCodes.TooManyRequests or VkErrorCodes.Flood or VkErrorCodes.Server or VkErrorCodes.RateLimit;

    /// <summary>Gets a value indicating whether the token was rejected: 5 (user authorization failed), 27 (group authorization failed).</summary>
    public bool IsAuthorizationFailure => ErrorCode is VkErrorCodes.Authorization or VkErrorCodes.GroupAuthorization;

    /// <summary>Gets a value indicating whether the citizen cannot receive messages from the community: 900, 901, 902.</summary>
    public bool IsRecipientUnreachable => ErrorCode is VkErrorCodes.UserBlocked or VkErrorCodes.DenySend or VkErrorCodes.Privacy;

    private static string Describe(string method, int errorCode, string? errorMessage)
    {
        var text = string.IsNullOrWhiteSpace(errorMessage) ? "no description" : errorMessage.Trim();
        if (text.Length > 300)
        {
            text = text[..300];
        }

        var hint = errorCode switch
        {
            VkErrorCodes.Authorization or VkErrorCodes.GroupAuthorization =>
                " The access token was rejected: it is invalid, revoked, lacks a right this method needs, or is of a kind the method does not accept (see docs/vk.md).",
            VkErrorCodes.Captcha => " VK asks for a captcha, which a server cannot solve: a person must act.",
            _ => string.Empty,
        };
        return string.Create(CultureInfo.InvariantCulture, $"VK API method {method} failed with error {errorCode}: {text}.{hint}");
    }
}

/// <summary>VK error codes the channel handles (VK's <c>errors.json</c>).</summary>
internal static class VkErrorCodes
{
    public const int Unknown = 1;
    public const int Authorization = 5;
    public const int TooManyRequests = 6;
    public const int Flood = 9;
    public const int Server = 10;
    public const int Captcha = 14;
    public const int AccessDenied = 15;
    public const int GroupAuthorization = 27;
    public const int RateLimit = 29;
    public const int UserBlocked = 900;
    public const int DenySend = 901;
    public const int Privacy = 902;
    public const int MessageTooLong = 914;
}
