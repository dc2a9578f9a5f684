using System.Text.Encodings.Web;
using Herald.Core.Security;
using Herald.Server.Http;
using Herald.Storage;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Herald.Server.Operator;

/// <summary>The <c>operatorToken</c> scheme: admits requests carrying an operator token.</summary>
public sealed class OperatorAuth(OperatorStore operators, IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder)
    : BearerAuthHandler(options, logger, encoder)
{
    /// <summary>The scheme's name, and the name of the policy that requires it.</summary>
    public const string SchemeName = "operatorToken";
    private const string ActorKey = "herald.operator";

    protected override string MissingDetail => "Send the operator token as 'Authorization: Bearer <token>'.";
    protected override string InvalidDetail => "The operator token is unknown or revoked.";

    protected override string? Identify(string token)
    {
        var tokenId = operators.FindToken(Secrets.Hash(token));
        if (tokenId is not null)
            Context.Items[ActorKey] = tokenId;
        return tokenId;
    }

    /// <summary>An audit entry for the operator making this request (identified by their token's id, never the token).</summary>
    public static AuditEntry Audit(HttpContext context, TimeProvider time, string action, string target, object? details = null) =>
        new(time.GetUtcNow(), (string)context.Items[ActorKey]!, action, target,
            details is null ? null : System.Text.Json.JsonSerializer.Serialize(details, ApiJson.Options));
}
