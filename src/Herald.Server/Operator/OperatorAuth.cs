using System.Security.Claims;
using System.Text.Encodings.Web;
using Herald.Core.Accounts;
using Herald.Core.Security;
using Herald.Server.Accounts;
using Herald.Server.Http;
using Herald.Storage;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Herald.Server.Operator;

/// <summary>
/// The <c>operatorToken</c> scheme: admits requests carrying an operator token, for automation (the CLI). A token acts
/// as <c>token:NAME</c> in the audit log and may do what its role may. An expired or revoked token is refused (401).
/// </summary>
public sealed class OperatorAuth(OperatorStore operators, TokenUsage usage, TimeProvider time, IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder)
    : BearerAuthHandler(options, logger, encoder)
{
    /// <summary>The scheme's name.</summary>
    public const string SchemeName = "operatorToken";
    private OperatorToken? _token;

    protected override string MissingDetail => "Send the operator token as 'Authorization: Bearer <token>'.";
    protected override string InvalidDetail => "The operator token is unknown, expired or revoked.";

    protected override string? Identify(string token)
    {
        _token = operators.FindToken(Secrets.Hash(token)) is { } found && !found.ExpiredAt(time.GetUtcNow()) ? found : null;
        if (_token is not null)
            usage.Used(_token.Id);
        return _token?.Id;
    }

    protected override IEnumerable<Claim> MoreClaims() =>
        [new Claim(AccountClaims.Actor, AccountClaims.TokenActor(_token!.Name)), new Claim(ClaimTypes.Role, _token.Role)];

    /// <summary>An audit entry naming whoever makes this request: a person's e-mail or the token's name, never a secret.</summary>
    public static AuditEntry Audit(HttpContext context, TimeProvider time, string action, string target, object? details = null) =>
        new(time.GetUtcNow(), AccountClaims.ActorOf(context.User), action, target,
            details is null ? null : System.Text.Json.JsonSerializer.Serialize(details, ApiJson.Options));
}
