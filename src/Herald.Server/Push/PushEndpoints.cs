using System.Text.Json.Serialization;
using Herald.Server.Consumer;
using Herald.Server.Http;
using Herald.Server.OpenApi;
using Herald.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.WebUtilities;

namespace Herald.Server.Push;

public static class PushEndpoints
{
    /// <summary>The VAPID public key: anyone may read it (the browser's <c>applicationServerKey</c>).</summary>
    public static void MapPushKey(this RouteGroupBuilder consumer) =>
        consumer.MapGet("/push/key", (VapidKeys keys) => TypedResults.Json(new PushKey(keys.PublicKey), ApiJson.Options))
            .Answers<PushKey>("getPushKey", "The VAPID public key")
            .WithDescription("The browser's `applicationServerKey` for `PushManager.subscribe`: base64url, an uncompressed P-256 point.");

    public static void MapPushEndpoints(this RouteGroupBuilder me)
    {
        me.MapPut("/push/subscription", Subscribe).Reads<PushSubscriptionRequest>().AnswersEmpty("setPushSubscription", "Set this device's Web Push subscription")
            .WithDescription("The browser's `PushSubscription.toJSON()`; one per device, a new one replaces it. The endpoint must be https and outside private networks.")
            .Errors("invalid_request", "push_endpoint_not_allowed");
        me.MapDelete("/push/subscription", async (HttpContext context, ConsumerDevices devices) =>
        {
            await devices.SetPush(DeviceAuth.Current(context).DeviceId, null);
            return TypedResults.NoContent();
        }).AnswersEmpty("deletePushSubscription", "Remove this device's Web Push subscription")
            .WithDescription("Herald stops pushing to this device; messages still come over the WebSocket.");
    }

    /// <summary>This device's subscription (the browser's <c>PushSubscription.toJSON()</c>); one per device, a new one replaces it.</summary>
    private static async Task<IResult> Subscribe(HttpContext context, ConsumerDevices devices, PushEndpointGuard guard, PushlessConsumers pushless)
    {
        var (request, problem) = await JsonBody.Read(context, ApiJson.Type<PushSubscriptionRequest>());
        if (problem is not null)
            return problem;
        var errors = new Dictionary<string, string>();
        if (!IsKey(request!.Keys?.P256dh, 65) || WebEncoders.Base64UrlDecode(request.Keys!.P256dh!)[0] != 0x04)
            errors["keys.p256dh"] = "the browser's P-256 public key: 65 bytes, base64url";
        if (!IsKey(request.Keys?.Auth, 16))
            errors["keys.auth"] = "the browser's auth secret: 16 bytes, base64url";
        if (errors.Count > 0)
            return Problems.Invalid(errors);
        if (await guard.Check(request.Endpoint, context.RequestAborted) is { } refused)
            return Problems.Create(400, "push_endpoint_not_allowed", "This push endpoint is not allowed.", $"'endpoint' {refused}.",
                new Dictionary<string, string> { ["endpoint"] = refused });
        var device = DeviceAuth.Current(context);
        await devices.SetPush(device.DeviceId, new PushTarget(request.Endpoint!, request.Keys!.P256dh!, request.Keys.Auth!));
        pushless.Subscribed(device.ConsumerId);
        return TypedResults.NoContent();
    }

    private static bool IsKey(string? value, int bytes)
    {
        if (string.IsNullOrEmpty(value) || value.Length > 200)
            return false;
        try
        {
            return WebEncoders.Base64UrlDecode(value).Length == bytes;
        }
        catch (FormatException)
        {
            return false;
        }
    }
}

/// <param name="PublicKey">base64url of the uncompressed P-256 point (65 bytes)</param>
public sealed record PushKey(string PublicKey);

/// <summary>The browser's <c>PushSubscription.toJSON()</c>, as it is (camelCase <c>expirationTime</c>).</summary>
public sealed record PushSubscriptionRequest(
    string? Endpoint, [property: JsonPropertyName("expirationTime")] long? ExpirationTime, PushSubscriptionKeys? Keys);

public sealed record PushSubscriptionKeys([property: JsonPropertyName("p256dh")] string? P256dh, string? Auth);
