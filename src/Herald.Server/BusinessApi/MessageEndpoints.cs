using Herald.Core.Businesses;
using System.ComponentModel.DataAnnotations;
using System.Globalization;
using Herald.Core.Json;
using Herald.Core.Messages;
using Herald.Server.Delivery;
using Herald.Server.Http;
using Herald.Server.OpenApi;
using Herald.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Herald.Server.BusinessApi;

public static class MessageEndpoints
{
    public const int MaxBatch = 1000;
    // 1000 messages at their largest (text, tracking data, three URLs, a QR payload) stay well under this.
    private const long BatchBodyLimit = 16 * 1024 * 1024;

    private static readonly string[] s_sendErrors = ["invalid_request", "content_not_allowed_for_category", "template_required",
        "template_not_approved", "rate_limited", "idempotency_conflict"];

    public static void MapMessageEndpoints(this RouteGroupBuilder v1)
    {
        v1.MapPost("/messages", Send).Reads<SendMessageRequest>().Answers<AcceptedMessage>("sendMessage", "Send one message", 202)
            .WithDescription("Honours `Idempotency-Key` (up to 255 characters): the same key with the same body within 24 h returns the first answer; with another body, 409.")
            .Errors(s_sendErrors).HonoursIdempotencyKey()
            .RequiresScope(ApiScopes.Send);
        v1.MapPost("/messages/batch", SendBatch).Reads<BatchRequest>().Answers<BatchResponse>("sendBatch", $"Send up to {MaxBatch} messages")
            .WithDescription("Each message gets its own result, in order: a `message_id` or an `error`. Only the valid ones are stored. Honours `Idempotency-Key`.")
            .Errors("invalid_request", "rate_limited", "idempotency_conflict").HonoursIdempotencyKey()
            .RequiresScope(ApiScopes.Send);
        v1.MapGet("/messages/{messageId}", GetStatus).Answers<MessageStatusView>("getMessageStatus", "A message's status and times (never its content)")
            .WithDescription("`reason` is there when the message failed; each time is there once the message got that far. 404 `not_found` for another business's message.")
            .Errors("not_found")
            .RequiresScope(ApiScopes.Status);
    }

    private static async Task<IResult> Send(HttpContext context, MessageAcceptor acceptor, SendRateLimiter limiter, IdempotentRequests idempotency)
    {
        var business = BusinessAuth.Current(context);
        var (request, problem, body) = await JsonBody.ReadWithBytes(context, CoreJson.Default.SendMessageRequest);
        if (problem is not null)
            return problem;
        var (attempt, answer) = idempotency.Begin(context, business.Id, "send", body);
        if (answer is not null)
            return answer;
        if (limiter.TryTake(business, 1) is { } wait)
            return RateLimited(context, wait, limiter.RateOf(business));

        var (message, error) = acceptor.Prepare(business, request!, []);
        if (error is not null)
            return Problems.From(error);
        return await idempotency.Complete(attempt, 202, new AcceptedMessage(message!.Id, "accepted"), record => acceptor.Store([message], record));
    }

    /// <summary>Up to 1000 messages; each gets its own result, in order. The valid ones are stored in one transaction.</summary>
    private static async Task<IResult> SendBatch(HttpContext context, MessageAcceptor acceptor, SendRateLimiter limiter, IdempotentRequests idempotency)
    {
        var business = BusinessAuth.Current(context);
        var (request, problem, body) = await JsonBody.ReadWithBytes(context, ApiJson.Type<BatchRequest>(), BatchBodyLimit);
        if (problem is not null)
            return problem;
        if (request!.Messages is not { Count: > 0 and <= MaxBatch } items)
            return Problems.Invalid("messages", $"1 to {MaxBatch} messages");
        var (attempt, answer) = idempotency.Begin(context, business.Id, "batch", body);
        if (answer is not null)
            return answer;
        var rate = limiter.RateOf(business);
        if (items.Count > rate)
            return Problems.Invalid("messages", $"this business may send {rate} messages a second; split the batch into parts of at most {rate}");
        if (limiter.TryTake(business, items.Count) is { } wait)
            return RateLimited(context, wait, rate);

        var approved = new Dictionary<string, Storage.Template?>();
        var results = new BatchResult[items.Count];
        var accepted = new List<NewMessage>(items.Count);
        for (var i = 0; i < items.Count; i++)
        {
            if (items[i] is null)
            {
                results[i] = new BatchResult(null, new BatchError("invalid_request", "The request is not valid.", null, new Dictionary<string, string> { ["body"] = "a message object is required" }));
                continue;
            }
            var (message, error) = acceptor.Prepare(business, items[i], approved);
            if (message is not null)
            {
                accepted.Add(message);
                results[i] = new BatchResult(message.Id, null);
            }
            else
            {
                results[i] = new BatchResult(null, new BatchError(error!.Code, error.Title, error.Detail, error.Errors));
            }
        }
        return await idempotency.Complete(attempt, 200, new BatchResponse(results), record => acceptor.Store(accepted, record));
    }

    private static IResult GetStatus(string messageId, HttpContext context, MessageStore messages)
    {
        var state = messages.Get(BusinessAuth.Current(context).Id, messageId);
        if (state is null)
            return Problems.NotFound("message");
        return TypedResults.Json(new MessageStatusView(
            state.Id, state.To, WireNames.Of(state.Category), WireNames.Of(state.Status),
            state.Reason is { } reason ? WireNames.Of(reason) : null,
            state.AcceptedAt, state.ExpiresAt, state.DeliveredAt, state.SeenAt,
            state.Status == MessageStatus.Expired ? state.EndedAt : null,
            state.Status == MessageStatus.Failed ? state.EndedAt : null, state.CampaignId), ApiJson.Options);
    }

    private static IResult RateLimited(HttpContext context, TimeSpan wait, int rate)
    {
        var seconds = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));
        context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        return Problems.Create(429, "rate_limited", "Too many messages.", $"This business may send {rate} messages a second. Retry after {seconds} s.");
    }
}

public sealed record AcceptedMessage(string MessageId, string Status);

public sealed record BatchRequest([property: Required, MinLength(1), MaxLength(MessageEndpoints.MaxBatch)] List<SendMessageRequest>? Messages);
public sealed record BatchResponse(IReadOnlyList<BatchResult> Results);
public sealed record BatchResult(string? MessageId, BatchError? Error);
public sealed record BatchError(string Code, string Title, string? Detail, IReadOnlyDictionary<string, string>? Errors);

/// <summary>Status and times of a message. Never its content.</summary>
public sealed record MessageStatusView(
    string MessageId, [property: RegularExpression(PhoneNumber.Pattern)] string To, [property: WireValues(WireSet.Category)] string Category,
    [property: WireValues(WireSet.MessageStatus)] string Status, [property: WireValues(WireSet.FailureReason)] string? Reason,
    DateTimeOffset AcceptedAt, DateTimeOffset ExpiresAt, DateTimeOffset? DeliveredAt, DateTimeOffset? SeenAt,
    DateTimeOffset? ExpiredAt, DateTimeOffset? FailedAt, string? CampaignId = null);
