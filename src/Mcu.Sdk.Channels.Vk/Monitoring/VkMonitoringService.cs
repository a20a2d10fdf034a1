using System.Globalization;
using System.Text.Json;
using Mcu.Sdk.Channels.Vk.Api;
using Mcu.Sdk.Channels.Vk.Intake;
using Mcu.Sdk.Channels.Vk.Replies;
using Mcu.Sdk.Classification;
using Mcu.Sdk.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Mcu.Sdk.Channels.Vk.Monitoring;

/// <summary>What one monitoring pass did.</summary>
/// <param name="PostsRead">Posts read.</param>
/// <param name="CommentsRead">Comments read.</param>
/// <param name="Ingested">Posts and comments handed to the desk (new appeals, follow-ups and duplicates).</param>
/// <param name="CatchUp">Whether the pass was a catch-up pass.</param>
internal sealed record VkMonitoringPass(int PostsRead, int CommentsRead, int Ingested, bool CatchUp)
{
    /// <summary>Gets how many publics could not be read or accepted (their cursors were kept; the next pass reads them again).</summary>
    public int FailedPublics { get; init; }
}

/// <summary>
/// Monitoring of city publics ("incident management"): polls the walls and the comment threads of configured publics with
/// durable cursors, and hands the posts and comments the classifier finds relevant (not out of scope, confidence at or
/// above the threshold) to the desk as appeals of channel <c>monitoring</c>, found by monitoring, answerable as a VK
/// comment. Once per <see cref="VkMonitoringOptions.CatchUpInterval"/> a catch-up pass re-reads the last
/// <see cref="VkMonitoringOptions.CatchUpWindow"/>, so that nothing missed during an outage (or published late with an
/// older id) is lost; the desk drops what it already has.
/// </summary>
/// <remarks>
/// Cursors live in the <see cref="ICheckpointStore"/> under <c>vk:monitoring:{ownerId}</c> (the last post id and the last
/// comment id of each followed post) and are stored only after every finding of the public was accepted.
/// </remarks>
internal sealed partial class VkMonitoringService : BackgroundService
{
    private const int CommentsPerPage = 100;

    private readonly VkApiClient _client;
    private readonly IInboundMessageSink _sink;
    private readonly IAppealClassifier _classifier;
    private readonly ICheckpointStore _checkpoints;
    private readonly VkAuthorNames _names;
    private readonly VkChannelOptions _options;
    private readonly VkMonitoringOptions _monitoring;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly string _catchUpKey;
    private IReadOnlyList<long>? _owners;

    public VkMonitoringService(
        VkApiClient client,
        IInboundMessageSink sink,
        IAppealClassifier classifier,
        ICheckpointStore checkpoints,
        VkAuthorNames names,
        IOptions<VkChannelOptions> options,
        TimeProvider timeProvider,
        ILogger<VkMonitoringService> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _client = client ?? throw new ArgumentNullException(nameof(client));
        _sink = sink ?? throw new ArgumentNullException(nameof(sink));
        _classifier = classifier ?? throw new ArgumentNullException(nameof(classifier));
        _checkpoints = checkpoints ?? throw new ArgumentNullException(nameof(checkpoints));
        _names = names ?? throw new ArgumentNullException(nameof(names));
        _options = options.Value;
        _monitoring = _options.Monitoring;
        _time = timeProvider ?? throw new ArgumentNullException(nameof(timeProvider));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
        _catchUpKey = "vk:monitoring:" + _options.GroupId.ToString(CultureInfo.InvariantCulture) + ":catch-up";
    }

    /// <summary>Gets the checkpoint key of a public's cursor.</summary>
    /// <param name="ownerId">The public's owner id (negative).</param>
    /// <returns>The key.</returns>
    public static string CursorKey(long ownerId) => "vk:monitoring:" + ownerId.ToString(CultureInfo.InvariantCulture);

    /// <summary>Runs one pass over every public (a catch-up pass when one is due).</summary>
    /// <param name="cancellationToken">A token to cancel the pass.</param>
    /// <returns>What the pass did.</returns>
    public async Task<VkMonitoringPass> RunPassAsync(CancellationToken cancellationToken)
    {
        var owners = _owners ??= await ResolvePublicsAsync(cancellationToken).ConfigureAwait(false);
        var now = _time.GetUtcNow();
        var lastCatchUp = await _checkpoints.GetCheckpointAsync(_catchUpKey, cancellationToken).ConfigureAwait(false);
        var catchUp = !DateTimeOffset.TryParse(lastCatchUp, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var last)
            || now - last >= _monitoring.CatchUpInterval;
        var total = new VkMonitoringPass(0, 0, 0, catchUp);
        foreach (var owner in owners)
        {
            VkMonitoringPass pass;
            try
            {
                pass = await PollPublicAsync(owner, now, catchUp, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException && !(ex is OperationCanceledException && cancellationToken.IsCancellationRequested))
            {
                // One closed or failing public (or a store outage) must not stop the others; its cursor was not advanced.
                LogPublicFailed(ex, owner);
                total = total with { FailedPublics = total.FailedPublics + 1 };
                continue;
            }

            total = total with
            {
                PostsRead = total.PostsRead + pass.PostsRead,
                CommentsRead = total.CommentsRead + pass.CommentsRead,
                Ingested = total.Ingested + pass.Ingested,
            };
        }

        if (catchUp && total.FailedPublics == 0)
        {
            // A catch-up that did not complete everywhere is run again by the next pass.
            await _checkpoints.SetCheckpointAsync(_catchUpKey, now.ToString("O", CultureInfo.InvariantCulture), cancellationToken).ConfigureAwait(false);
        }

        LogPass(owners.Count, total.PostsRead, total.CommentsRead, total.Ingested, catchUp);
        return total;
    }

    /// <inheritdoc/>
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (_monitoring.Publics.Count == 0)
        {
            return;
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await RunPassAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // Cursors were not advanced for the public that failed: the next pass reads it again.
                LogPassFailed(ex, _monitoring.Interval);
            }

            try
            {
                await Task.Delay(_monitoring.Interval, _time, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }

    private async Task<VkMonitoringPass> PollPublicAsync(long owner, DateTimeOffset now, bool catchUp, CancellationToken cancellationToken)
    {
        var key = CursorKey(owner);
        var stored = await _checkpoints.GetCheckpointAsync(key, cancellationToken).ConfigureAwait(false);
        var cursor = Deserialize(stored);
        var windowStart = (now - _monitoring.CatchUpWindow).ToUnixTimeSeconds();
        var commentWindowStart = (now - _monitoring.CommentWindow).ToUnixTimeSeconds();
        var lookBack = cursor is null || catchUp;

        // 1. New posts (and, on the first or a catch-up pass, every post of the window), newest first, page by page.
        var candidates = new Dictionary<long, VkWallPost>();
        var read = 0;
        var newest = cursor?.LastPostId ?? 0;
        for (var offset = 0; offset < _monitoring.MaxPostsPerPass;)
        {
            var page = await _client.GetWallAsync(owner, offset, _monitoring.PostsPerPage, cancellationToken).ConfigureAwait(false);
            var oldestIsCandidate = false;
            foreach (var post in page.Items)
            {
                read++;
                newest = Math.Max(newest, post.Id);
                var isNew = cursor is not null && post.Id > cursor.LastPostId;
                var inWindow = lookBack && post.Date >= windowStart;
                if (isNew || inWindow)
                {
                    candidates[post.Id] = post;
                }

                // Pinned posts come first whatever their age: they say nothing about where the page ends.
                if (post.IsPinned is not 1)
                {
                    oldestIsCandidate = isNew || inWindow;
                }
            }

            offset += page.Items.Count;
            if (!oldestIsCandidate || page.Items.Count < _monitoring.PostsPerPage || offset >= page.Count)
            {
                break;
            }

            if (offset >= _monitoring.MaxPostsPerPass)
            {
                LogPostBoundReached(owner, _monitoring.MaxPostsPerPass);
            }
        }

        var ingested = 0;
        foreach (var post in candidates.Values.OrderBy(p => p.Id))
        {
            if (await IsRelevantAsync(post.Text, cancellationToken).ConfigureAwait(false))
            {
                var name = await _names.GetAsync(VkInboundMessages.AuthorOf(post), cancellationToken).ConfigureAwait(false);
                await _sink.IngestAsync(VkInboundMessages.FromMonitoredPost(post, name), cancellationToken).ConfigureAwait(false);
                ingested++;
            }
        }

        // 2. Comments of the posts followed (published within the comment window).
        var tracked = (cursor?.Posts ?? []).Where(p => p.Date >= commentWindowStart).ToDictionary(p => p.Id);
        foreach (var post in candidates.Values.Where(p => p.Date >= commentWindowStart))
        {
            tracked.TryAdd(post.Id, new VkTrackedPost { Id = post.Id, Date = post.Date, LastCommentId = 0 });
        }

        var commentsRead = 0;
        if (_monitoring.IncludeComments)
        {
            foreach (var post in tracked.Values.OrderBy(p => p.Id))
            {
                var (count, accepted, lastId) = await PollCommentsAsync(owner, post, catchUp ? windowStart : null, cancellationToken).ConfigureAwait(false);
                commentsRead += count;
                ingested += accepted;
                post.LastCommentId = Math.Max(post.LastCommentId, lastId);
            }
        }

        var next = new VkMonitoringCursor
        {
            LastPostId = newest,
            Posts = [.. tracked.Values.OrderBy(p => p.Id)],
        };
        await _checkpoints.SetCheckpointAsync(key, JsonSerializer.Serialize(next, VkJsonContext.Default.VkMonitoringCursor), cancellationToken).ConfigureAwait(false);
        return new VkMonitoringPass(read, commentsRead, ingested, catchUp);
    }

    private async Task<(int Read, int Ingested, long LastId)> PollCommentsAsync(long owner, VkTrackedPost post, long? catchUpFrom, CancellationToken cancellationToken)
    {
        int read = 0, ingested = 0;
        var lastId = post.LastCommentId;
        for (var offset = 0; offset < _monitoring.MaxCommentsPerPost;)
        {
            var page = await _client.GetWallCommentsAsync(owner, post.Id, offset, CommentsPerPage, cancellationToken).ConfigureAwait(false);
            foreach (var comment in page.Items.SelectMany(Flatten))
            {
                read++;
                var isNew = comment.Id > post.LastCommentId;
                var inCatchUp = catchUpFrom is { } from && comment.Date >= from;
                lastId = Math.Max(lastId, comment.Id);
                if ((!isNew && !inCatchUp) || comment.FromId == -_options.GroupId || VkJsonValues.IsSet(comment.Deleted) || string.IsNullOrWhiteSpace(comment.Text))
                {
                    continue;
                }

                if (await IsRelevantAsync(comment.Text, cancellationToken).ConfigureAwait(false))
                {
                    var name = await _names.GetAsync(comment.FromId, cancellationToken).ConfigureAwait(false);
                    var message = VkInboundMessages.FromComment(ChannelId.Monitoring, "vk:", VkTargetKind.WallComment, owner, post.Id, comment, name);
                    await _sink.IngestAsync(message, cancellationToken).ConfigureAwait(false);
                    ingested++;
                }
            }

            offset += page.Items.Count;
            if (page.Items.Count < CommentsPerPage || page.Items.Count == 0)
            {
                break;
            }
        }

        return (read, ingested, lastId);
    }

    private static IEnumerable<VkComment> Flatten(VkComment comment)
    {
        yield return comment;
        foreach (var reply in comment.Thread?.Items ?? [])
        {
            reply.ParentsStack ??= [comment.Id];
            yield return reply;
        }
    }

    private async ValueTask<bool> IsRelevantAsync(string? text, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var classification = await _classifier.ClassifyAsync(text, cancellationToken).ConfigureAwait(false);
        return !classification.IsOutOfScope && classification.Confidence >= _monitoring.RelevanceThreshold;
    }

    private async Task<IReadOnlyList<long>> ResolvePublicsAsync(CancellationToken cancellationToken)
    {
        var owners = new List<long>(_monitoring.Publics.Count);
        foreach (var entry in _monitoring.Publics)
        {
            if (VkPublicNames.TryParseOwnerId(entry, out var owner))
            {
                owners.Add(owner);
                continue;
            }

            var resolved = await _client.ResolveScreenNameAsync(entry.Trim(), cancellationToken).ConfigureAwait(false);
            if (resolved is null || resolved.ObjectId <= 0)
            {
                throw new InvalidOperationException($"VK does not know the public '{entry}' (utils.resolveScreenName found nothing).");
            }

            owners.Add(resolved.Type is "user" ? resolved.ObjectId : -resolved.ObjectId);
        }

        return owners.Distinct().Where(o => o != -_options.GroupId).ToArray();
    }

    private static VkMonitoringCursor? Deserialize(string? stored)
    {
        if (string.IsNullOrWhiteSpace(stored))
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize(stored, VkJsonContext.Default.VkMonitoringCursor);
        }
        catch (JsonException)
        {
            // A damaged cursor is treated as none: the window is read again and the desk drops duplicates.
            return null;
        }
    }

    [LoggerMessage(EventId = 360, Level = LogLevel.Information, Message = "VK monitoring pass over {Publics} public(s): {Posts} post(s) and {Comments} comment(s) read, {Ingested} handed to the desk (catch-up: {CatchUp})")]
    private partial void LogPass(int publics, int posts, int comments, int ingested, bool catchUp);

    [LoggerMessage(EventId = 363, Level = LogLevel.Error, Message = "VK monitoring could not read or accept public {Owner}; its cursor was kept and the next pass reads it again")]
    private partial void LogPublicFailed(Exception exception, long owner);

    [LoggerMessage(EventId = 362, Level = LogLevel.Warning, Message = "VK monitoring read {Max} posts of public {Owner} in one pass and stopped; older new posts are left to the catch-up pass")]
    private partial void LogPostBoundReached(long owner, int max);

    [LoggerMessage(EventId = 361, Level = LogLevel.Error, Message = "A VK monitoring pass failed; the next pass in {Delay} reads again what was not stored")]
    private partial void LogPassFailed(Exception exception, TimeSpan delay);
}

/// <summary>Reads the ways a public can be named in <see cref="VkMonitoringOptions.Publics"/>.</summary>
internal static class VkPublicNames
{
    /// <summary>Reads <c>-123</c>, <c>club123</c>, <c>public123</c>, <c>event123</c> or <c>id123</c> (a user's wall) into an owner id.</summary>
    /// <param name="entry">The entry.</param>
    /// <param name="ownerId">The owner id.</param>
    /// <returns><see langword="true"/> when the entry is one of these forms; other entries are screen names.</returns>
    public static bool TryParseOwnerId(string entry, out long ownerId)
    {
        ownerId = 0;
        if (string.IsNullOrWhiteSpace(entry))
        {
            return false;
        }

        var text = entry.Trim();
        if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out ownerId))
        {
            return ownerId != 0;
        }

        foreach (var (prefix, sign) in new[] { ("club", -1L), ("public", -1L), ("event", -1L), ("id", 1L) })
        {
            if (text.StartsWith(prefix, StringComparison.Ordinal)
                && long.TryParse(text.AsSpan(prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var id)
                && id > 0)
            {
                ownerId = sign * id;
                return true;
            }
        }

        ownerId = 0;
        return false;
    }
}
