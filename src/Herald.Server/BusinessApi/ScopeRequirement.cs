using Herald.Core.Accounts;
using Herald.Server.Accounts;
using Herald.Storage;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Herald.Server.BusinessApi;

/// <summary>Endpoint metadata: the one API key scope (<see cref="Herald.Core.Businesses.ApiScopes"/>) a business route needs.</summary>
public sealed record RequiredScope(string Scope);

/// <summary>
/// The business API's policy: the key (or the member's role, <see cref="BusinessRoles"/>) holds the scope its route
/// names. A route that names none is refused (fail closed).
/// </summary>
public sealed class ScopeRequirement : IAuthorizationRequirement;

public sealed class ScopeCheck : AuthorizationHandler<ScopeRequirement>
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, ScopeRequirement requirement)
    {
        if (context.Resource is not HttpContext http)
            return Task.CompletedTask;
        var scope = http.GetEndpoint()?.Metadata.GetMetadata<RequiredScope>()?.Scope;
        if (http.Items[BusinessAuth.KeyItem] is ApiKey key)
        {
            if (scope is not null && key.Scopes.Contains(scope))
                context.Succeed(requirement);
            else
                http.Items[BusinessAuth.MissingScopeKey] = scope;
        }
        else if (AccountClaims.BusinessOf(context.User) is not null
                 && BusinessRoles.Allows(AccountClaims.RoleOf(context.User), scope, HttpMethods.IsGet(http.Request.Method) || HttpMethods.IsHead(http.Request.Method)))
            context.Succeed(requirement);
        return Task.CompletedTask;
    }
}

public static class ScopeExtensions
{
    public static TBuilder RequiresScope<TBuilder>(this TBuilder builder, string scope) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new RequiredScope(scope));
}
