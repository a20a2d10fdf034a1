namespace Mcu.Sdk.Channels.Vk;

/// <summary>Options of the VK channel: the community, its tokens, the intake (Callback API, Bots Long Poll) and monitoring.</summary>
/// <remarks>
/// Tokens and the callback secret are secrets: the SDK sends them only in request bodies and never writes them to a log
/// line or an exception message. One community per host: calling <c>AddVk</c> again configures the same community.
/// </remarks>
public sealed class VkChannelOptions
{
    /// <summary>Gets or sets the id of the community (a positive number, as in <c>club123</c>).</summary>
    public long GroupId { get; set; }

    /// <summary>
    /// Gets or sets the community access token. It needs the rights <c>messages</c> (dialogs), <c>manage</c> (Bots Long Poll
    /// and the callback confirmation code) and <c>wall</c> (answers to comments on the community's own wall).
    /// </summary>
    public string AccessToken { get; set; } = string.Empty;

    /// <summary>
    /// Gets or sets an optional user access token of a community administrator, for the calls VK allows only with a user
    /// token: answers to photo comments (<c>photos.createComment</c>), to discussion boards (<c>board.createComment</c>) and
    /// to posts and comments found by monitoring on other communities' walls. Replies of those kinds fail with a clear,
    /// permanent error when it is not set.
    /// </summary>
    public string? UserAccessToken { get; set; }

    /// <summary>Gets or sets the "Secret key" configured for the Callback API server; every event must carry it.</summary>
    /// <value>The default value is <see langword="null"/>: events are not authenticated, which is fit for tests only.</value>
    public string? CallbackSecret { get; set; }

    /// <summary>
    /// Gets or sets the string the Callback API confirmation event must be answered with; when <see langword="null"/>, it is
    /// read once with <c>groups.getCallbackConfirmationCode</c> (which needs the <c>manage</c> right).
    /// </summary>
    public string? ConfirmationCode { get; set; }

    /// <summary>Gets or sets the webhook path of the Callback API endpoint, under the host's webhook prefix.</summary>
    /// <value>Letters, digits, hyphens, underscores and slashes. The default value is <c>vk</c> (mapped as <c>/webhooks/vk</c>).</value>
    public string CallbackPath { get; set; } = "vk";

    /// <summary>Gets or sets the base address of the API; methods are called at <c>{ApiBaseUrl}method/{name}</c>.</summary>
    /// <value>An absolute http(s) address. The default value is <c>https://api.vk.ru/</c>.</value>
    public Uri ApiBaseUrl { get; set; } = new("https://api.vk.ru/");

    /// <summary>Gets or sets a value indicating whether events are read with the Bots Long Poll API (instead of, or next to, the Callback API).</summary>
    /// <value>The default value is <see langword="false"/>.</value>
    public bool UseLongPoll { get; set; }

    /// <summary>Gets or sets how long one long-poll request waits for events.</summary>
    /// <value>From 1 to 90 seconds. The default value is 25 seconds, as the VK documentation recommends.</value>
    public TimeSpan LongPollWait { get; set; } = TimeSpan.FromSeconds(25);

    /// <summary>Gets or sets the largest number of API requests per second made with the community token.</summary>
    /// <value>From 1 to 20. The default value is 20, VK's documented limit for community tokens.</value>
    public int MaxRequestsPerSecond { get; set; } = 20;

    /// <summary>Gets or sets the largest number of API requests per second made with <see cref="UserAccessToken"/>.</summary>
    /// <value>From 1 to 20. The default value is 3, VK's documented limit for user tokens.</value>
    public int UserTokenMaxRequestsPerSecond { get; set; } = 3;

    /// <summary>Gets or sets how long one API request may take.</summary>
    /// <value>From 1 second to 5 minutes. The default value is 30 seconds.</value>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Gets or sets a value indicating whether citizens' names are read with <c>users.get</c> (cached) to address them by name.</summary>
    /// <value>The default value is <see langword="true"/>. A failed look-up leaves the name empty and never blocks intake.</value>
    public bool ResolveAuthorNames { get; set; } = true;

    /// <summary>Gets the options of the monitoring of city publics (off while <see cref="VkMonitoringOptions.Publics"/> is empty).</summary>
    public VkMonitoringOptions Monitoring { get; } = new();
}

/// <summary>
/// Options of the monitoring of city publics ("incident management"): walls and comment threads of other communities are
/// polled, and posts and comments the classifier finds relevant become appeals marked as found by monitoring.
/// </summary>
public sealed class VkMonitoringOptions
{
    /// <summary>
    /// Gets the publics to watch: numeric owner ids (<c>-123</c> for a community), <c>club123</c> / <c>public123</c>, or
    /// screen names (<c>kazan_online</c>, resolved once with <c>utils.resolveScreenName</c>). The own community does not
    /// belong here: its comments arrive through the Callback API or Long Poll.
    /// </summary>
    public List<string> Publics { get; } = [];

    /// <summary>
    /// Gets or sets the token that reads other walls (<c>wall.get</c>, <c>wall.getComments</c>): VK allows these methods with a
    /// user token or an application's service token only, not with a community token. When <see langword="null"/>,
    /// <see cref="VkChannelOptions.UserAccessToken"/> is used.
    /// </summary>
    public string? AccessToken { get; set; }

    /// <summary>Gets or sets the pause between two monitoring passes.</summary>
    /// <value>From 10 seconds to 1 day. The default value is 5 minutes.</value>
    public TimeSpan Interval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Gets or sets how many posts one <c>wall.get</c> page reads.</summary>
    /// <value>From 1 to 100. The default value is 20.</value>
    public int PostsPerPage { get; set; } = 20;

    /// <summary>Gets or sets a value indicating whether the comment threads of recent posts are watched too.</summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool IncludeComments { get; set; } = true;

    /// <summary>Gets or sets for how long after its publication a post's comments are followed.</summary>
    /// <value>From 1 hour to 30 days. The default value is 3 days.</value>
    public TimeSpan CommentWindow { get; set; } = TimeSpan.FromDays(3);

    /// <summary>Gets or sets the lowest classifier confidence that makes a post or comment an appeal (out-of-scope texts never are).</summary>
    /// <value>From 0 to 1. The default value is 0.5.</value>
    public double RelevanceThreshold { get; set; } = 0.5;

    /// <summary>Gets or sets how often the catch-up pass re-reads the last <see cref="CatchUpWindow"/>, so that nothing missed during an outage is lost.</summary>
    /// <value>From 1 hour to 7 days. The default value is 1 day.</value>
    public TimeSpan CatchUpInterval { get; set; } = TimeSpan.FromDays(1);

    /// <summary>Gets or sets how far back the catch-up pass (and the very first pass) reads.</summary>
    /// <value>From 1 hour to 7 days. The default value is 24 hours.</value>
    public TimeSpan CatchUpWindow { get; set; } = TimeSpan.FromHours(24);

    /// <summary>Gets or sets the largest number of posts one pass reads from one public (a bound after a long outage).</summary>
    /// <value>From 1 to 10,000. The default value is 500.</value>
    public int MaxPostsPerPass { get; set; } = 500;

    /// <summary>Gets or sets the largest number of comments one pass reads under one post.</summary>
    /// <value>From 1 to 10,000. The default value is 1,000.</value>
    public int MaxCommentsPerPost { get; set; } = 1000;

    /// <summary>Gets or sets the largest number of API requests per second made with the monitoring token.</summary>
    /// <value>From 1 to 50. The default value is 3, VK's documented limit for user tokens.</value>
    public int MaxRequestsPerSecond { get; set; } = 3;
}
