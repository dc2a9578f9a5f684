using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Herald.Server.Http;

/// <summary>
/// What the three credentials (API key, operator token, device token) share: the token comes as
/// <c>Authorization: Bearer …</c>, and a request without a good one gets a 401 problem with the RFC 6750 challenge.
/// Each subclass only says how a token is looked up and what it stores for the endpoints.
/// </summary>
public abstract class BearerAuthHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    /// <summary>The problem's detail when no bearer token came.</summary>
    protected abstract string MissingDetail { get; }

    /// <summary>The problem's detail when the token is unknown, revoked or signed out.</summary>
    protected abstract string InvalidDetail { get; }

    /// <summary>Looks the token up; on success stores what the endpoints need in <c>Context.Items</c>.</summary>
    /// <returns>the id of whoever the token names, or null when it names no one</returns>
    protected abstract string? Identify(string token);

    /// <summary>More claims for the identity <see cref="Identify"/> found (the operator token's name and role).</summary>
    protected virtual IEnumerable<Claim> MoreClaims() => [];

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var token = BearerToken.From(Request);
        if (token is null)
            return Task.FromResult(AuthenticateResult.NoResult());
        var id = Identify(token);
        if (id is null)
            return Task.FromResult(AuthenticateResult.Fail(InvalidDetail));
        var identity = new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, id), .. MoreClaims()], Scheme.Name);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), Scheme.Name)));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var sent = (await HandleAuthenticateOnceSafeAsync()).Failure is not null;
        await BearerChallenge.Write(Context, sent, sent ? InvalidDetail : MissingDetail);
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        Problems.Create(403, "forbidden", "This credential may not make this call.").ExecuteAsync(Context);
}
