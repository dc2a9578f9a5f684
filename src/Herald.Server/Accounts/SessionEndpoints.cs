using System.ComponentModel.DataAnnotations;
using System.Globalization;
using Herald.Core.Accounts;
using Herald.Server.Hosting;
using Herald.Server.Http;
using Herald.Server.OpenApi;
using Herald.Storage;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Routing;

namespace Herald.Server.Accounts;

/// <summary>Signing in to the Console with e-mail, password and (when enrolled) an authenticator code; the session; signing out.</summary>
public static class SessionEndpoints
{
    public static void MapSessionEndpoints(this RouteGroupBuilder auth)
    {
        auth.MapPost("/sign-in", SignIn).Reads<ConsoleSignInRequest>().Answers<SessionView>("consoleSignIn", "Sign in to the Console: a session cookie")
            .WithDescription("Sets the `HttpOnly`, `SameSite=Strict` session cookie and answers the antiforgery token that every state-changing call "
                + "made with the cookie sends as `X-Herald-Antiforgery`. 401 `sign_in_failed` (wrong e-mail or password), `code_required` "
                + "(send the authenticator's `code` too), `code_invalid`; 429 `too_many_attempts` with `Retry-After`.")
            .Errors("invalid_request", "sign_in_failed", "code_required", "code_invalid", "too_many_attempts");
        auth.MapGet("/session", Session).Answers<SessionView>("consoleSession", "Who is signed in, with a fresh antiforgery token")
            .WithDescription("401 `unauthorized` when the session has ended (idle or absolute timeout, removal, password reset).")
            .Errors("unauthorized").RequireAuthorization(AuthSetup.SessionPolicy);
        auth.MapPost("/sign-out", async (HttpContext context, SignInAudit audit, ConsoleSignInThrottle throttle) =>
            {
                await audit.Record(SignInAudit.SignedOut, AccountClaims.ActorOf(context.User), throttle.AddressOf(context));
                await context.SignOutAsync(ConsoleSession.Scheme);
                return TypedResults.NoContent();
            })
            .AnswersEmpty("consoleSignOut", "Sign out: the session cookie is cleared")
            .WithDescription("Needs the antiforgery header like every state-changing call made with the cookie.")
            .Errors("unauthorized", "antiforgery_failed").RequireAuthorization(AuthSetup.SessionPolicy);
    }

    private static async Task<IResult> SignIn(HttpContext context, AccountStore accounts, Totp totp, ConsoleSignInThrottle throttle,
        SignInAudit audit, IAntiforgery antiforgery, TimeProvider time)
    {
        var (request, problem) = await JsonBody.Read(context, ApiJson.Type<ConsoleSignInRequest>());
        if (problem is not null)
            return problem;
        if (string.IsNullOrWhiteSpace(request!.Email) || string.IsNullOrEmpty(request.Password) || request.Password.Length > Passwords.MaxLength)
            return Problems.Invalid(new Dictionary<string, string> { ["email"] = "required", ["password"] = $"required, at most {Passwords.MaxLength} characters" });
        var address = throttle.AddressOf(context);
        if (throttle.TryTake(request.Email, address) is { } wait)
        {
            await audit.RecordThrottled(accounts.FindByEmail(request.Email)?.Email, address);
            context.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
            return Problems.Create(429, "too_many_attempts", "Too many sign-in attempts.", "Wait a few minutes, then try again.");
        }

        var account = accounts.FindByEmail(request.Email);
        var verified = Passwords.Verify(account, request.Password);
        if (account is null || verified == PasswordVerificationResult.Failed)
        {
            // Either way one audit write, so the answer's timing still does not tell a wrong e-mail from a wrong password.
            await audit.Record(account is null ? SignInAudit.UnknownEmail : SignInAudit.WrongPassword, account?.Email, address);
            return Problems.Create(401, "sign_in_failed", "That e-mail and password do not match.", "Check both and try again.");
        }
        if (account.TotpSecret is not null)
        {
            if (string.IsNullOrWhiteSpace(request.Code))
                return Problems.Create(401, "code_required", "Enter the 6-digit code from your authenticator app.");
            if (totp.Verify(account.TotpSecret, account.Id, request.Code.Trim()) is not { } step || !await accounts.UseTotpStep(account.Id, step))
            {
                await audit.Record(SignInAudit.WrongCode, account.Email, address);
                return Problems.Create(401, "code_invalid", "That code is not right.", "Codes change every 30 seconds and work once: enter the one your app shows now.");
            }
        }
        if (verified == PasswordVerificationResult.SuccessRehashNeeded)
            await accounts.Rehash(account.Id, Passwords.Hash(request.Password));

        await audit.Record(SignInAudit.SignedIn, account.Email, address);
        var principal = AccountClaims.Session(account, time.GetUtcNow());
        await context.SignInAsync(ConsoleSession.Scheme, principal, new AuthenticationProperties { IsPersistent = false });
        context.User = principal; // the antiforgery token is bound to the person it is issued to
        return TypedResults.Json(SessionView.Of(account, antiforgery.GetAndStoreTokens(context).RequestToken!), ApiJson.Options);
    }

    private static IResult Session(HttpContext context, AccountStore accounts, IAntiforgery antiforgery)
    {
        var account = accounts.Get(context.User.FindFirst(System.Security.Claims.ClaimTypes.NameIdentifier)!.Value);
        return account is null
            ? Problems.Unauthorized("Your session has ended. Sign in again.")
            : TypedResults.Json(SessionView.Of(account, antiforgery.GetAndStoreTokens(context).RequestToken!), ApiJson.Options);
    }
}

public sealed record ConsoleSignInRequest(
    [property: Required, MaxLength(EmailAddresses.MaxLength)] string? Email,
    [property: Required, MaxLength(Passwords.MaxLength)] string? Password,
    [property: MaxLength(6)] string? Code);

/// <param name="BusinessId">a business member's business; null for an operator</param>
/// <param name="Capabilities">what the role may do (an operator's Capability names, a member's scopes), so the Console shows only what works</param>
/// <param name="AntiforgeryToken">send it as <c>X-Herald-Antiforgery</c> with every state-changing call</param>
public sealed record SessionView(string AccountId, string Email, string Role, string? BusinessId, IReadOnlyList<string> Capabilities, string AntiforgeryToken)
{
    public static SessionView Of(Account account, string antiforgeryToken) =>
        new(account.Id, account.Email, account.Role, account.BusinessId, [.. AccountRoles.CapabilitiesOf(account)], antiforgeryToken);
}
