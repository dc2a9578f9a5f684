using Herald.Core.Callbacks;
using Herald.Server.Callbacks;
using Herald.Server.Http;
using Herald.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Herald.Server.Business;

public static class WebhookEndpoints
{
    public static void MapWebhookEndpoints(this RouteGroupBuilder v1)
    {
        v1.MapPut("/webhook", SetWebhook);
        v1.MapPost("/webhook/secret/rotate", WebhookRotation.Rotate);
        v1.MapPost("/webhook/test", WebhookTest.Send);
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

public sealed record WebhookRequest(string? Url);
public sealed record WebhookView(string Url, string Secret);
