using Herald.Core.Accounts;
using Herald.Server.Operator;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Herald.Server.Accounts;

/// <summary>
/// Who may call the operator API: an operator token (<c>Authorization: Bearer hop_…</c>, for automation) or a Console
/// session cookie, picked per request by the <c>operator</c> policy scheme. A request with neither is answered by the
/// token scheme (401 with the Bearer challenge, as an API client expects). Each capability is a policy of its own.
/// </summary>
public static class OperatorAccess
{
    public const string Scheme = "operator";

    /// <summary>
    /// The /admin/v1 group's own policy: some operator, whatever the role. A safety net only: each route also names
    /// its capability, and a route that forgot to would still be closed to the public.
    /// </summary>
    public const string AnyOperator = "anyOperator";

    public static string SelectScheme(HttpContext context) => ConsoleSession.UnlessBearer(context, OperatorAuth.SchemeName);

    /// <summary>The route requires this capability (and so an operator token or a Console session).</summary>
    public static TBuilder Needs<TBuilder>(this TBuilder builder, Capability capability) where TBuilder : IEndpointConventionBuilder =>
        builder.RequireAuthorization(capability.Policy());

    public static void AddPolicies(AuthorizationBuilder builder)
    {
        // A business member's session is a Console session too, but never an operator's.
        builder.AddPolicy(AnyOperator, p => p.AddAuthenticationSchemes(Scheme).RequireAuthenticatedUser()
            .RequireAssertion(c => AccountClaims.BusinessOf(c.User) is null));
        foreach (var capability in Enum.GetValues<Capability>())
            builder.AddPolicy(capability.Policy(), p => p.AddAuthenticationSchemes(Scheme).RequireAuthenticatedUser()
                .AddRequirements(new CapabilityRequirement(capability)));
    }
}

public sealed record CapabilityRequirement(Capability Capability) : IAuthorizationRequirement;

/// <summary>A role's capabilities come from <see cref="OperatorRoles"/>: the one table that says who may do what. A business member has none.</summary>
public sealed class CapabilityCheck : AuthorizationHandler<CapabilityRequirement>
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, CapabilityRequirement requirement)
    {
        if (AccountClaims.BusinessOf(context.User) is null && OperatorRoles.Allows(AccountClaims.RoleOf(context.User), requirement.Capability))
            context.Succeed(requirement);
        return Task.CompletedTask;
    }
}
