using Herald.Server.Accounts;
using Herald.Storage;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;

namespace Herald.Server.BusinessApi;

/// <summary>
/// A business member's Console session in place of an API key: the business is the member's own, never one named by
/// the request, so another business's ids are simply not found. The IP allowlist is for servers holding keys; a
/// person signs in from anywhere with a password (and, for owners, an authenticator code) instead.
/// </summary>
public sealed class MemberCheck(BusinessStore businesses) : AuthorizationHandler<AllowlistRequirement>
{
    /// <summary>The /v1 routes' scheme: the Console's session cookie, or else the API key.</summary>
    public const string Scheme = "business";

    public static string SelectScheme(HttpContext context) => ConsoleSession.UnlessBearer(context, BusinessAuth.SchemeName);

    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, AllowlistRequirement requirement)
    {
        if (context.Resource is HttpContext http && AccountClaims.BusinessOf(context.User) is { } businessId && businesses.Get(businessId) is { } business)
        {
            BusinessAuth.SetCurrent(http, business);
            context.Succeed(requirement);
        }
        return Task.CompletedTask;
    }
}
