using Herald.Client.Http;

namespace Herald.Client;

/// <summary>The operator team (people who sign in to the Console) and the named operator tokens automation uses.</summary>
public sealed partial class HeraldOperatorClient
{
    /// <summary>Everyone invited to the operator team.</summary>
    public Task<List<OperatorInfo>> ListOperatorsAsync(CancellationToken cancel = default) =>
        _api.Send(HttpMethod.Get, "admin/v1/operators", null, ClientJson.Default.ListOperatorInfo, cancel);

    /// <summary>Invites a person; the answer's single-use link is shown this once (Herald sends no e-mail).</summary>
    public Task<IssuedOperatorLink> InviteOperatorAsync(string email, string role, CancellationToken cancel = default) =>
        _api.Send(HttpMethod.Post, "admin/v1/operators/invitations", ApiTransport.Json(new OperatorInvitation(email, role), ClientJson.Default.OperatorInvitation),
            ClientJson.Default.IssuedOperatorLink, cancel);

    /// <summary>Removes a person from the team; their sessions end at once.</summary>
    public Task RemoveOperatorAsync(string accountId, CancellationToken cancel = default) =>
        _api.SendNoAnswer(HttpMethod.Delete, "admin/v1/operators/" + Uri.EscapeDataString(accountId), null, cancel);

    /// <summary>Creates a named operator token; its clear text is in this answer only.</summary>
    public Task<IssuedOperatorToken> CreateTokenAsync(OperatorTokenRequest token, CancellationToken cancel = default) =>
        _api.Send(HttpMethod.Post, "admin/v1/tokens", ApiTransport.Json(token, ClientJson.Default.OperatorTokenRequest), ClientJson.Default.IssuedOperatorToken, cancel);

    /// <summary>Every operator token, revoked ones too: names, roles and dates, never a token.</summary>
    public Task<List<OperatorTokenInfo>> ListTokensAsync(CancellationToken cancel = default) =>
        _api.Send(HttpMethod.Get, "admin/v1/tokens", null, ClientJson.Default.ListOperatorTokenInfo, cancel);

    /// <summary>Revokes an operator token, by id or name, at once.</summary>
    public Task RevokeTokenAsync(string idOrName, CancellationToken cancel = default) =>
        _api.SendNoAnswer(HttpMethod.Delete, "admin/v1/tokens/" + Uri.EscapeDataString(idOrName), null, cancel);
}

/// <summary>A member of the operator team.</summary>
/// <param name="AccountId">their account's id</param>
/// <param name="Email">the e-mail they sign in with</param>
/// <param name="Role">owner, admin, reviewer or viewer</param>
/// <param name="Status">invited (the link is not used yet) or active</param>
/// <param name="SecondFactor">whether they enrolled an authenticator app</param>
/// <param name="CreatedAt">invited</param>
public sealed record OperatorInfo(string AccountId, string Email, string Role, string Status, bool SecondFactor, DateTimeOffset CreatedAt);

/// <summary>Whom to invite, in which role.</summary>
/// <param name="Email">their e-mail</param>
/// <param name="Role">owner, admin, reviewer or viewer</param>
public sealed record OperatorInvitation(string Email, string Role);

/// <summary>A single-use sign-up or reset link, shown this once.</summary>
/// <param name="AccountId">the account's id</param>
/// <param name="Email">whose link it is</param>
/// <param name="Role">their role</param>
/// <param name="Url">the Console page to open; hand it over yourself</param>
/// <param name="ExpiresAt">when it stops working</param>
public sealed record IssuedOperatorLink(string AccountId, string Email, string Role, string Url, DateTimeOffset ExpiresAt);

/// <summary>What to create an operator token with.</summary>
public sealed record OperatorTokenRequest
{
    /// <summary>1 to 64 of a-z, 0-9, '.' and '-'; the audit log shows it as <c>token:NAME</c>. Never reused.</summary>
    public required string Name { get; init; }

    /// <summary>owner, admin, reviewer or viewer: never more than the creator's.</summary>
    public required string Role { get; init; }

    /// <summary>When the token stops working (401); null for never.</summary>
    public DateTimeOffset? ExpiresAt { get; init; }
}

/// <summary>A new operator token. <see cref="Token"/> is shown this once: Herald keeps only its hash.</summary>
/// <param name="TokenId">its id</param>
/// <param name="Name">its name</param>
/// <param name="Role">what it may do</param>
/// <param name="Token">the token itself</param>
/// <param name="CreatedAt">created</param>
/// <param name="ExpiresAt">when it stops working, if ever</param>
public sealed record IssuedOperatorToken(string TokenId, string Name, string Role, string Token, DateTimeOffset CreatedAt, DateTimeOffset? ExpiresAt);

/// <summary>An operator token's name, role and dates (never the token).</summary>
/// <param name="TokenId">its id</param>
/// <param name="Name">its name</param>
/// <param name="Role">what it may do</param>
/// <param name="CreatedBy">who created it (an e-mail or token:NAME); null for the bootstrap token</param>
/// <param name="CreatedAt">created</param>
/// <param name="ExpiresAt">when it stops working, if ever</param>
/// <param name="LastUsedAt">last used (at most a minute behind), if ever</param>
/// <param name="RevokedAt">revoked, if it was</param>
public sealed record OperatorTokenInfo(string TokenId, string Name, string Role, string? CreatedBy, DateTimeOffset CreatedAt, DateTimeOffset? ExpiresAt,
    DateTimeOffset? LastUsedAt, DateTimeOffset? RevokedAt);
