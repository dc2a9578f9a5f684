using Herald.Core.Security;
using Herald.Server.Http;
using Herald.Storage;
using Microsoft.AspNetCore.Http;

namespace Herald.Server.Operator;

/// <summary>Admits requests carrying an operator token.</summary>
public sealed class OperatorAuth(OperatorStore operators) : IEndpointFilter
{
    private const string ActorKey = "herald.operator";

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext invocation, EndpointFilterDelegate next)
    {
        var token = BearerToken.From(invocation.HttpContext.Request);
        var tokenId = token is null ? null : operators.FindToken(Secrets.Hash(token));
        if (tokenId is null)
            return Problems.Unauthorized("Send the operator token as 'Authorization: Bearer <token>'.");
        invocation.HttpContext.Items[ActorKey] = tokenId;
        return await next(invocation);
    }

    /// <summary>An audit entry for the operator making this request (identified by their token's id, never the token).</summary>
    public static AuditEntry Audit(HttpContext context, TimeProvider time, string action, string target, object? details = null) =>
        new(time.GetUtcNow(), (string)context.Items[ActorKey]!, action, target,
            details is null ? null : System.Text.Json.JsonSerializer.Serialize(details, ApiJson.Options));
}
