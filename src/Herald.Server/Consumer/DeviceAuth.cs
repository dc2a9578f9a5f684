using Herald.Core.Security;
using Herald.Server.Http;
using Herald.Storage;
using Microsoft.AspNetCore.Http;

namespace Herald.Server.Consumer;

/// <summary>Admits requests carrying a signed-in device's token; the consumer is whoever owns that device.</summary>
public sealed class DeviceAuth(ConsumerStore consumers) : IEndpointFilter
{
    private const string ItemKey = "herald.device";

    public static DeviceIdentity Current(HttpContext context) => (DeviceIdentity)context.Items[ItemKey]!;

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext invocation, EndpointFilterDelegate next)
    {
        var token = BearerToken.From(invocation.HttpContext.Request);
        var device = token is null ? null : consumers.FindDevice(Secrets.Hash(token));
        if (device is null)
            return Problems.Unauthorized("Send the device token as 'Authorization: Bearer <token>'.");
        invocation.HttpContext.Items[ItemKey] = device;
        return await next(invocation);
    }
}
