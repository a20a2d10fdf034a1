using System.Buffers;
using Mcu.Sdk.AspNetCore;
using Mcu.Sdk.Channels;
using Mcu.Sdk.Diagnostics;
using Mcu.Sdk.Internal;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Mcu.Sdk;

/// <summary>Maps the channels' webhook endpoints.</summary>
public static partial class McuWebhookEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Maps every <see cref="IWebhookHandler"/> registered in DI (channel packages register theirs, for example
    /// <c>AddTelegram(o =&gt; o.Mode = TelegramIntakeMode.Webhook)</c>) as <c>POST {prefix}/{handler.Path}</c>.
    /// </summary>
    /// <param name="endpoints">The endpoint route builder (the <c>WebApplication</c>).</param>
    /// <param name="prefix">The path prefix; <c>/webhooks</c> by default.</param>
    /// <returns>The group of the mapped endpoints, to add conventions (rate limiting, host filters).</returns>
    /// <remarks>
    /// <para>
    /// Each request's body is read up to <see cref="McuWebhookOptions.MaxBodySize"/> (1 MiB by default): an oversize body, like a
    /// malformed one, is answered with <b>400</b> (never 413), so that every "bad input" answer of the endpoint is the same code,
    /// and the handler never sees it. The handler's <see cref="WebhookResponse"/> is written as is (200 after the appeal was
    /// accepted, 400 for malformed bodies, 401 for wrong secrets).
    /// </para>
    /// <para>Configure the limit with <c>services.Configure&lt;McuWebhookOptions&gt;(...)</c> before the endpoints are mapped.</para>
    /// <para>
    /// An exception from a handler is an infrastructure failure (the store is down): it is logged and answered with <b>500</b>,
    /// nothing is stored half-way, and the channel redelivers. A request aborted by the client gets no answer.
    /// </para>
    /// </remarks>
    /// <exception cref="ArgumentNullException"><paramref name="endpoints"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="prefix"/> does not start with <c>/</c>.</exception>
    /// <exception cref="InvalidOperationException">No handler is registered, two handlers share a path, or <see cref="McuWebhookOptions.MaxBodySize"/> is out of range.</exception>
    public static IEndpointConventionBuilder MapMcuWebhooks(this IEndpointRouteBuilder endpoints, string prefix = "/webhooks")
    {
        Throw.IfNull(endpoints);
        Throw.IfNull(prefix);
        if (!prefix.StartsWith('/'))
        {
            throw new ArgumentException($"The webhook prefix must start with '/'; got '{prefix}'.", nameof(prefix));
        }

        var handlers = endpoints.ServiceProvider.GetServices<IWebhookHandler>().ToArray();
        if (handlers.Length == 0)
        {
            throw new InvalidOperationException(
                "No IWebhookHandler is registered: add a channel in webhook mode first, for example services.AddMcu(mcu => mcu.AddTelegram(o => o.Mode = TelegramIntakeMode.Webhook)).");
        }

        var duplicate = handlers.GroupBy(h => h.Path.Trim('/'), StringComparer.OrdinalIgnoreCase).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new InvalidOperationException($"Two webhook handlers share the path '{duplicate.Key}': {string.Join(", ", duplicate.Select(h => h.Channel.Value))}.");
        }

        var loggerFactory = endpoints.ServiceProvider.GetService<ILoggerFactory>() ?? NullLoggerFactory.Instance;
        var logger = loggerFactory.CreateLogger("Mcu.Sdk.AspNetCore.Webhooks");
        var options = endpoints.ServiceProvider.GetService<IOptions<McuWebhookOptions>>()?.Value ?? new McuWebhookOptions();
        if (options.MaxBodySize is < 1024 or > 64L * 1024 * 1024)
        {
            throw new InvalidOperationException($"McuWebhookOptions.MaxBodySize must be from 1 KiB to 64 MiB; got {options.MaxBodySize}.");
        }

        var group = endpoints.MapGroup(prefix.TrimEnd('/'));
        foreach (var handler in handlers)
        {
            group.MapPost("/" + handler.Path.Trim('/'), (HttpContext context) => HandleAsync(context, handler, options, logger))
                .WithDisplayName($"Mcu webhook: {handler.Channel}")
                .DisableAntiforgery();
        }

        return group;
    }

    private static async Task HandleAsync(HttpContext context, IWebhookHandler handler, McuWebhookOptions options, ILogger logger)
    {
        var aborted = context.RequestAborted;
        var limit = options.MaxBodySize;
        if (context.Request.ContentLength > limit)
        {
            McuDiagnostics.RecordSkippedUpdate(handler.Channel, "oversize_body");
            LogOversize(logger, handler.Channel.Value, limit);
            await WriteAsync(context, WebhookResponse.BadRequest("body too large")).ConfigureAwait(false);
            return;
        }

        byte[]? body;
        try
        {
            body = await ReadBodyAsync(context.Request.Body, limit, aborted).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (aborted.IsCancellationRequested)
        {
            return;
        }
        catch (BadHttpRequestException)
        {
            body = null; // the server refused the body (broken chunking, its own size limit)
        }

        if (body is null)
        {
            McuDiagnostics.RecordSkippedUpdate(handler.Channel, "oversize_body");
            LogOversize(logger, handler.Channel.Value, limit);
            await WriteAsync(context, WebhookResponse.BadRequest("body too large or unreadable")).ConfigureAwait(false);
            return;
        }

        var headers = context.Request.Headers.Select(h => new KeyValuePair<string, string>(h.Key, h.Value.ToString()));
        var request = new WebhookRequest(body, headers, context.Request.ContentType);
        WebhookResponse response;
        try
        {
            response = await handler.HandleAsync(request, aborted).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (aborted.IsCancellationRequested)
        {
            return; // the channel gave up on this request and will redeliver
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            LogHandlerFailed(logger, ex, handler.Channel.Value);
            response = new WebhookResponse(StatusCodes.Status500InternalServerError, "internal error");
        }

        await WriteAsync(context, response).ConfigureAwait(false);
    }

    /// <summary>Reads the body up to <paramref name="limit"/> bytes; <see langword="null"/> when it is longer.</summary>
    private static async Task<byte[]?> ReadBodyAsync(Stream body, long limit, CancellationToken cancellationToken)
    {
        var writer = new ArrayBufferWriter<byte>(4096);
        while (true)
        {
            var memory = writer.GetMemory(8192);
            var read = await body.ReadAsync(memory, cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                return writer.WrittenSpan.ToArray();
            }

            writer.Advance(read);
            if (writer.WrittenCount > limit)
            {
                return null;
            }
        }
    }

    private static Task WriteAsync(HttpContext context, WebhookResponse response)
    {
        context.Response.StatusCode = response.StatusCode;
        if (response.Body is null)
        {
            context.Response.ContentLength = 0;
            return Task.CompletedTask;
        }

        context.Response.ContentType = response.ContentType;
        return context.Response.WriteAsync(response.Body, context.RequestAborted);
    }

    [LoggerMessage(EventId = 200, Level = LogLevel.Warning, Message = "Webhook request of {Channel} refused with 400: the body exceeds {Limit} bytes")]
    private static partial void LogOversize(ILogger logger, string channel, long limit);

    [LoggerMessage(EventId = 201, Level = LogLevel.Error, Message = "Webhook handler of {Channel} failed; answered 500 so that the channel redelivers")]
    private static partial void LogHandlerFailed(ILogger logger, Exception exception, string channel);
}
