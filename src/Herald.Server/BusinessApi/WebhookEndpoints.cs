using Herald.Core.Businesses;
using System.ComponentModel.DataAnnotations;
using Herald.Core.Callbacks;
using Herald.Core.Messages;
using Herald.Server.Callbacks;
using Herald.Server.Http;
using Herald.Server.OpenApi;
using Herald.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Herald.Server.BusinessApi;

public static class WebhookEndpoints
{
    public static void MapWebhookEndpoints(this RouteGroupBuilder v1)
    {
        v1.MapPut("/webhook", SetWebhook).Reads<WebhookRequest>().Answers<WebhookView>("setWebhook", "Set the callback URL")
            .WithDescription("The answer carries the signing `secret` (`whsec_…`); it is kept when the URL changes.").Errors("invalid_request")
            .RequiresScope(ApiScopes.Webhook);
        v1.MapPost("/webhook/secret/rotate", WebhookRotation.Rotate).Reads<RotateSecretRequest>()
            .Answers<RotatedSecretView>("rotateWebhookSecret", "Issue a new webhook signing secret")
            .WithDescription("The replaced secret keeps signing too (a second `v1,` signature in `webhook-signature`) until `previous_secret_expires_at`: "
                + "`overlap_seconds` in the optional body, 0 to 604800, default 86400. 404 when no webhook is set.")
            .Errors("invalid_request", "not_found")
            .RequiresScope(ApiScopes.Webhook);
        v1.MapPost("/webhook/test", WebhookTest.Send).Answers<WebhookTestQueued>("sendWebhookTestEvent", "Send a test event to the webhook", StatusCodes.Status202Accepted)
            .WithDescription("Queues a `webhook.test` event: it goes the way every event goes (signed, batched, retried, in the delivery log). 404 when no webhook is set.")
            .Errors("not_found")
            .RequiresScope(ApiScopes.Webhook);
        v1.MapPost("/webhook/deliveries/{eventId}/replay", WebhookReplay.Replay)
            .Answers<ReplayQueued>("replayWebhookDelivery", "Send an event from the delivery log again", StatusCodes.Status202Accepted)
            .WithDescription("A sent or abandoned event goes again in a new POST (a new `webhook-id`, the same `event_id`). 409 `replay_pending` while it still waits for delivery, 409 `content_gone` for a reply whose text was deleted once delivered; another business's event: 404.")
            .Errors("not_found", "replay_pending", "content_gone")
            .RequiresScope(ApiScopes.Webhook);
    }

    /// <summary>
    /// Sets the callback URL. The signing secret is made on the first call and kept after that, so changing the URL
    /// does not break a receiver's verification; it is in every answer. A new secret comes only from a rotation.
    /// </summary>
    private static async Task<IResult> SetWebhook(HttpContext context, BusinessStore businesses, WebhookUrlGuard guard,
        CallbackSignal callbacks, TimeProvider time)
    {
        var (request, problem) = await JsonBody.Read(context, ApiJson.Type<WebhookRequest>());
        if (problem is not null)
            return problem;
        var refusal = await guard.Check(request!.Url, context.RequestAborted);
        if (refusal is not null)
            return Problems.Invalid("url", refusal);

        var secret = await businesses.SetWebhook(BusinessAuth.Current(context).Id, request.Url!, WebhookSignature.NewSecret(), time.GetUtcNow());
        callbacks.Wake();
        return TypedResults.Json(new WebhookView(request.Url!, secret), ApiJson.Options);
    }
}

public sealed record WebhookRequest([property: Required, Url, MaxLength(MessageRules.MaxUrlLength)] string? Url);
public sealed record WebhookView(string Url, string Secret);
