using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Schema;
using System.Text.RegularExpressions;
using Herald.Server.Http;

namespace Herald.Server.OpenApi;

/// <summary>
/// Builds the OpenAPI 3.1 document from <see cref="ApiCatalog"/>. Schemas come from the very records the endpoints
/// serialize, through the APIs' own JSON settings (snake_case), so field names cannot drift from the wire.
/// </summary>
public static partial class OpenApiDocument
{
    private static readonly Dictionary<string, int> s_errorStatus = new()
    {
        ["invalid_request"] = 400, ["invalid_code"] = 401, ["unauthorized"] = 401, ["ip_not_allowed"] = 403, ["not_found"] = 404,
        ["conflict"] = 409, ["idempotency_conflict"] = 409, ["payload_too_large"] = 413, ["content_not_allowed_for_category"] = 400,
        ["template_required"] = 400, ["template_not_approved"] = 400, ["rate_limited"] = 429, ["code_delivery_unavailable"] = 503,
    };

    public static byte[] Build()
    {
        var schemas = new JsonObject { ["Problem"] = ProblemSchema() };
        var paths = new JsonObject();
        foreach (var op in ApiCatalog.Operations)
        {
            var path = paths[op.Path] as JsonObject ?? new JsonObject();
            paths[op.Path] = path;
            path[op.Method.ToLowerInvariant()] = Operation(op, schemas);
        }
        var document = new JsonObject
        {
            ["openapi"] = "3.1.0",
            ["info"] = new JsonObject
            {
                ["title"] = "Herald",
                ["version"] = "v1",
                ["description"] = "Business messaging you run yourself. JSON in snake_case; times are ISO 8601 UTC; errors are RFC 9457 " +
                    "problem+json with a stable `code`. Callbacks are signed the Standard Webhooks way: `webhook-id`, `webhook-timestamp` and `webhook-signature: v1,<base64 HMAC-SHA256(key, \"<id>.<timestamp>.<raw body>\")>`, the key being the base64 after `whsec_` in the secret.",
            },
            ["servers"] = new JsonArray(new JsonObject { ["url"] = "/" }),
            ["tags"] = new JsonArray(
                Tag("Business API", "For senders, with an API key; the caller's address must be on the business's allowlist."),
                Tag("Operator API", "For the operator, with an operator token."),
                Tag("Consumer API", "For consumers' devices: sign-in, the WebSocket, choices and data rights."),
                Tag("Server", "Health and this document.")),
            ["paths"] = paths,
            ["components"] = new JsonObject
            {
                ["schemas"] = schemas,
                ["securitySchemes"] = new JsonObject
                {
                    ["apiKey"] = Bearer("A business's API key (`hk_…`), issued by the operator."),
                    ["operatorToken"] = Bearer("An operator token (`hop_…`); the first start prints one."),
                    ["deviceToken"] = Bearer("A device token (`hdt_…`) from `POST /consumer/v1/sign-in`."),
                },
            },
        };
        return JsonSerializer.SerializeToUtf8Bytes(document, ApiJson.Options);
    }

    private static JsonObject Operation(ApiOperation op, JsonObject schemas)
    {
        var operation = new JsonObject
        {
            ["operationId"] = op.Id,
            ["tags"] = new JsonArray(op.Tag),
            ["summary"] = op.Summary,
        };
        if (op.Description is not null)
            operation["description"] = op.Description;
        if (op.Caller != Caller.Anyone)
            operation["security"] = new JsonArray(new JsonObject
            {
                [op.Caller switch { Caller.Business => "apiKey", Caller.Operator => "operatorToken", _ => "deviceToken" }] = new JsonArray(),
            });

        var parameters = new JsonArray();
        foreach (Match m in PathParameter().Matches(op.Path))
            parameters.Add(Parameter(m.Groups[1].Value, "path", "string", null, required: true));
        foreach (var (name, type, description) in op.Query ?? [])
            parameters.Add(Parameter(name, "query", type, description, required: false));
        if (op.Id is "sendMessage" or "sendBatch")
            parameters.Add(Parameter("Idempotency-Key", "header", "string", "Up to 255 characters; repeats within 24 h get the first answer.", required: false));
        if (parameters.Count > 0)
            operation["parameters"] = parameters;

        if (op.Request is not null)
            operation["requestBody"] = new JsonObject
            {
                ["required"] = true,
                ["content"] = new JsonObject { ["application/json"] = new JsonObject { ["schema"] = Reference(op.Request, schemas) } },
            };

        var responses = new JsonObject();
        var success = new JsonObject { ["description"] = op.Status switch { 101 => "Switching to the WebSocket protocol", 204 => "Done", _ => "Success" } };
        if (op.Response is not null)
            success["content"] = new JsonObject { ["application/json"] = new JsonObject { ["schema"] = Reference(op.Response, schemas) } };
        responses[op.Status.ToString(System.Globalization.CultureInfo.InvariantCulture)] = success;
        foreach (var group in op.Errors.GroupBy(code => s_errorStatus.GetValueOrDefault(code, 400)).OrderBy(g => g.Key))
        {
            var error = new JsonObject
            {
                ["description"] = "`" + string.Join("`, `", group) + "`",
                ["content"] = new JsonObject { ["application/problem+json"] = new JsonObject { ["schema"] = new JsonObject { ["$ref"] = "#/components/schemas/Problem" } } },
            };
            if (group.Key == 429)
                error["headers"] = new JsonObject { ["Retry-After"] = new JsonObject { ["description"] = "Whole seconds to wait", ["schema"] = new JsonObject { ["type"] = "integer" } } };
            responses[group.Key.ToString(System.Globalization.CultureInfo.InvariantCulture)] = error;
        }
        operation["responses"] = responses;
        return operation;
    }

    /// <summary>A list is an array of its element's component; any other record becomes a named component.</summary>
    private static JsonObject Reference(Type type, JsonObject schemas)
    {
        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(List<>))
            return new JsonObject { ["type"] = "array", ["items"] = Reference(type.GetGenericArguments()[0], schemas) };
        if (!schemas.ContainsKey(type.Name))
            schemas[type.Name] = Schema(type);
        return new JsonObject { ["$ref"] = "#/components/schemas/" + type.Name };
    }

    private static JsonNode Schema(Type type)
    {
        var schema = ApiJson.Options.GetJsonSchemaAsNode(type, new JsonSchemaExporterOptions
        {
            TreatNullObliviousAsNonNullable = true,
            TransformSchemaNode = (context, node) =>
            {
                // Timestamps go through a custom converter the exporter cannot see into.
                var t = context.TypeInfo.Type;
                if (t == typeof(DateTimeOffset))
                    return new JsonObject { ["type"] = "string", ["format"] = "date-time" };
                if (t == typeof(DateTimeOffset?))
                    return new JsonObject { ["type"] = new JsonArray("string", "null"), ["format"] = "date-time" };
                if (node is JsonObject { } obj && obj["required"] is JsonArray required && obj["properties"] is JsonObject properties)
                {
                    // Null fields are left out of answers, so only the never-null ones are always there.
                    var always = required.Select(r => r!.GetValue<string>()).Where(name => !IsNullable(properties[name])).ToList();
                    obj["required"] = new JsonArray([.. always.Select(n => (JsonNode)n)]);
                }
                return node;
            },
        });
        // Request records take every field as optional so that the endpoint, not the parser, names what is missing.
        if (ApiCatalog.RequiredFields.TryGetValue(type, out var fields))
            schema["required"] = new JsonArray([.. fields.Select(f => (JsonNode)f)]);
        return schema;
    }

    private static bool IsNullable(JsonNode? property) =>
        property?["type"] is JsonArray types && types.Any(t => t?.GetValue<string>() == "null");

    private static JsonObject ProblemSchema() => new()
    {
        ["type"] = "object",
        ["description"] = "RFC 9457 problem details with Herald's stable `code`.",
        ["properties"] = new JsonObject
        {
            ["type"] = new JsonObject { ["type"] = "string" },
            ["title"] = new JsonObject { ["type"] = "string" },
            ["status"] = new JsonObject { ["type"] = "integer" },
            ["detail"] = new JsonObject { ["type"] = "string" },
            ["code"] = new JsonObject { ["type"] = "string" },
            ["errors"] = new JsonObject { ["type"] = "object", ["additionalProperties"] = new JsonObject { ["type"] = "string" }, ["description"] = "per-field problems (invalid_request)" },
        },
        ["required"] = new JsonArray("code", "title", "status"),
    };

    private static JsonObject Parameter(string name, string where, string type, string? description, bool required)
    {
        var parameter = new JsonObject { ["name"] = name, ["in"] = where, ["required"] = required, ["schema"] = new JsonObject { ["type"] = type } };
        if (description is not null)
            parameter["description"] = description;
        return parameter;
    }

    private static JsonObject Tag(string name, string description) => new() { ["name"] = name, ["description"] = description };

    private static JsonObject Bearer(string description) => new() { ["type"] = "http", ["scheme"] = "bearer", ["description"] = description };

    [GeneratedRegex(@"\{([A-Za-z_]+)\}")]
    private static partial Regex PathParameter();
}
