using Herald.Server.Accounts;
using Herald.Server.BusinessApi;
using Herald.Server.Consumer;
using Herald.Server.Operator;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Herald.Server.Hosting;

/// <summary>
/// The three bearer credentials as ASP.NET Core authentication schemes, each with an authorization policy of the same
/// name that the route groups require: <c>apiKey</c> (plus the business's IP allowlist and the route's scope), <c>operatorToken</c> and
/// <c>deviceToken</c>; and the Console's session cookie (<c>console</c>), which the operator API takes too, through
/// the <c>operator</c> policy scheme and one policy per capability (OperatorAccess), and the business API takes from a
/// business's members, through the <c>business</c> policy scheme (MemberCheck). There is no default scheme: a
/// request is authenticated only by the scheme its route asks for.
/// </summary>
public static class AuthSetup
{
    /// <summary>The policy of the Console's own session routes (who am I, sign out).</summary>
    public const string SessionPolicy = "consoleSession";

    public static IServiceCollection AddHeraldAuth(this IServiceCollection services)
    {
        services.AddAuthentication()
            .AddScheme<AuthenticationSchemeOptions, BusinessAuth>(BusinessAuth.SchemeName, null)
            .AddScheme<AuthenticationSchemeOptions, OperatorAuth>(OperatorAuth.SchemeName, null)
            .AddScheme<AuthenticationSchemeOptions, DeviceAuth>(DeviceAuth.SchemeName, null)
            .AddCookie(ConsoleSession.Scheme)
            .AddPolicyScheme(OperatorAccess.Scheme, null, o => o.ForwardDefaultSelector = OperatorAccess.SelectScheme)
            .AddPolicyScheme(MemberCheck.Scheme, null, o => o.ForwardDefaultSelector = MemberCheck.SelectScheme);
        services.AddOptions<CookieAuthenticationOptions>(ConsoleSession.Scheme)
            .Configure<IOptions<HeraldOptions>, TimeProvider>((o, herald, time) => ConsoleSession.Configure(o, herald.Value, time));
        services.AddAntiforgery(o =>
        {
            o.HeaderName = AntiforgeryFilter.HeaderName;
            o.Cookie.Name = "herald_antiforgery";
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.Cookie.SecurePolicy = Microsoft.AspNetCore.Http.CookieSecurePolicy.SameAsRequest;
        });
        services.AddSingleton<IAuthorizationHandler, AllowlistCheck>();
        services.AddSingleton<IAuthorizationHandler, MemberCheck>();
        services.AddSingleton<IAuthorizationHandler, ScopeCheck>();
        services.AddSingleton<IAuthorizationHandler, CapabilityCheck>();
        var policies = services.AddAuthorizationBuilder()
            .AddPolicy(BusinessAuth.SchemeName, p => p.AddAuthenticationSchemes(MemberCheck.Scheme).RequireAuthenticatedUser()
                .AddRequirements(new AllowlistRequirement(), new ScopeRequirement()))
            .AddPolicy(DeviceAuth.SchemeName, p => p.AddAuthenticationSchemes(DeviceAuth.SchemeName).RequireAuthenticatedUser())
            .AddPolicy(SessionPolicy, p => p.AddAuthenticationSchemes(ConsoleSession.Scheme).RequireAuthenticatedUser());
        OperatorAccess.AddPolicies(policies);
        return services;
    }
}
