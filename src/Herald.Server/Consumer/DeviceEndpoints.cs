using Herald.Core.Messages;
using Herald.Server.Http;
using Herald.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Herald.Server.Consumer;

/// <summary>
/// What a device does over HTTP when it has no WebSocket open (a service worker woken by a push): fetch what waits,
/// acknowledge it; and the consumer's list of signed-in devices, any of which they may sign out.
/// </summary>
public static class DeviceEndpoints
{
    public static void MapDeviceEndpoints(this RouteGroupBuilder me)
    {
        me.MapGet("/messages/waiting", Waiting);
        me.MapPost("/acks", Acknowledge);
        me.MapGet("/devices", List);
        me.MapDelete("/devices/{deviceId}", SignOutDevice);
    }

    /// <summary>Everything waiting for this device: what its WebSocket would push on connect.</summary>
    private static async Task<IResult> Waiting(HttpContext context, MessageStore messages, SenderProfiles profiles, ConsumerDevices devices, TimeProvider time)
    {
        var device = DeviceAuth.Current(context);
        var now = time.GetUtcNow();
        var waiting = messages.WaitingFor(device.ConsumerId, device.DeviceId, now)
            .Select(m => profiles.Get(m.BusinessId) is { } sender ? DeliveredMessage.Of(m, sender) : null)
            .OfType<DeliveredMessage>().ToList();
        await devices.Touch(device.DeviceId, now);
        return TypedResults.Json(new WaitingMessages(waiting), ApiJson.Options);
    }

    /// <summary>The same as a <c>delivered</c>/<c>seen</c> frame: when the 200 arrives, the ack is stored.</summary>
    private static async Task<IResult> Acknowledge(HttpContext context, DeviceAcks acks, ConsumerDevices devices, TimeProvider time)
    {
        var (request, problem) = await JsonBody.Read(context, ApiJson.Type<AckRequest>());
        if (problem is not null)
            return problem;
        var ack = request!.Ack switch { "delivered" => MessageStatus.Delivered, "seen" => MessageStatus.Seen, _ => (MessageStatus?)null };
        var errors = new Dictionary<string, string>();
        if (ack is null)
            errors["ack"] = "must be delivered or seen";
        if (request.MessageIds is not { Count: > 0 and <= DeviceAcks.MaxIds } ids || ids.Any(string.IsNullOrEmpty))
            errors["message_ids"] = $"1 to {DeviceAcks.MaxIds} message ids";
        if (errors.Count > 0)
            return Problems.Invalid(errors);
        var device = DeviceAuth.Current(context);
        var distinct = request.MessageIds!.Distinct().ToList();
        await acks.Acknowledge(device, distinct, ack!.Value);
        await devices.Touch(device.DeviceId, time.GetUtcNow());
        return TypedResults.Json(new AckResult(request.Ack!, distinct), ApiJson.Options);
    }

    private static IResult List(HttpContext context, ConsumerDevices devices)
    {
        var current = DeviceAuth.Current(context);
        var list = devices.List(current.ConsumerId)
            .Select(d => new DeviceView(d.DeviceId, d.Name ?? "Unknown device", d.SignedInAt, d.LastActiveAt, d.DeviceId == current.DeviceId, d.Push)).ToList();
        return TypedResults.Json(new DeviceList(list), ApiJson.Options);
    }

    /// <summary>Signs one of the consumer's devices out: its token stops working, its socket closes, its push subscription goes.</summary>
    private static async Task<IResult> SignOutDevice(string deviceId, HttpContext context, ConsumerDevices devices, DeviceConnections connections, TimeProvider time)
    {
        var consumerId = DeviceAuth.Current(context).ConsumerId;
        if (!await devices.Revoke(consumerId, deviceId, time.GetUtcNow()))
            return Problems.NotFound("device");
        connections.Close(consumerId, deviceId);
        return TypedResults.NoContent();
    }
}

public sealed record WaitingMessages(List<DeliveredMessage> Messages);
public sealed record AckRequest(string? Ack, List<string>? MessageIds);
public sealed record AckResult(string Ack, List<string> MessageIds);

/// <param name="Name">made from the User-Agent at sign-in, e.g. "Chrome on Android"</param>
/// <param name="Current">the device making this request</param>
/// <param name="Push">it has a Web Push subscription</param>
public sealed record DeviceView(string DeviceId, string Name, DateTimeOffset SignedInAt, DateTimeOffset? LastActiveAt, bool Current, bool Push);
public sealed record DeviceList(List<DeviceView> Devices);
