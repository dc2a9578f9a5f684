using System.ComponentModel.DataAnnotations;
using Herald.Core.Accounts;
using Herald.Core.Security;
using Herald.Server.Accounts;
using Herald.Server.Hosting;
using Herald.Server.Http;
using Herald.Server.OpenApi;
using Herald.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;

namespace Herald.Server.Operator;

/// <summary>The operator team: people who sign in to the Console. An operator token invites the first owner.</summary>
public static class TeamEndpoints
{
    public static void MapTeamEndpoints(this RouteGroupBuilder admin)
    {
        admin.MapGet("/operators", (AccountStore accounts) => TypedResults.Json(accounts.List(businessId: null).Select(OperatorView.Of), ApiJson.Options))
            .Answers<List<OperatorView>>("listOperators", "The operator team")
            .WithDescription("Everyone invited to the team, with role and whether they have accepted and enrolled a second factor.").Needs(Capability.Read);
        admin.MapPost("/operators/invitations", Invite).Reads<InvitationRequest>()
            .Answers<IssuedLink>("inviteOperator", "Invite a person to the team: a single-use sign-up link", 201)
            .WithDescription("The link (shown this once) lets the person set a password and, for owners and admins (required) or others "
                + "(optional), enrol an authenticator app. Only an owner (a person or an owner token) may invite an owner. 409 `conflict` when the e-mail is on the team.")
            .Errors("invalid_request", "forbidden", "conflict").Needs(Capability.ManageTeam);
        admin.MapPost("/operators/{accountId}/password-reset", Reset)
            .Answers<IssuedLink>("resetOperatorPassword", "Reset a person's password: a single-use link", 201)
            .WithDescription("Their sessions end at once; the link (shown this once) sets a new password and enrols the authenticator app anew.")
            .Errors("not_found", "forbidden").Needs(Capability.ManageTeam);
        admin.MapDelete("/operators/{accountId}", Remove).AnswersEmpty("removeOperator", "Remove a person from the team")
            .WithDescription("Their sessions and links stop at once. 409 `last_owner` for the team's last owner.")
            .Errors("not_found", "forbidden", "last_owner").Needs(Capability.ManageTeam);
    }

    private static async Task<IResult> Invite(HttpContext context, AccountStore accounts, Totp totp, IOptions<HeraldOptions> options, TimeProvider time)
    {
        var (request, problem) = await JsonBody.Read(context, ApiJson.Type<InvitationRequest>());
        if (problem is not null)
            return problem;
        var errors = new Dictionary<string, string>();
        var email = request!.Email?.Trim().ToLowerInvariant();
        if (!EmailAddresses.IsValid(email))
            errors["email"] = "an e-mail address such as ana@example.com";
        if (!OperatorRoles.IsRole(request.Role))
            errors["role"] = "owner, admin, reviewer or viewer";
        if (errors.Count > 0)
            return Problems.Invalid(errors);
        if (!OperatorRoles.MayManage(AccountClaims.RoleOf(context.User), request.Role!))
            return OwnersOnly();

        var now = time.GetUtcNow();
        var account = new Account(Secrets.NewId("acc"), email!, null, request.Role!, null, null, 0, Guid.NewGuid().ToString("N"), now);
        var (link, token) = NewLink(account.Id, "invitation", context, totp, options.Value, now);
        if (!await accounts.Invite(account, link, OperatorAuth.Audit(context, time, "operator.invite", email!, new { role = request.Role, account_id = account.Id })))
            return Problems.Create(409, "conflict", "That e-mail is already on the team.");
        return TypedResults.Json(IssuedLink.Of(account, link, token, context), ApiJson.Options, statusCode: 201);
    }

    private static async Task<IResult> Reset(string accountId, HttpContext context, AccountStore accounts, Totp totp, IOptions<HeraldOptions> options, TimeProvider time)
    {
        if (accounts.Get(accountId) is not { BusinessId: null } account)
            return Problems.NotFound("operator");
        if (!OperatorRoles.MayManage(AccountClaims.RoleOf(context.User), account.Role))
            return OwnersOnly();
        var now = time.GetUtcNow();
        var (link, token) = NewLink(account.Id, "reset", context, totp, options.Value, now);
        if (!await accounts.AddResetLink(link, Guid.NewGuid().ToString("N"), OperatorAuth.Audit(context, time, "operator.password_reset", account.Email)))
            return Problems.NotFound("operator");
        return TypedResults.Json(IssuedLink.Of(account, link, token, context), ApiJson.Options, statusCode: 201);
    }

    private static async Task<IResult> Remove(string accountId, HttpContext context, AccountStore accounts, TimeProvider time)
    {
        if (accounts.Get(accountId) is not { BusinessId: null } account)
            return Problems.NotFound("operator");
        if (!OperatorRoles.MayManage(AccountClaims.RoleOf(context.User), account.Role))
            return OwnersOnly();
        return await accounts.Remove(accountId, null, OperatorRoles.Owner, time.GetUtcNow(), OperatorAuth.Audit(context, time, "operator.remove", account.Email)) switch
        {
            RemoveOutcome.Removed => TypedResults.NoContent(),
            RemoveOutcome.LastOwner => Problems.Create(409, "last_owner", "The team's last owner cannot be removed.", "Invite another owner first."),
            _ => Problems.NotFound("operator"),
        };
    }

    private static IResult OwnersOnly() =>
        Problems.Create(403, "forbidden", "Only an owner may invite, reset or remove an owner.");

    private static (AccountLink Link, string Token) NewLink(string accountId, string kind, HttpContext context, Totp totp, HeraldOptions options, DateTimeOffset now)
    {
        var token = Secrets.NewToken("hal");
        var link = new AccountLink(Secrets.NewId("lnk"), Secrets.Hash(token), accountId, kind, totp.NewSealedSecret(accountId),
            AccountClaims.ActorOf(context.User), now, now.AddHours(options.Accounts.LinkLifetimeHours));
        return (link, token);
    }
}

public sealed record InvitationRequest([property: Required, MaxLength(EmailAddresses.MaxLength)] string? Email, [property: Required] string? Role);

/// <param name="Url">the Console's page for the link; its token is after the '#', so it never reaches a server log</param>
public sealed record IssuedLink(string AccountId, string Email, string Role, string Url, DateTimeOffset ExpiresAt)
{
    public static IssuedLink Of(Account account, AccountLink link, string token, HttpContext context) =>
        new(account.Id, account.Email, account.Role, $"{context.Request.Scheme}://{context.Request.Host}/console/#/link/{token}", link.ExpiresAt);
}

/// <param name="Status">invited (the link is not used yet) or active</param>
public sealed record OperatorView(string AccountId, string Email, string Role, string Status, bool SecondFactor, DateTimeOffset CreatedAt)
{
    public static OperatorView Of(Account a) => new(a.Id, a.Email, a.Role, a.Active ? "active" : "invited", a.TotpSecret is not null, a.CreatedAt);
}
