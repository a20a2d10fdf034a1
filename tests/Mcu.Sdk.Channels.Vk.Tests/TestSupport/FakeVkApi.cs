using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json.Nodes;
using Mcu.Sdk.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Mcu.Sdk.Channels.Vk.Tests.TestSupport;

/// <summary>
/// A fake VK API on 127.0.0.1 (Kestrel, port 0) that serves the documented envelopes — <c>{"response": …}</c> and
/// <c>{"error": {"error_code", "error_msg"}}</c> — for the methods the channel calls, checks the token kinds VK's schema
/// allows per method, honours <c>random_id</c> and <c>guid</c> idempotency the way VK does (a repeat is answered with the
/// original id and counted, so a duplicate send is detectable), and runs a Bots Long Poll server.
/// </summary>
internal sealed class FakeVkApi : IAsyncDisposable
{
    public const long GroupId = 201077021;
    public const string CommunityToken = "vk1.a.community-token-for-tests";
    public const string UserToken = "vk1.a.user-token-for-tests";
    public const string ServiceToken = "service-token-for-tests";

    private readonly WebApplication _app;
    private readonly Lock _gate = new();
    private readonly ConcurrentQueue<FakeVkCall> _calls = new();
    private readonly Dictionary<string, Queue<(int Code, string Message)>> _failures = new(StringComparer.Ordinal);
    private readonly Dictionary<(long Peer, int RandomId), long> _sentByRandomId = [];
    private readonly List<FakeSentMessage> _messages = [];
    private readonly Dictionary<string, long> _commentsByGuid = new(StringComparer.Ordinal);
    private readonly List<FakeCreatedComment> _comments = [];
    private readonly Dictionary<long, List<FakePost>> _walls = [];
    private readonly List<JsonObject> _events = [];
    private readonly Queue<JsonObject> _longPollScript = new();
    private readonly ConcurrentQueue<FakeLongPollRequest> _longPollRequests = new();
    private readonly List<(string Method, int Count, TaskCompletionSource Done)> _callWaiters = [];
    private long _nextId = 1000;
    private int _keyGeneration = 1;
    private int _historyStart = 1;
    private int _duplicateSends;
    private int _duplicateComments;
    private int _tokenInUrl;
    private int _deliveryAttempts;
    private readonly Queue<ChannelFault> _deliveryFaults = new();

    private FakeVkApi(WebApplication app, Uri baseUrl)
    {
        _app = app;
        BaseUrl = baseUrl;
    }

    /// <summary>Gets the base address (use as <c>ApiBaseUrl</c>).</summary>
    public Uri BaseUrl { get; }

    /// <summary>Gets or sets VK's limit of one message; longer ones are answered with 914.</summary>
    public int MaxMessageLength { get; set; } = 4096;

    /// <summary>Gets or sets a value indicating whether <c>groups.getLongPollServer</c> answers <c>ts=1</c>, so events queued before the intake started are delivered (as events that arrive right after the key was issued).</summary>
    public bool LongPollFromFirstEvent { get; set; }

    /// <summary>Gets or sets the confirmation code <c>groups.getCallbackConfirmationCode</c> returns.</summary>
    public string ConfirmationCode { get; set; } = "3a7f9c1e";

    /// <summary>Gets the peers that do not accept messages from the community, with the error VK answers.</summary>
    public ConcurrentDictionary<long, int> BlockedPeers { get; } = new();

    /// <summary>Gets the users <c>users.get</c> knows.</summary>
    public ConcurrentDictionary<long, (string First, string Last)> Users { get; } = new();

    /// <summary>Gets the screen names <c>utils.resolveScreenName</c> knows.</summary>
    public ConcurrentDictionary<string, (string Type, long Id)> ScreenNames { get; } = new(StringComparer.Ordinal);

    /// <summary>Gets every API call (without the token), in order.</summary>
    public IReadOnlyList<FakeVkCall> Calls => _calls.ToArray();

    /// <summary>Gets the messages delivered (each once, whatever the retries).</summary>
    public IReadOnlyList<FakeSentMessage> Messages
    {
        get
        {
            lock (_gate)
            {
                return [.. _messages];
            }
        }
    }

    /// <summary>Gets the comments created (each once, whatever the retries).</summary>
    public IReadOnlyList<FakeCreatedComment> Comments
    {
        get
        {
            lock (_gate)
            {
                return [.. _comments];
            }
        }
    }

    /// <summary>Gets how many <c>messages.send</c> calls repeated a <c>random_id</c> already delivered to the same peer.</summary>
    public int DuplicateSends => Volatile.Read(ref _duplicateSends);

    /// <summary>Gets how many comment calls repeated a <c>guid</c> already used.</summary>
    public int DuplicateComments => Volatile.Read(ref _duplicateComments);

    /// <summary>Gets how many delivery calls (<c>messages.send</c>, <c>*.createComment</c>) reached the fake, failed and hanging ones included.</summary>
    public int DeliveryAttempts => Volatile.Read(ref _deliveryAttempts);

    /// <summary>Gets how many calls carried an access token in the URL (must stay 0).</summary>
    public int TokenInUrlCount => Volatile.Read(ref _tokenInUrl);

    /// <summary>Gets the long-poll requests received.</summary>
    public IReadOnlyList<FakeLongPollRequest> LongPollRequests => _longPollRequests.ToArray();

    /// <summary>Gets the current long-poll key.</summary>
    public string CurrentKey
    {
        get
        {
            lock (_gate)
            {
                return KeyOf(_keyGeneration);
            }
        }
    }

    /// <summary>Starts the server.</summary>
    public static async Task<FakeVkApi> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(o => o.Listen(System.Net.IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        var app = builder.Build();
        FakeVkApi? self = null;
        app.MapPost("/method/{name}", (HttpContext context, string name) => self!.HandleMethodAsync(context, name));
        app.MapGet("/lp", (HttpContext context) => self!.HandleLongPoll(context));
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        self = new FakeVkApi(app, new Uri(address.EndsWith('/') ? address : address + "/"));
        return self;
    }

    /// <summary>Makes the next <paramref name="times"/> calls of a method fail with a VK error.</summary>
    public void FailNext(string method, int code, string message, int times = 1)
    {
        lock (_gate)
        {
            if (!_failures.TryGetValue(method, out var queue))
            {
                _failures[method] = queue = new Queue<(int, string)>();
            }

            for (var i = 0; i < times; i++)
            {
                queue.Enqueue((code, message));
            }
        }
    }

    /// <summary>Completes when the fake has received <paramref name="count"/> calls of a method (at most 20 s of real time).</summary>
    public Task WaitForCallsAsync(string method, int count)
    {
        lock (_gate)
        {
            if (CallsTo(method).Count >= count)
            {
                return Task.CompletedTask;
            }

            var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _callWaiters.Add((method, count, done));
            return done.Task.WaitAsync(TimeSpan.FromSeconds(20));
        }
    }

    /// <summary>
    /// Makes the next <paramref name="count"/> delivery calls fail: transient as VK error 10 (internal server error), permanent
    /// as VK error 100 (invalid parameter), or hang until the client gives up.
    /// </summary>
    public void FailDeliveries(ChannelFault fault, int count = 1)
    {
        lock (_gate)
        {
            for (var i = 0; i < count; i++)
            {
                _deliveryFaults.Enqueue(fault);
            }
        }
    }

    /// <summary>Gets the calls of one method.</summary>
    public IReadOnlyList<FakeVkCall> CallsTo(string method) => Calls.Where(c => c.Method == method).ToArray();

    /// <summary>Adds a post to a wall.</summary>
    public FakePost AddPost(long ownerId, long id, DateTimeOffset date, string text, long? fromId = null, bool pinned = false)
    {
        var post = new FakePost(ownerId, id, date, text, fromId ?? ownerId, pinned);
        lock (_gate)
        {
            if (!_walls.TryGetValue(ownerId, out var wall))
            {
                _walls[ownerId] = wall = [];
            }

            wall.Add(post);
        }

        return post;
    }

    /// <summary>Adds a comment under a post (a reply in a thread when <paramref name="parentId"/> is set).</summary>
    public void AddComment(FakePost post, long id, DateTimeOffset date, string text, long fromId, long? parentId = null)
    {
        lock (_gate)
        {
            var comment = new FakeComment(id, date, text, fromId);
            if (parentId is { } parent)
            {
                post.Comments.Single(c => c.Id == parent).Replies.Add(comment);
            }
            else
            {
                post.Comments.Add(comment);
            }
        }
    }

    /// <summary>Adds a Bots Long Poll event (<c>{"type", "event_id", "v", "object", "group_id"}</c>).</summary>
    public void AddEvent(string type, JsonObject eventObject, string? eventId = null)
    {
        lock (_gate)
        {
            _events.Add(new JsonObject
            {
                ["group_id"] = GroupId,
                ["type"] = type,
                ["event_id"] = eventId ?? Guid.NewGuid().ToString("N"),
                ["v"] = "5.199",
                ["object"] = eventObject,
            });
        }
    }

    /// <summary>Makes the current long-poll key expire: the next request with it is answered <c>{"failed":2}</c>.</summary>
    public void ExpireKey()
    {
        lock (_gate)
        {
            _keyGeneration++;
        }
    }

    /// <summary>Drops the event history before the current position: an older <c>ts</c> is answered <c>{"failed":1,"ts":…}</c>.</summary>
    public void DropHistory()
    {
        lock (_gate)
        {
            _historyStart = _events.Count + 1;
        }
    }

    /// <summary>Makes the next long-poll request be answered <c>{"failed":3}</c> (information lost) and invalidates the key.</summary>
    public void LoseSession()
    {
        lock (_gate)
        {
            _longPollScript.Enqueue(new JsonObject { ["failed"] = 3 });
            _keyGeneration++;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private static string KeyOf(int generation) => "lp-key-" + generation.ToString(CultureInfo.InvariantCulture);

    private async Task<IResult> HandleMethodAsync(HttpContext context, string method)
    {
        if (context.Request.Query.ContainsKey("access_token"))
        {
            Interlocked.Increment(ref _tokenInUrl);
        }

        var form = await context.Request.ReadFormAsync();
        var fields = form.Where(f => f.Key != "access_token").ToDictionary(f => f.Key, f => f.Value.ToString(), StringComparer.Ordinal);
        var token = form["access_token"].ToString();
        var kind = token switch
        {
            CommunityToken => "community",
            UserToken => "user",
            ServiceToken => "service",
            _ => null,
        };
        _calls.Enqueue(new FakeVkCall(method, fields, kind, context.Request.ContentType ?? string.Empty));
        lock (_gate)
        {
            foreach (var waiter in _callWaiters.Where(w => w.Method == method && CallsTo(method).Count >= w.Count))
            {
                waiter.Done.TrySetResult();
            }
        }

        if (kind is null)
        {
            return Error(5, "User authorization failed: invalid access_token (4).");
        }

        if (!fields.TryGetValue("v", out var version) || version != "5.199")
        {
            return Error(8, "Invalid request: v (version) is required");
        }

        ChannelFault? deliveryFault = null;
        lock (_gate)
        {
            if (method is "messages.send" or "wall.createComment" or "photos.createComment" or "board.createComment")
            {
                _deliveryAttempts++;
                if (_deliveryFaults.TryDequeue(out var fault))
                {
                    deliveryFault = fault;
                }
            }

            if (deliveryFault is null && _failures.TryGetValue(method, out var queue) && queue.TryDequeue(out var failure))
            {
                return Error(failure.Code, failure.Message);
            }
        }

        switch (deliveryFault)
        {
            case ChannelFault.Transient:
                return Error(10, "Internal server error: could not check access_token now, check later.");
            case ChannelFault.Permanent:
                return Error(100, "One of the parameters specified was missing or invalid");
            case ChannelFault.Hang:
                await Task.Delay(Timeout.Infinite, context.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
                return Results.Empty;
        }

        // Token kinds as VK's schema lists them (access_token_type).
        var allowed = method switch
        {
            "groups.getLongPollServer" or "groups.getCallbackConfirmationCode" or "messages.send" => new[] { "community", "user" },
            "wall.createComment" => ["community", "user"],
            "photos.createComment" or "board.createComment" => ["user"],
            "wall.get" or "wall.getComments" => ["user", "service"],
            _ => ["community", "user", "service"],
        };
        if (!allowed.Contains(kind))
        {
            return kind == "community"
                ? Error(27, "Group authorization failed: method is unavailable with group auth.")
                : Error(28, "Application authorization failed: method is unavailable with service token.");
        }

        return method switch
        {
            "groups.getLongPollServer" => LongPollServer(fields),
            "groups.getCallbackConfirmationCode" => Response(new JsonObject { ["code"] = ConfirmationCode }),
            "messages.send" => SendMessage(fields),
            "wall.createComment" => CreateComment(method, fields, kind),
            "photos.createComment" or "board.createComment" => CreateComment(method, fields, kind),
            "wall.get" => WallGet(fields),
            "wall.getComments" => WallGetComments(fields),
            "users.get" => UsersGet(fields),
            "utils.resolveScreenName" => ResolveScreenName(fields),
            _ => Error(3, "Unknown method passed."),
        };
    }

    private IResult LongPollServer(Dictionary<string, string> fields)
    {
        if (Long(fields, "group_id") != GroupId)
        {
            return Error(100, "One of the parameters specified was missing or invalid: group_id is invalid");
        }

        lock (_gate)
        {
            return Response(new JsonObject
            {
                ["server"] = new Uri(BaseUrl, "lp").AbsoluteUri,
                ["key"] = KeyOf(_keyGeneration),
                ["ts"] = LongPollFromFirstEvent ? "1" : (_events.Count + 1).ToString(CultureInfo.InvariantCulture),
            });
        }
    }

    private IResult SendMessage(Dictionary<string, string> fields)
    {
        var peer = Long(fields, "peer_id");
        var randomId = (int)Long(fields, "random_id");
        var text = fields.GetValueOrDefault("message") ?? string.Empty;
        if (peer == 0)
        {
            return Error(100, "One of the parameters specified was missing or invalid: peer_id is undefined");
        }

        if (BlockedPeers.TryGetValue(peer, out var code))
        {
            return Error(code, code == 901 ? "Can't send messages for users without permission" : "Can't send messages to this user");
        }

        if (text.Length > MaxMessageLength)
        {
            return Error(914, "Message is too long");
        }

        lock (_gate)
        {
            if (randomId != 0 && _sentByRandomId.TryGetValue((peer, randomId), out var existing))
            {
                _duplicateSends++;
                return Response(JsonValue.Create(existing));
            }

            var id = ++_nextId;
            if (randomId != 0)
            {
                _sentByRandomId[(peer, randomId)] = id;
            }

            _messages.Add(new FakeSentMessage(id, peer, randomId, text, fields.GetValueOrDefault("attachment"), fields.GetValueOrDefault("forward")));
            return Response(JsonValue.Create(id));
        }
    }

    private IResult CreateComment(string method, Dictionary<string, string> fields, string kind)
    {
        var guid = fields.GetValueOrDefault("guid") ?? string.Empty;
        var owner = method == "board.createComment" ? -Long(fields, "group_id") : Long(fields, "owner_id");
        var item = method switch
        {
            "wall.createComment" => Long(fields, "post_id"),
            "photos.createComment" => Long(fields, "photo_id"),
            _ => Long(fields, "topic_id"),
        };
        if (item == 0 || owner == 0)
        {
            return Error(100, "One of the parameters specified was missing or invalid");
        }

        if (method == "wall.createComment" && kind == "community" && owner != -GroupId)
        {
            return Error(15, "Access denied");
        }

        lock (_gate)
        {
            var dedupeKey = $"{method}|{owner}|{item}|{guid}";
            if (guid.Length > 0 && _commentsByGuid.TryGetValue(dedupeKey, out var existing))
            {
                _duplicateComments++;
                return CommentResponse(method, existing);
            }

            var id = ++_nextId;
            if (guid.Length > 0)
            {
                _commentsByGuid[dedupeKey] = id;
            }

            _comments.Add(new FakeCreatedComment(
                id,
                method,
                owner,
                item,
                fields.GetValueOrDefault("message") ?? string.Empty,
                fields.TryGetValue("reply_to_comment", out var reply) ? long.Parse(reply, CultureInfo.InvariantCulture) : null,
                fields.GetValueOrDefault("from_group"),
                guid,
                fields.GetValueOrDefault("attachments"),
                kind));
            return CommentResponse(method, id);
        }
    }

    private static IResult CommentResponse(string method, long id) =>
        method == "wall.createComment" ? Response(new JsonObject { ["comment_id"] = id, ["parents_stack"] = new JsonArray() }) : Response(JsonValue.Create(id));

    private IResult WallGet(Dictionary<string, string> fields)
    {
        var owner = Long(fields, "owner_id");
        var offset = (int)Long(fields, "offset");
        var count = fields.ContainsKey("count") ? (int)Long(fields, "count") : 20;
        lock (_gate)
        {
            var wall = _walls.GetValueOrDefault(owner) ?? [];
            var ordered = wall.Where(p => p.Pinned).Concat(wall.Where(p => !p.Pinned).OrderByDescending(p => p.Date).ThenByDescending(p => p.Id)).ToArray();
            var items = new JsonArray();
            foreach (var post in ordered.Skip(offset).Take(count))
            {
                var item = new JsonObject
                {
                    ["id"] = post.Id,
                    ["owner_id"] = post.OwnerId,
                    ["from_id"] = post.FromId,
                    ["date"] = post.Date.ToUnixTimeSeconds(),
                    ["text"] = post.Text,
                    ["post_type"] = "post",
                    ["comments"] = new JsonObject { ["count"] = post.Comments.Count + post.Comments.Sum(c => c.Replies.Count), ["can_post"] = 1 },
                };
                if (post.Pinned)
                {
                    item["is_pinned"] = 1;
                }

                items.Add(item);
            }

            return Response(new JsonObject { ["count"] = wall.Count, ["items"] = items });
        }
    }

    private IResult WallGetComments(Dictionary<string, string> fields)
    {
        var owner = Long(fields, "owner_id");
        var postId = Long(fields, "post_id");
        var offset = (int)Long(fields, "offset");
        var count = fields.ContainsKey("count") ? (int)Long(fields, "count") : 10;
        var threadItems = fields.ContainsKey("thread_items_count") ? (int)Long(fields, "thread_items_count") : 0;
        lock (_gate)
        {
            var post = _walls.GetValueOrDefault(owner)?.SingleOrDefault(p => p.Id == postId);
            if (post is null)
            {
                return Error(100, "One of the parameters specified was missing or invalid: post_id is invalid");
            }

            var items = new JsonArray();
            foreach (var comment in post.Comments.OrderBy(c => c.Id).Skip(offset).Take(count))
            {
                var item = CommentJson(comment, owner, postId, null);
                var thread = new JsonArray();
                foreach (var reply in comment.Replies.OrderBy(r => r.Id).Take(threadItems))
                {
                    thread.Add(CommentJson(reply, owner, postId, comment.Id));
                }

                item["thread"] = new JsonObject { ["count"] = comment.Replies.Count, ["items"] = thread };
                items.Add(item);
            }

            return Response(new JsonObject { ["count"] = post.Comments.Count, ["current_level_count"] = post.Comments.Count, ["items"] = items });
        }
    }

    private static JsonObject CommentJson(FakeComment comment, long owner, long postId, long? parent)
    {
        var json = new JsonObject
        {
            ["id"] = comment.Id,
            ["from_id"] = comment.FromId,
            ["date"] = comment.Date.ToUnixTimeSeconds(),
            ["text"] = comment.Text,
            ["post_id"] = postId,
            ["owner_id"] = owner,
        };
        if (parent is { } p)
        {
            json["parents_stack"] = new JsonArray(p);
            json["reply_to_comment"] = p;
        }

        return json;
    }

    private IResult UsersGet(Dictionary<string, string> fields)
    {
        var result = new JsonArray();
        foreach (var text in (fields.GetValueOrDefault("user_ids") ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            var id = long.Parse(text, CultureInfo.InvariantCulture);
            if (Users.TryGetValue(id, out var name))
            {
                result.Add(new JsonObject { ["id"] = id, ["first_name"] = name.First, ["last_name"] = name.Last });
            }
        }

        return Response(result);
    }

    private IResult ResolveScreenName(Dictionary<string, string> fields) =>
        ScreenNames.TryGetValue(fields.GetValueOrDefault("screen_name") ?? string.Empty, out var found)
            ? Response(new JsonObject { ["type"] = found.Type, ["object_id"] = found.Id })
            : Response(new JsonArray());

    private IResult HandleLongPoll(HttpContext context)
    {
        var query = context.Request.Query;
        var request = new FakeLongPollRequest(query["act"].ToString(), query["key"].ToString(), query["ts"].ToString(), query["wait"].ToString());
        _longPollRequests.Enqueue(request);
        lock (_gate)
        {
            if (_longPollScript.TryDequeue(out var scripted))
            {
                return Json(scripted);
            }

            if (request.Key != KeyOf(_keyGeneration))
            {
                return Json(new JsonObject { ["failed"] = 2 });
            }

            if (!int.TryParse(request.Ts, NumberStyles.None, CultureInfo.InvariantCulture, out var ts) || ts < _historyStart)
            {
                return Json(new JsonObject { ["failed"] = 1, ["ts"] = (_events.Count + 1).ToString(CultureInfo.InvariantCulture) });
            }

            var updates = new JsonArray();
            for (var n = ts; n <= _events.Count; n++)
            {
                updates.Add(_events[n - 1].DeepClone());
            }

            return Json(new JsonObject
            {
                ["ts"] = Math.Max(ts, _events.Count + 1).ToString(CultureInfo.InvariantCulture),
                ["updates"] = updates,
            });
        }
    }

    private static long Long(Dictionary<string, string> fields, string name) =>
        fields.TryGetValue(name, out var text) && long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) ? value : 0;

    private static IResult Response(JsonNode? response) => Json(new JsonObject { ["response"] = response });

    private static IResult Error(int code, string message) => Json(new JsonObject
    {
        ["error"] = new JsonObject
        {
            ["error_code"] = code,
            ["error_msg"] = message,
            ["request_params"] = new JsonArray(new JsonObject { ["key"] = "oauth", ["value"] = "1" }),
        },
    });

    private static IResult Json(JsonNode node) => Results.Text(node.ToJsonString(), "application/json; charset=utf-8");
}

/// <summary>An API call the fake received.</summary>
internal sealed record FakeVkCall(string Method, IReadOnlyDictionary<string, string> Fields, string? TokenKind, string ContentType);

/// <summary>A message the fake delivered.</summary>
internal sealed record FakeSentMessage(long Id, long PeerId, int RandomId, string Text, string? Attachment, string? Forward);

/// <summary>A comment the fake created.</summary>
internal sealed record FakeCreatedComment(long Id, string Method, long OwnerId, long ItemId, string Text, long? ReplyToComment, string? FromGroup, string Guid, string? Attachments, string TokenKind);

/// <summary>A long-poll request the fake received.</summary>
internal sealed record FakeLongPollRequest(string Act, string Key, string Ts, string Wait);

/// <summary>A post on a fake wall.</summary>
internal sealed record FakePost(long OwnerId, long Id, DateTimeOffset Date, string Text, long FromId, bool Pinned)
{
    public List<FakeComment> Comments { get; } = [];
}

/// <summary>A comment on a fake wall.</summary>
internal sealed record FakeComment(long Id, DateTimeOffset Date, string Text, long FromId)
{
    public List<FakeComment> Replies { get; } = [];
}
