using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using Herald.Core.Businesses;
using Herald.Core.Messages;
using Herald.Server.Http;
using Herald.Server.OpenApi;
using Herald.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Herald.Server.BusinessApi;

/// <summary>
/// The replies inbox: where replies go (<c>PUT /v1/inbox</c>), the replies waiting for the business's Console, a live
/// stream of them (server-sent events), and taking them (after which Herald deletes them; the Console keeps them).
/// </summary>
public static class InboxEndpoints
{
    private const int MaxPage = 500;
    private static readonly TimeSpan s_lookAgain = TimeSpan.FromSeconds(5);

    public static void MapInboxEndpoints(this RouteGroupBuilder v1)
    {
        v1.MapGet("/inbox", (HttpContext context, InboxStore inbox) => Settings(inbox, BusinessAuth.Current(context).Id))
            .Answers<InboxView>("getInbox", "Where replies go, and how many wait for the inbox")
            .WithDescription("`replies_to` is `webhook` until the business chooses otherwise; `waiting` counts replies the inbox has not taken yet.")
            .RequiresScope(ApiScopes.Inbox);
        v1.MapPut("/inbox", SetDestinations).Reads<InboxRequest>().Answers<InboxView>("setInbox", "Choose where replies go")
            .WithDescription("`replies_to`: `webhook` (a signed `reply` event, the default), `inbox` (the Console's inbox) or `both`.")
            .Errors("invalid_request")
            .RequiresScope(ApiScopes.Inbox);
        v1.MapGet("/inbox/replies", Waiting).Answers<InboxRepliesView>("getInboxReplies", "Replies waiting for the inbox")
            .WithDescription($"Oldest first, after `after` (a `seq`); `limit` 1 to {MaxPage} (default 100). Text is held encrypted until taken, 14 days at most.")
            .Errors("invalid_request")
            .RequiresScope(ApiScopes.Inbox);
        v1.MapPost("/inbox/replies/ack", Take).Reads<TakeRepliesRequest>().Answers<TakenView>("takeInboxReplies", "Take replies from the inbox")
            .WithDescription("The inbox has stored these replies (1 to 1000 ids): Herald deletes them. Another business's ids change nothing.")
            .Errors("invalid_request")
            .RequiresScope(ApiScopes.Inbox);
        v1.MapGet("/inbox/stream", Stream).WithName("streamInboxReplies").WithSummary("Live replies (server-sent events)")
            .Produces<InboxReplyView>(StatusCodes.Status200OK, "text/event-stream")
            .WithDescription("One `reply` event per waiting reply (`id:` its `seq`, `data:` the reply), then each new one as it arrives. Resumes after `after` or `Last-Event-ID`.")
            .Errors("invalid_request")
            .RequiresScope(ApiScopes.Inbox);
    }

    private static IResult Settings(InboxStore inbox, string businessId) =>
        TypedResults.Json(new InboxView(ReplyDestinationNames.Of(inbox.Destinations(businessId)), inbox.Count(businessId)), ApiJson.Options);

    private static async Task<IResult> SetDestinations(HttpContext context, InboxStore inbox)
    {
        var (request, problem) = await JsonBody.Read(context, ApiJson.Type<InboxRequest>());
        if (problem is not null)
            return problem;
        if (!ReplyDestinationNames.TryParse(request!.RepliesTo, out var destinations))
            return Problems.Invalid("replies_to", $"one of {string.Join(", ", ReplyDestinationNames.All)}");
        var businessId = BusinessAuth.Current(context).Id;
        await inbox.SetDestinations(businessId, destinations);
        return Settings(inbox, businessId);
    }

    /// <summary><c>GET /v1/inbox/replies?after=SEQ&amp;limit=100</c>: replies waiting, oldest first.</summary>
    private static IResult Waiting(long? after, [Range(1, MaxPage)] int? limit, HttpContext context, InboxStore inbox)
    {
        if (limit is < 1 or > MaxPage)
            return Problems.Invalid("limit", $"1 to {MaxPage}");
        var replies = inbox.Waiting(BusinessAuth.Current(context).Id, after ?? 0, limit ?? 100).Select(InboxReplyView.Of).ToList();
        return TypedResults.Json(new InboxRepliesView(replies), ApiJson.Options);
    }

    private static async Task<IResult> Take(HttpContext context, InboxStore inbox)
    {
        var (request, problem) = await JsonBody.Read(context, ApiJson.Type<TakeRepliesRequest>());
        if (problem is not null)
            return problem;
        if (request!.ReplyIds is not { Count: > 0 and <= 1000 } ids || ids.Any(string.IsNullOrEmpty))
            return Problems.Invalid("reply_ids", "1 to 1000 reply ids");
        var taken = await inbox.Take(BusinessAuth.Current(context).Id, ids);
        return TypedResults.Json(new TakenView(taken), ApiJson.Options);
    }

    /// <summary>
    /// <c>GET /v1/inbox/stream?after=SEQ</c> (or <c>Last-Event-ID</c>): server-sent events, one <c>reply</c> event per
    /// waiting reply, then each new one as it arrives. Taking them is a separate call, so a reply the browser did not
    /// store comes again on the next stream.
    /// </summary>
    private static IResult Stream(long? after, HttpContext context, InboxStore inbox, InboxSignal signal, TimeProvider time)
    {
        var start = after ?? (long.TryParse(context.Request.Headers["Last-Event-ID"], CultureInfo.InvariantCulture, out var last) ? last : 0);
        return TypedResults.ServerSentEvents(Replies(BusinessAuth.Current(context).Id, start, inbox, signal, time, context.Response, context.RequestAborted));
    }

    private static async IAsyncEnumerable<SseItem<InboxReplyView>> Replies(string businessId, long after, InboxStore inbox, InboxSignal signal,
        TimeProvider time, HttpResponse response, [EnumeratorCancellation] CancellationToken cancel)
    {
        while (!cancel.IsCancellationRequested)
        {
            var next = signal.Next(businessId); // before reading: a reply stored after the read still wakes us
            var page = inbox.Waiting(businessId, after, MaxPage);
            foreach (var reply in page)
            {
                after = reply.Seq;
                yield return new SseItem<InboxReplyView>(InboxReplyView.Of(reply), "reply") { EventId = reply.Seq.ToString(CultureInfo.InvariantCulture) };
            }
            if (page.Count == MaxPage)
                continue;
            try
            {
                // Out with the headers and whatever is written before waiting: a browser's fetch() resolves only once
                // the headers arrive, and with nothing waiting there would be no write to send them.
                await response.Body.FlushAsync(cancel);
                await next.WaitAsync(s_lookAgain, time, cancel);
            }
            catch (TimeoutException)
            {
                // look again anyway: a wake-up from another node may have been lost
            }
            catch (OperationCanceledException)
            {
                yield break;
            }
        }
    }
}

public sealed record InboxRequest([property: WireValues(WireSet.ReplyDestinations)] string? RepliesTo);

/// <param name="RepliesTo">webhook, inbox or both</param>
/// <param name="Waiting">replies waiting for the inbox to take them</param>
public sealed record InboxView([property: WireValues(WireSet.ReplyDestinations)] string RepliesTo, int Waiting);

public sealed record TakeRepliesRequest(List<string>? ReplyIds);
public sealed record TakenView(int Taken);
public sealed record InboxRepliesView(IReadOnlyList<InboxReplyView> Replies);

/// <param name="From">the consumer's number</param>
/// <param name="MessageId">the business's message it answers, when the consumer replied to one</param>
public sealed record InboxReplyView(long Seq, string ReplyId, string From, string? MessageId, string Text, DateTimeOffset ReceivedAt)
{
    public static InboxReplyView Of(InboxReply r) => new(r.Seq, r.ReplyId, r.From, r.MessageId, r.Text, r.ReceivedAt);
}
