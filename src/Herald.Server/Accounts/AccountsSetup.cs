using Herald.Server.OpenApi;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Herald.Server.Accounts;

/// <summary>The Console's sign-in, session and link routes under /auth/v1 (docs/accounts.md).</summary>
public static class AccountsSetup
{
    public static IServiceCollection AddAccounts(this IServiceCollection services) =>
        services.AddSingleton<Totp>().AddSingleton<ConsoleSignInThrottle>().AddSingleton<SignInAudit>();

    public static void MapAccounts(this IEndpointRouteBuilder app)
    {
        var auth = app.MapGroup("/auth/v1").AddEndpointFilter(AntiforgeryFilter.Check).WithTags(OpenApiSetup.AccountsTag);
        auth.MapSessionEndpoints();
        auth.MapLinkEndpoints();
    }
}
