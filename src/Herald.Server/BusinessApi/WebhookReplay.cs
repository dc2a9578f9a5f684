using Herald.Server.Http;
using Herald.Storage;
using Microsoft.AspNetCore.Http;

namespace Herald.Server.BusinessApi;

/// <summary>
/// <c>POST /v1/webhook/deliveries/{event_id}/replay</c>: sends an event from the delivery log again (a receiver that
/// lost or mishandled it). It goes in a new POST under a new <c>webhook-id</c>; its <c>event_id</c> stays, so a
/// receiver that de-duplicates by event keeps one copy.
/// </summary>
public static class WebhookReplay
{
    public static async Task<IResult> Replay(string eventId, HttpContext context, OutboxStore outbox, TimeProvider time)
    {
        switch (await outbox.Replay(BusinessAuth.Current(context).Id, eventId, time.GetUtcNow()))
        {
            case ReplayOutcome.Queued:
                return TypedResults.Json(new ReplayQueued(eventId), ApiJson.Options, statusCode: StatusCodes.Status202Accepted);
            case ReplayOutcome.Pending:
                return Problems.Create(409, "replay_pending", "The event has not been delivered yet.",
                    "It is still waiting for its next attempt; it will be sent without a replay.");
            case ReplayOutcome.ContentGone:
                return Problems.Create(409, "content_gone", "The reply's text is no longer held.",
                    "A reply's text is deleted once the webhook has it (or its retries ran out), so it cannot be sent again.");
            default:
                return Problems.NotFound("event");
        }
    }
}

public sealed record ReplayQueued(string EventId);
