using Herald.Server.BusinessApi;
using Herald.Server.Consumer;
using Herald.Server.Operator;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.DependencyInjection;

namespace Herald.Server.Hosting;

/// <summary>
/// The three bearer credentials as ASP.NET Core authentication schemes, each with an authorization policy of the same
/// name that the route groups require: <c>apiKey</c> (plus the business's IP allowlist and the route's scope), <c>operatorToken</c> and
/// <c>deviceToken</c>. There is no default scheme: a request is authenticated only by the scheme its route asks for.
/// </summary>
public static class AuthSetup
{
    public static IServiceCollection AddHeraldAuth(this IServiceCollection services)
    {
        services.AddAuthentication()
            .AddScheme<AuthenticationSchemeOptions, BusinessAuth>(BusinessAuth.SchemeName, null)
            .AddScheme<AuthenticationSchemeOptions, OperatorAuth>(OperatorAuth.SchemeName, null)
            .AddScheme<AuthenticationSchemeOptions, DeviceAuth>(DeviceAuth.SchemeName, null);
        services.AddSingleton<IAuthorizationHandler, AllowlistCheck>();
        services.AddSingleton<IAuthorizationHandler, ScopeCheck>();
        services.AddAuthorizationBuilder()
            .AddPolicy(BusinessAuth.SchemeName, p => p.AddAuthenticationSchemes(BusinessAuth.SchemeName).RequireAuthenticatedUser()
                .AddRequirements(new AllowlistRequirement(), new ScopeRequirement()))
            .AddPolicy(OperatorAuth.SchemeName, p => p.AddAuthenticationSchemes(OperatorAuth.SchemeName).RequireAuthenticatedUser())
            .AddPolicy(DeviceAuth.SchemeName, p => p.AddAuthenticationSchemes(DeviceAuth.SchemeName).RequireAuthenticatedUser());
        return services;
    }
}
