using Herald.Core.Security;
using Herald.Server.Http;
using Herald.Storage.Sqlite;
using Microsoft.AspNetCore.Http;

namespace Herald.Server.Operator;

/// <summary>Admits requests carrying an operator token.</summary>
public sealed class OperatorAuth(OperatorStore operators) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext invocation, EndpointFilterDelegate next)
    {
        var token = BearerToken.From(invocation.HttpContext.Request);
        if (token is null || operators.FindToken(Secrets.Hash(token)) is null)
            return Problems.Unauthorized("Send the operator token as 'Authorization: Bearer <token>'.");
        return await next(invocation);
    }
}
