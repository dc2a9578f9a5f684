using System.ComponentModel.DataAnnotations;
using Herald.Core.Accounts;
using Herald.Core.Security;
using Herald.Server.Hosting;
using Herald.Server.Http;
using Herald.Server.Operator;
using Herald.Storage;
using Microsoft.AspNetCore.Http;

namespace Herald.Server.Accounts;

/// <summary>
/// Inviting, resetting and removing people, for the operator team (<c>BusinessId</c> null) and for one business's members
/// alike: the same accounts, links, second factor and sessions; only the roles and the audit's names differ.
/// </summary>
public sealed record Team(string? BusinessId)
{
    public static readonly Team Operators = new((string?)null);

    private bool IsOperators => BusinessId is null;
    private string Noun => IsOperators ? "operator" : "member";
    private string OwnerRole => IsOperators ? OperatorRoles.Owner : BusinessRoles.Owner;

    /// <summary>Reads an <see cref="InvitationRequest"/>, creates the account and its single-use link: 201 with the link.</summary>
    public async Task<IResult> Invite(HttpContext context, AccountStore accounts, Totp totp, HeraldOptions options, TimeProvider time)
    {
        var (request, problem) = await JsonBody.Read(context, ApiJson.Type<InvitationRequest>());
        if (problem is not null)
            return problem;
        var errors = new Dictionary<string, string>();
        var email = request!.Email?.Trim().ToLowerInvariant();
        if (!EmailAddresses.IsValid(email))
            errors["email"] = "an e-mail address such as ana@example.com";
        if (!(IsOperators ? OperatorRoles.IsRole(request.Role) : BusinessRoles.IsRole(request.Role)))
            errors["role"] = string.Join(", ", IsOperators ? OperatorRoles.All : BusinessRoles.All);
        if (errors.Count > 0)
            return Problems.Invalid(errors);
        if (!MayManage(context, request.Role!))
            return OwnersOnly();

        var now = time.GetUtcNow();
        var account = new Account(Secrets.NewId("acc"), email!, BusinessId, request.Role!, null, null, 0, Guid.NewGuid().ToString("N"), now);
        var (link, token) = NewLink(account.Id, "invitation", context, totp, options, now);
        var audit = OperatorAuth.Audit(context, time, Noun + ".invite", email!, new { role = request.Role, account_id = account.Id, business_id = BusinessId });
        if (!await accounts.Invite(account, link, audit))
            return Problems.Create(409, "conflict", "That e-mail already has an account.", "An e-mail belongs to one team: the operators' or one business's.");
        return TypedResults.Json(IssuedLink.Of(account, link, token, context), ApiJson.Options, statusCode: 201);
    }

    /// <summary>The team's person by id; another team's (or another business's) person is not found.</summary>
    public Account? Find(AccountStore accounts, string accountId) =>
        accounts.Get(accountId) is { } account && account.BusinessId == BusinessId ? account : null;

    /// <summary>Removes a person: their sessions and links stop at once. 409 <c>last_owner</c> for the team's last owner.</summary>
    public async Task<IResult> Remove(string accountId, HttpContext context, AccountStore accounts, TimeProvider time)
    {
        if (Find(accounts, accountId) is not { } account)
            return Problems.NotFound(Noun);
        if (!MayManage(context, account.Role))
            return OwnersOnly();
        var audit = OperatorAuth.Audit(context, time, Noun + ".remove", account.Email, BusinessId is null ? null : new { business_id = BusinessId });
        return await accounts.Remove(accountId, BusinessId, OwnerRole, time.GetUtcNow(), audit) switch
        {
            RemoveOutcome.Removed => TypedResults.NoContent(),
            RemoveOutcome.LastOwner => Problems.Create(409, "last_owner", "The last owner cannot be removed.", "Invite another owner first."),
            _ => Problems.NotFound(Noun),
        };
    }

    /// <summary>
    /// Issues a single-use link to set a new password and enrol the authenticator anew; the person's sessions end at
    /// once. 201 with the link.
    /// </summary>
    public async Task<IResult> ResetPassword(string accountId, HttpContext context, AccountStore accounts, Totp totp, HeraldOptions options, TimeProvider time)
    {
        if (Find(accounts, accountId) is not { } account)
            return Problems.NotFound(Noun);
        if (!MayManage(context, account.Role))
            return OwnersOnly();
        var (link, token) = NewLink(account.Id, "reset", context, totp, options, time.GetUtcNow());
        var audit = OperatorAuth.Audit(context, time, Noun + ".password_reset", account.Email, BusinessId is null ? null : new { business_id = BusinessId });
        if (!await accounts.AddResetLink(link, Guid.NewGuid().ToString("N"), audit))
            return Problems.NotFound(Noun);
        return TypedResults.Json(IssuedLink.Of(account, link, token, context), ApiJson.Options, statusCode: 201);
    }

    public static (AccountLink Link, string Token) NewLink(string accountId, string kind, HttpContext context, Totp totp, HeraldOptions options, DateTimeOffset now)
    {
        var token = Secrets.NewToken("hal");
        var link = new AccountLink(Secrets.NewId("lnk"), Secrets.Hash(token), accountId, kind, totp.NewSealedSecret(accountId),
            AccountClaims.ActorOf(context.User), now, now.AddHours(options.Accounts.LinkLifetimeHours));
        return (link, token);
    }

    /// <summary>Among operators only an owner (or a token) touches an owner; a business's members are managed by its owners and the operators.</summary>
    private bool MayManage(HttpContext context, string role) => !IsOperators || OperatorRoles.MayManage(AccountClaims.RoleOf(context.User), role);

    public static IResult OwnersOnly() =>
        Problems.Create(403, "forbidden", "Only an owner may invite, reset or remove an owner.");
}

public sealed record InvitationRequest([property: Required, MaxLength(EmailAddresses.MaxLength)] string? Email, [property: Required] string? Role);

/// <param name="Url">the Console's page for the link; its token is after the '#', so it never reaches a server log</param>
public sealed record IssuedLink(string AccountId, string Email, string Role, string Url, DateTimeOffset ExpiresAt)
{
    public static IssuedLink Of(Account account, AccountLink link, string token, HttpContext context) =>
        new(account.Id, account.Email, account.Role, $"{context.Request.Scheme}://{context.Request.Host}/console/#/link/{token}", link.ExpiresAt);
}

/// <summary>A person on a team (operators or a business), without secrets.</summary>
/// <param name="Status">invited (the link is not used yet) or active</param>
public sealed record PersonView(string AccountId, string Email, string Role, string Status, bool SecondFactor, DateTimeOffset CreatedAt)
{
    public static PersonView Of(Account a) => new(a.Id, a.Email, a.Role, a.Active ? "active" : "invited", a.TotpSecret is not null, a.CreatedAt);
}
