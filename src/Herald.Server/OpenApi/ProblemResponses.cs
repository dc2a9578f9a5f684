using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Herald.Server.OpenApi;

/// <summary>
/// Adds each operation's problem+json answers, one per status, with the stable <c>code</c>s it can carry as an
/// <c>enum</c>: the endpoint's own (<see cref="ErrorCodesMetadata"/>), its credential's, and the store's faults.
/// </summary>
public static class ProblemResponses
{
    public const string ProblemSchema = "Problem";

    /// <summary>The status each code is answered with (see Problems and the endpoints).</summary>
    public static readonly IReadOnlyDictionary<string, int> StatusOf = new Dictionary<string, int>
    {
        ["invalid_request"] = 400, ["content_not_allowed_for_category"] = 400, ["template_required"] = 400, ["template_not_approved"] = 400,
        ["invalid_code"] = 401, ["unauthorized"] = 401, ["sign_in_failed"] = 401, ["code_required"] = 401, ["code_invalid"] = 401,
        ["ip_not_allowed"] = 403, ["scope_required"] = 403, ["forbidden"] = 403, ["antiforgery_failed"] = 403, ["last_owner"] = 409, ["too_many_attempts"] = 429, ["not_found"] = 404, ["conflict"] = 409,
        ["idempotency_conflict"] = 409, ["payload_too_large"] = 413, ["rate_limited"] = 429,
        ["too_many_codes"] = 429, ["code_delivery_unavailable"] = 503, ["database_unavailable"] = 503, ["storage_full"] = 503,
    };

    private static readonly string[] s_business = ["unauthorized", "ip_not_allowed", "scope_required"];
    private static readonly string[] s_bearer = ["unauthorized"];
    private static readonly string[] s_store = ["database_unavailable", "storage_full"];
    private static readonly string[] s_body = ["invalid_request", "payload_too_large"];

    public static Task Transform(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancel)
    {
        var metadata = context.Description.ActionDescriptor.EndpointMetadata;
        var codes = new List<string>(metadata.OfType<ErrorCodesMetadata>().LastOrDefault()?.Codes ?? []);
        var credential = metadata.OfType<CredentialMetadata>().LastOrDefault()?.Credential;
        codes.AddRange(credential switch { Credential.BusinessApiKey => s_business, null => [], _ => s_bearer });
        if (operation.RequestBody is not null)
            codes.AddRange(s_body);
        codes.AddRange(s_store);
        var answers = codes.Select(code => (StatusOf.GetValueOrDefault(code, 400), code)).ToList();
        if (operation.RequestBody is not null)
            answers.Add((415, "unsupported_media_type")); // a body that is not application/json (JsonBody)
        Add(operation, answers);
        return Task.CompletedTask;
    }

    /// <summary>Adds the problem answers, grouped by status.</summary>
    public static void Add(OpenApiOperation operation, IEnumerable<(int Status, string Code)> answers)
    {
        operation.Responses ??= [];
        foreach (var group in answers.Distinct().GroupBy(a => a.Status, a => a.Code).OrderBy(g => g.Key))
        {
            var schema = new OpenApiSchema
            {
                AllOf = [new OpenApiSchemaReference(ProblemSchema), new OpenApiSchema
                {
                    Properties = new Dictionary<string, IOpenApiSchema>
                    {
                        ["code"] = new OpenApiSchema { Type = JsonSchemaType.String, Enum = [.. group.Select(c => (JsonNode)c)] },
                    },
                }],
            };
            var response = new OpenApiResponse
            {
                Description = "`" + string.Join("`, `", group) + "`",
                Content = new Dictionary<string, OpenApiMediaType> { ["application/problem+json"] = new() { Schema = schema } },
            };
            if (group.Key is 429 or 503)
                response.Headers = new Dictionary<string, IOpenApiHeader>
                {
                    ["Retry-After"] = new OpenApiHeader { Description = "Whole seconds to wait", Schema = new OpenApiSchema { Type = JsonSchemaType.Integer } },
                };
            operation.Responses[group.Key.ToString(CultureInfo.InvariantCulture)] = response;
        }
    }

    /// <summary>RFC 9457 problem details with Herald's stable <c>code</c>: the component every problem answer refers to.</summary>
    public static OpenApiSchema Schema() => new()
    {
        Type = JsonSchemaType.Object,
        Description = "RFC 9457 problem details with Herald's stable `code`.",
        Properties = new Dictionary<string, IOpenApiSchema>
        {
            ["type"] = new OpenApiSchema { Type = JsonSchemaType.String },
            ["title"] = new OpenApiSchema { Type = JsonSchemaType.String },
            ["status"] = new OpenApiSchema { Type = JsonSchemaType.Integer },
            ["detail"] = new OpenApiSchema { Type = JsonSchemaType.String },
            ["code"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "stable: switch on this, not on `title`" },
            ["errors"] = new OpenApiSchema
            {
                Type = JsonSchemaType.Object,
                Description = "per-field problems (`invalid_request`)",
                AdditionalProperties = new OpenApiSchema { Type = JsonSchemaType.String },
            },
        },
        Required = new HashSet<string> { "code", "title", "status" },
    };
}
