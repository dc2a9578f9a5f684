using Herald.Server.Hosting;
using Herald.Server.Http;
using Herald.Storage;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Herald.Server.Accounts;

/// <summary>
/// Console sessions as ASP.NET Core cookie authentication: an <c>HttpOnly</c>, <c>SameSite=Strict</c> cookie
/// (<c>Secure</c> when the request came over HTTPS), ending after the idle timeout (sliding) or the absolute one,
/// whichever comes first, and at once when the person is removed or their password reset (the stamp changes).
/// An API answers 401/403 problems: it never redirects to a sign-in page.
/// </summary>
public static class ConsoleSession
{
    public const string Scheme = "console";
    public const string CookieName = "herald_console";

    /// <summary>The session cookie when the request carries no Authorization header, else the route's bearer scheme.</summary>
    public static string UnlessBearer(HttpContext context, string bearerScheme) =>
        context.Request.Headers.Authorization.Count == 0 && context.Request.Cookies.ContainsKey(CookieName) ? Scheme : bearerScheme;

    public static void Configure(CookieAuthenticationOptions o, HeraldOptions herald, TimeProvider time)
    {
        o.Cookie.Name = CookieName;
        o.Cookie.HttpOnly = true;
        o.Cookie.SameSite = SameSiteMode.Strict;
        o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        o.Cookie.Path = "/";
        o.ExpireTimeSpan = TimeSpan.FromMinutes(herald.Accounts.IdleTimeoutMinutes);
        o.SlidingExpiration = true;
        o.TimeProvider = time;
        o.Events = new CookieAuthenticationEvents
        {
            OnValidatePrincipal = Validate,
            OnRedirectToLogin = c => Problems.Unauthorized("Your session has ended. Sign in again.").ExecuteAsync(c.HttpContext),
            OnRedirectToAccessDenied = c => Forbidden(c.HttpContext),
        };
    }

    public static Task Forbidden(HttpContext context) =>
        Problems.Create(403, "forbidden", "Your role does not allow this.",
            $"Signed in as {AccountClaims.RoleOf(context.User)}; an owner can change what you may do.").ExecuteAsync(context);

    /// <summary>Each request: the account still exists with the same stamp, the absolute timeout has not passed; the role is read afresh.</summary>
    private static async Task Validate(CookieValidatePrincipalContext context)
    {
        var services = context.HttpContext.RequestServices;
        var now = services.GetRequiredService<TimeProvider>().GetUtcNow();
        var absolute = TimeSpan.FromHours(services.GetRequiredService<IOptions<HeraldOptions>>().Value.Accounts.AbsoluteTimeoutHours);
        var principal = context.Principal!;
        var signedInAt = AccountClaims.SignedInAtOf(principal);
        var account = principal.FindFirst(System.Security.Claims.ClaimTypes.NameIdentifier)?.Value is { } id
            ? services.GetRequiredService<AccountStore>().Get(id) : null;
        if (account is null || !account.Active || account.Stamp != principal.FindFirst(AccountClaims.Stamp)?.Value || now - signedInAt > absolute)
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(Scheme);
            return;
        }
        if (account.Role != AccountClaims.RoleOf(principal))
            context.ReplacePrincipal(AccountClaims.Session(account, signedInAt));
    }
}
