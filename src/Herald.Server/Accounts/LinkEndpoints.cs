using System.ComponentModel.DataAnnotations;
using Herald.Core.Security;
using Herald.Server.Http;
using Herald.Server.OpenApi;
using Herald.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Herald.Server.Accounts;

/// <summary>
/// Invitation and password-reset links: the Console reads what a link is for, then sets the password and enrols the
/// authenticator app with it, once. The link's token travels in request bodies only, never in a URL a log could keep.
/// </summary>
public static class LinkEndpoints
{
    public static void MapLinkEndpoints(this RouteGroupBuilder auth)
    {
        auth.MapPost("/links/lookup", Lookup).Reads<LinkRequest>().Answers<LinkView>("lookUpLink", "What an invitation or reset link is for")
            .WithDescription("The e-mail, role, and the authenticator secret to enrol (an `otpauth://` URI and its QR code). 404 `not_found` when the link is unknown, used or expired.")
            .Errors("invalid_request", "not_found");
        auth.MapPost("/links/accept", Accept).Reads<AcceptLinkRequest>().AnswersEmpty("acceptLink", "Use a link: set the password (and enrol the authenticator)")
            .WithDescription($"`password`: {Passwords.MinLength} to {Passwords.MaxLength} characters. `code`: the authenticator's current code, "
                + "required for operator owners and admins and for business owners, optional for others (without it they sign in with the password alone). The link then stops working.")
            .Errors("invalid_request", "not_found");
    }

    private static async Task<IResult> Lookup(HttpContext context, AccountStore accounts, Totp totp, TimeProvider time)
    {
        var (request, problem) = await JsonBody.Read(context, ApiJson.Type<LinkRequest>());
        if (problem is not null)
            return problem;
        if (Find(request!.Token, accounts, time) is not var (link, account))
            return LinkGone();
        var uri = totp.Uri(link.TotpSecret, account.Id, account.Email);
        return TypedResults.Json(new LinkView(account.Email, account.Role, account.BusinessId, link.Kind, AccountRoles.RequiresSecondFactor(account),
            uri, Totp.QrCode(uri), link.ExpiresAt), ApiJson.Options);
    }

    private static async Task<IResult> Accept(HttpContext context, AccountStore accounts, Totp totp, TimeProvider time)
    {
        var (request, problem) = await JsonBody.Read(context, ApiJson.Type<AcceptLinkRequest>());
        if (problem is not null)
            return problem;
        if (Find(request!.Token, accounts, time) is not var (link, account))
            return LinkGone();
        var errors = new Dictionary<string, string>();
        if (Passwords.Problem(request.Password) is { } passwordProblem)
            errors["password"] = passwordProblem;
        var required = AccountRoles.RequiresSecondFactor(account);
        var enrol = required || !string.IsNullOrWhiteSpace(request.Code);
        var step = enrol ? totp.Verify(link.TotpSecret, account.Id, request.Code?.Trim()) : null;
        if (enrol && step is null)
            errors["code"] = required
                ? $"{account.Role}s need an authenticator app: scan the code and enter the 6 digits it shows"
                : "not the code your authenticator app shows now";
        if (errors.Count > 0)
            return Problems.Invalid(errors);

        var team = account.BusinessId is null ? "operator" : "member";
        var audit = new AuditEntry(time.GetUtcNow(), account.Email, link.Kind == "reset" ? team + ".password_set" : team + ".join", account.Email,
            System.Text.Json.JsonSerializer.Serialize(new { role = account.Role, business_id = account.BusinessId, second_factor = enrol }, ApiJson.Options));
        if (!await accounts.UseLink(link, Passwords.Hash(request.Password!), enrol ? link.TotpSecret : null, step ?? 0, Guid.NewGuid().ToString("N"),
                time.GetUtcNow(), audit))
            return LinkGone();
        return TypedResults.NoContent();
    }

    private static (AccountLink, Account)? Find(string? token, AccountStore accounts, TimeProvider time) =>
        string.IsNullOrEmpty(token) || token.Length > 200 ? null : accounts.FindLink(Secrets.Hash(token), time.GetUtcNow());

    private static IResult LinkGone() =>
        Problems.Create(404, "not_found", "This link does not work any more.",
            "It may have been used already or have expired. Ask an owner or admin for a new one.");
}

public sealed record LinkRequest([property: Required] string? Token);

public sealed record AcceptLinkRequest([property: Required] string? Token, [property: Required] string? Password, [property: MaxLength(6)] string? Code);

/// <param name="BusinessId">the business of a member's link; null for the operator team</param>
/// <param name="Kind">invitation or reset</param>
/// <param name="SecondFactorRequired">operator owners and admins, and business owners, must enrol the authenticator app</param>
/// <param name="OtpauthUri">for authenticator apps that take a link</param>
/// <param name="QrCode">the same URI as a PNG data: URI</param>
public sealed record LinkView(string Email, string Role, string? BusinessId, string Kind, bool SecondFactorRequired, string OtpauthUri, string QrCode, DateTimeOffset ExpiresAt);
