using System.ComponentModel.DataAnnotations;
using Herald.Core.Accounts;
using Herald.Core.Security;
using Herald.Server.Accounts;
using Herald.Server.Http;
using Herald.Server.OpenApi;
using Herald.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Herald.Server.Operator;

/// <summary>
/// Named operator tokens for automation (the CLI, scripts): each holds a role, never more than its creator's, may
/// expire, and acts as <c>token:NAME</c> in the audit log. The token is shown once; Herald keeps a hash.
/// </summary>
public static class TokenEndpoints
{
    public static void MapTokenEndpoints(this RouteGroupBuilder admin)
    {
        admin.MapPost("/tokens", Create).Reads<TokenRequest>().Answers<IssuedOperatorToken>("createOperatorToken", "Create a named operator token (shown this once)", 201)
            .WithDescription("`name` (" + OperatorTokenNames.Rule + ", unique for good: a revoked token's name is not reused), `role` "
                + "(owner, admin, reviewer or viewer) and optional `expires_at`. The token may never do more than whoever creates it: 403 `forbidden` "
                + "otherwise (only an owner creates an owner token). 409 `conflict` when the name is taken.")
            .Errors("invalid_request", "forbidden", "conflict").Needs(Capability.ManageTeam);
        admin.MapGet("/tokens", (OperatorStore operators) => TypedResults.Json(operators.ListTokens().Select(OperatorTokenView.Of), ApiJson.Options))
            .Answers<List<OperatorTokenView>>("listOperatorTokens", "Operator tokens: names, roles and dates")
            .WithDescription("Every token, revoked ones too: name, role, who created it and when, when it expires and was last used "
                + "(at most a minute behind); never a token.").Needs(Capability.Read);
        admin.MapDelete("/tokens/{token}", Revoke).AnswersEmpty("revokeOperatorToken", "Revoke an operator token at once")
            .WithDescription("`token` is the token's id or name. It stops working at once. Only an owner revokes an owner token (403 `forbidden`); "
                + "404 when there is no such token or it is revoked already.")
            .Errors("not_found", "forbidden").Needs(Capability.ManageTeam);
    }

    private static async Task<IResult> Create(HttpContext context, OperatorStore operators, TimeProvider time)
    {
        var (request, problem) = await JsonBody.Read(context, ApiJson.Type<TokenRequest>());
        if (problem is not null)
            return problem;
        var now = time.GetUtcNow();
        var errors = new Dictionary<string, string>();
        if (!OperatorTokenNames.IsValid(request!.Name))
            errors["name"] = OperatorTokenNames.Rule;
        if (!OperatorRoles.IsRole(request.Role))
            errors["role"] = "owner, admin, reviewer or viewer";
        if (request.ExpiresAt <= now)
            errors["expires_at"] = "must be in the future";
        if (errors.Count > 0)
            return Problems.Invalid(errors);
        if (!OperatorRoles.MayGrant(AccountClaims.RoleOf(context.User), request.Role!))
            return Problems.Create(403, "forbidden", "A token may not do more than whoever creates it.", "Only an owner may create an owner token.");

        var secret = Secrets.NewToken("hop");
        var token = new NewOperatorToken(Secrets.NewId("op"), request.Name!, request.Role!, Secrets.Hash(secret), AccountClaims.ActorOf(context.User), request.ExpiresAt);
        var audit = OperatorAuth.Audit(context, time, "token.create", AccountClaims.TokenActor(token.Name),
            new { token_id = token.Id, role = token.Role, expires_at = token.ExpiresAt });
        if (!await operators.AddToken(token, audit))
            return Problems.Create(409, "conflict", "A token with that name exists (or existed).", "Names are never reused, so the audit log stays unambiguous.");
        return TypedResults.Json(new IssuedOperatorToken(token.Id, token.Name, token.Role, secret, audit.At, token.ExpiresAt), ApiJson.Options, statusCode: 201);
    }

    private static async Task<IResult> Revoke(string token, HttpContext context, OperatorStore operators, TimeProvider time)
    {
        if (operators.GetToken(token) is not { RevokedAt: null } found)
            return Problems.NotFound("active token");
        if (!OperatorRoles.MayManage(AccountClaims.RoleOf(context.User), found.Role))
            return Problems.Create(403, "forbidden", "Only an owner may revoke an owner token.");
        var audit = OperatorAuth.Audit(context, time, "token.revoke", AccountClaims.TokenActor(found.Name), new { token_id = found.Id });
        return await operators.RevokeToken(found.Id, audit) ? TypedResults.NoContent() : Problems.NotFound("active token");
    }
}

public sealed record TokenRequest(
    [property: Required, MaxLength(OperatorTokenNames.MaxLength)] string? Name,
    [property: Required] string? Role,
    DateTimeOffset? ExpiresAt);

/// <param name="Token">the token itself, in this answer only: Herald keeps a hash</param>
public sealed record IssuedOperatorToken(string TokenId, string Name, string Role, string Token, DateTimeOffset CreatedAt, DateTimeOffset? ExpiresAt);

/// <param name="CreatedBy">an e-mail or <c>token:NAME</c>; null for the bootstrap token</param>
/// <param name="LastUsedAt">at most a minute behind</param>
public sealed record OperatorTokenView(string TokenId, string Name, string Role, string? CreatedBy, DateTimeOffset CreatedAt, DateTimeOffset? ExpiresAt,
    DateTimeOffset? LastUsedAt, DateTimeOffset? RevokedAt)
{
    public static OperatorTokenView Of(OperatorToken t) => new(t.Id, t.Name, t.Role, t.CreatedBy, t.CreatedAt, t.ExpiresAt, t.LastUsedAt, t.RevokedAt);
}
