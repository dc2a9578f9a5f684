using Herald.Core.Businesses;
using Herald.Core.Network;
using Herald.Core.Security;
using Herald.Server.Hosting;
using Herald.Server.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace Herald.Server.BusinessApi;

/// <summary>
/// Every business call: the Bearer key names the business, then the caller's address must be on its allowlist.
/// The key check comes first so an unknown caller learns nothing about any allowlist.
/// </summary>
public sealed class BusinessAuth(ApiKeyCache keys, IOptions<HeraldOptions> options) : IEndpointFilter
{
    private const string ItemKey = "herald.business";
    private readonly IpAllowlist _trustedProxies = IpAllowlist.Parse(options.Value.Network.TrustedProxies, out _);

    public static Business Current(HttpContext context) => (Business)context.Items[ItemKey]!;

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext invocation, EndpointFilterDelegate next)
    {
        var context = invocation.HttpContext;
        var key = BearerToken.From(context.Request);
        if (key is null)
            return Problems.Unauthorized("Send the API key as 'Authorization: Bearer <api_key>'.");
        var (business, allowlist) = keys.Find(Secrets.Hash(key));
        if (business is null)
            return Problems.Unauthorized("The API key is unknown or revoked.");

        var client = ClientAddress.Resolve(context.Connection.RemoteIpAddress, context.Request.Headers["X-Forwarded-For"].ToString(), _trustedProxies);
        if (!allowlist.Admits(client))
            return Problems.Create(403, "ip_not_allowed", "This address may not use this API key.",
                $"{client} is not on the business's IP allowlist. The operator sets the allowlist.");

        context.Items[ItemKey] = business;
        return await next(invocation);
    }
}
