using Herald.Server.Http;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Herald.Server.Accounts;

/// <summary>
/// A state-changing call made with the Console's cookie must carry the antiforgery token in the
/// <c>X-Herald-Antiforgery</c> header (the Console gets it at sign-in and from <c>GET /auth/v1/session</c>). Calls
/// with a bearer token need none: a browser never adds one on its own, so another site cannot forge them.
/// </summary>
public static class AntiforgeryFilter
{
    public const string HeaderName = "X-Herald-Antiforgery";

    public static async ValueTask<object?> Check(EndpointFilterInvocationContext invocation, EndpointFilterDelegate next)
    {
        var context = invocation.HttpContext;
        if (!HttpMethods.IsGet(context.Request.Method) && !HttpMethods.IsHead(context.Request.Method)
            && context.User.Identity?.AuthenticationType == ConsoleSession.Scheme
            && !await context.RequestServices.GetRequiredService<IAntiforgery>().IsRequestValidAsync(context))
            return Problems.Create(403, "antiforgery_failed", "This request did not come from the Console.",
                $"A call made with the Console's session cookie must send the {HeaderName} header from sign-in. Reload the Console.");
        return await next(invocation);
    }
}
