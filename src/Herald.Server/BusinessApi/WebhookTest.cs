using Herald.Core.Callbacks;
using Herald.Core.Security;
using Herald.Server.Http;
using Herald.Storage;
using Microsoft.AspNetCore.Http;

namespace Herald.Server.BusinessApi;

/// <summary>
/// <c>POST /v1/webhook/test</c>: queues a <c>webhook.test</c> event for the business's webhook. It goes the way every
/// event goes (the outbox, batching, the Standard Webhooks signature, retries, the delivery log), so a receiver that
/// takes it takes the real ones.
/// </summary>
public static class WebhookTest
{
    public const string EventType = CallbackEventTypes.WebhookTest;

    public static async Task<IResult> Send(HttpContext context, BusinessStore businesses, OutboxStore outbox, TimeProvider time)
    {
        var business = BusinessAuth.Current(context);
        // Read fresh: the business authenticated from a cache that may be seconds old, and a just-set webhook counts.
        if (businesses.Get(business.Id)?.CallbackUrl is null)
            return Problems.Create(404, "not_found", "Not found.", "No webhook is set, so there is nothing to test: PUT /v1/webhook first.");
        var evt = new CallbackEvent { EventId = Secrets.NewId("evt"), Type = EventType, Timestamp = time.GetUtcNow() };
        await outbox.Add(business.Id, evt);
        return TypedResults.Json(new WebhookTestQueued(evt.EventId, EventType), ApiJson.Options, statusCode: StatusCodes.Status202Accepted);
    }
}

public sealed record WebhookTestQueued(string EventId, string Type);
