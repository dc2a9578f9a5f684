using Herald.Core.Network;
using Herald.Server.Hosting;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace Herald.Server.BusinessApi;

/// <summary>The business API's policy: the caller's address is on the allowlist of the business its key names.</summary>
public sealed class AllowlistRequirement : IAuthorizationRequirement;

/// <summary>
/// Checks <see cref="AllowlistRequirement"/>. The caller's address is the connection's, or the one a trusted proxy
/// names in <c>X-Forwarded-For</c>: anyone else's header is ignored, so it cannot talk its way onto the list.
/// </summary>
public sealed class AllowlistCheck(IOptions<HeraldOptions> options) : AuthorizationHandler<AllowlistRequirement>
{
    private readonly IpAllowlist _trustedProxies = IpAllowlist.Parse(options.Value.Network.TrustedProxies, out _);

    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, AllowlistRequirement requirement)
    {
        if (context.Resource is HttpContext http && http.Items[BusinessAuth.AllowlistKey] is IpAllowlist allowlist)
        {
            var client = ClientAddress.Resolve(http.Connection.RemoteIpAddress, http.Request.Headers["X-Forwarded-For"].ToString(), _trustedProxies);
            if (allowlist.Admits(client))
                context.Succeed(requirement);
            else
                http.Items[BusinessAuth.RefusedAddressKey] = client;
        }
        return Task.CompletedTask;
    }
}
