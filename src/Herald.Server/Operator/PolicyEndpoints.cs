using System.ComponentModel.DataAnnotations;
using Herald.Core.Accounts;
using Herald.Core.Templates;
using Herald.Server.Accounts;
using Herald.Server.Delivery;
using Herald.Server.Http;
using Herald.Server.OpenApi;
using Herald.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Herald.Server.Operator;

public static class PolicyEndpoints
{
    public static void MapPolicyEndpoints(this RouteGroupBuilder admin)
    {
        admin.MapGet("/policies", (PolicyStore policies) => TypedResults.Json(policies.List(), ApiJson.Options))
            .Answers<List<CountryPolicy>>("listPolicies", "Country policies")
            .WithDescription("One entry per calling code that has a policy.").Needs(Capability.Read);
        admin.MapPut("/policies/{callingCode}", Set).Reads<PolicyRequest>().Answers<CountryPolicy>("setPolicy", "Set a country policy")
            .WithDescription("`callingCode` is the country's calling code without the plus (44, 1, 971…).").Errors("invalid_request").Needs(Capability.ManagePolicies);
    }

    private static async Task<IResult> Set(string callingCode, HttpContext context, PolicyStore policies, CountryPolicies cache, TimeProvider time)
    {
        if (!CallingCodes.IsValid(callingCode))
            return Problems.Invalid("calling_code", "a country calling code: 1 to 3 digits, no leading zero (44, 1, 380)");
        var (request, problem) = await JsonBody.Read(context, ApiJson.Type<PolicyRequest>());
        if (problem is not null)
            return problem;
        if (request!.TransactionalRequiresTemplate is not { } required)
            return Problems.Invalid("transactional_requires_template", "required: true or false");
        var policy = new CountryPolicy(callingCode, required, time.GetUtcNow());
        await policies.Set(policy, OperatorAuth.Audit(context, time, "policy.set", callingCode, request));
        cache.Invalidate();
        return TypedResults.Json(policy, ApiJson.Options);
    }
}

public sealed record PolicyRequest([property: Required] bool? TransactionalRequiresTemplate);
