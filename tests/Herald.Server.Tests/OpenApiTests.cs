using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Herald.Core.Callbacks;
using Herald.Core.Messages;
using Herald.Server.Tests.Infrastructure;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Herald.Server.Tests;

/// <summary>The OpenAPI document at /openapi/v1.json: complete (every mapped endpoint), consistent, and true to the answers.</summary>
public sealed partial class OpenApiTests
{
    [Fact]
    public async Task Closed_sets_are_enums_from_the_same_source_as_the_code_and_limits_come_from_the_validation()
    {
        await using var host = await HeraldHost.Start();
        var document = await Document(host);

        var status = Schema(document, "MessageStatusView").GetProperty("properties");
        Assert.Equal<string?>(WireNames.Values(WireSet.MessageStatus), Strings(status.GetProperty("status").GetProperty("enum")));
        Assert.Equal<string?>(WireNames.Values(WireSet.Category), Strings(status.GetProperty("category").GetProperty("enum")));
        Assert.Equal([.. WireNames.Values(WireSet.FailureReason), null], Strings(status.GetProperty("reason").GetProperty("enum")));
        Assert.Equal(PhoneNumber.Pattern, status.GetProperty("to").GetProperty("pattern").GetString());
        Assert.Equal(["pending", "approved", "rejected"], Strings(Schema(document, "TemplateView").GetProperty("properties").GetProperty("status").GetProperty("enum")));

        var send = Schema(document, "SendMessageRequest").GetProperty("properties");
        Assert.Equal("string", send.GetProperty("to").GetProperty("type").GetString()); // required, so not nullable
        Assert.Equal(PhoneNumber.Pattern, send.GetProperty("to").GetProperty("pattern").GetString());
        Assert.Equal(MessageRules.MaxTextLength, send.GetProperty("text").GetProperty("maxLength").GetInt32());
        Assert.Equal(MessageRules.MaxTrackingDataLength, send.GetProperty("tracking_data").GetProperty("maxLength").GetInt32());
        Assert.Equal("uri", send.GetProperty("image_url").GetProperty("format").GetString());
        Assert.Equal(MessageRules.MaxCaptionLength, Schema(document, "MessageButton").GetProperty("properties").GetProperty("caption").GetProperty("maxLength").GetInt32());
        Assert.Equal("uri", Schema(document, "SenderProfile").GetProperty("properties").GetProperty("logo_url").GetProperty("format").GetString());
        Assert.Equal("date-time", status.GetProperty("accepted_at").GetProperty("format").GetString());
        Assert.Equal("string", status.GetProperty("accepted_at").GetProperty("type").GetString());
        Assert.Equal(1000, Schema(document, "BatchRequest").GetProperty("properties").GetProperty("messages").GetProperty("maxItems").GetInt32());

        var delivery = Schema(document, "DeliveryView").GetProperty("properties");
        Assert.Equal<string?>(DeliveryStates.All, Strings(delivery.GetProperty("status").GetProperty("enum")));
        Assert.Equal<string?>(CallbackEventTypes.All, Strings(delivery.GetProperty("type").GetProperty("enum")));
        var days = document.GetProperty("paths").GetProperty("/v1/stats/daily").GetProperty("get").GetProperty("parameters")[0].GetProperty("schema");
        Assert.Equal((1, 90), (days.GetProperty("minimum").GetInt32(), days.GetProperty("maximum").GetInt32()));
        var queue = document.GetProperty("paths").GetProperty("/admin/v1/templates").GetProperty("get").GetProperty("parameters");
        Assert.Equal(["pending", "approved", "rejected"], Strings(queue.EnumerateArray().Single(p => p.GetProperty("name").GetString() == "status").GetProperty("schema").GetProperty("enum")));
        Assert.Equal("^[a-z0-9_-]{3,64}$", Schema(document, "BusinessInput").GetProperty("properties").GetProperty("business_id").GetProperty("pattern").GetString());

        var results = Schema(document, "BatchResult").GetProperty("oneOf").EnumerateArray().ToList();
        Assert.Equal([["message_id"], ["error"]], results.Select(r => Strings(r.GetProperty("required"))).ToList());

        // One webhook, and one schema, per callback event type; a failed event's reason is the failure reasons.
        Assert.Equal(CallbackEventTypes.All.Order(), document.GetProperty("webhooks").EnumerateObject().Select(w => w.Name).Order());
        foreach (var type in CallbackEventTypes.All)
        {
            var items = document.GetProperty("webhooks").GetProperty(type).GetProperty("post").GetProperty("requestBody").GetProperty("content")
                .GetProperty("application/json").GetProperty("schema").GetProperty("properties").GetProperty("events").GetProperty("items");
            var schema = Schema(document, items.GetProperty("$ref").GetString()!.Split('/')[^1]);
            Assert.Equal(type, schema.GetProperty("properties").GetProperty("type").GetProperty("const").GetString());
        }
        Assert.Equal<string?>(WireNames.Values(WireSet.FailureReason),
            Strings(Schema(document, "FailedEvent").GetProperty("properties").GetProperty("reason").GetProperty("enum")));

        // Each operation's problem answers list the codes it can carry.
        var notFound = document.GetProperty("paths").GetProperty("/v1/messages/{messageId}").GetProperty("get").GetProperty("responses").GetProperty("404");
        Assert.Equal(["not_found"], Strings(notFound.GetProperty("content").GetProperty("application/problem+json").GetProperty("schema")
            .GetProperty("allOf")[1].GetProperty("properties").GetProperty("code").GetProperty("enum")));
    }

    [Fact]
    public async Task Each_operation_names_its_credential_public_ones_none_and_servers_is_a_real_address()
    {
        await using var host = await HeraldHost.Start();
        var document = await Document(host);
        var schemes = document.GetProperty("components").GetProperty("securitySchemes");
        Assert.Equal(["businessApiKey", "deviceToken", "operatorToken"], schemes.EnumerateObject().Select(s => s.Name).Order());
        Assert.Equal(3, schemes.EnumerateObject().Select(s => s.Value.GetProperty("bearerFormat").GetString()).Distinct().Count());

        foreach (var (path, method, operation) in Operations(document))
        {
            var security = operation.GetProperty("security").EnumerateArray().SelectMany(r => r.EnumerateObject().Select(p => p.Name)).ToList();
            string[] expected = path switch
            {
                _ when path.StartsWith("/v1/", StringComparison.Ordinal) => ["businessApiKey"],
                _ when path.StartsWith("/admin/", StringComparison.Ordinal) || path == "/metrics" => ["operatorToken"],
                _ when path.StartsWith("/consumer/v1/sign-in", StringComparison.Ordinal) || path == "/consumer/v1/push/key" => [],
                _ when path.StartsWith("/consumer/", StringComparison.Ordinal) => ["deviceToken"],
                _ => [],
            };
            Assert.True(expected.SequenceEqual(security), $"{method} {path}: [{string.Join(", ", security)}]");
        }

        var server = document.GetProperty("servers")[0].GetProperty("url").GetString()!;
        Assert.Equal(host.Client().BaseAddress!.GetLeftPart(UriPartial.Authority), server);
    }

    /// <summary>docs/api.md names every operation as <c>`METHOD /path`</c>, and only those of the document.</summary>
    [Fact]
    public async Task Docs_api_md_lists_exactly_the_operations_of_the_document()
    {
        await using var host = await HeraldHost.Start();
        var document = await Document(host);
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (!File.Exists(Path.Combine(root!.FullName, "Herald.slnx")))
            root = root.Parent;
        var guide = await File.ReadAllTextAsync(Path.Combine(root.FullName, "docs", "api.md"));

        var documented = Operations(document).Select(o => $"{o.Method} {Normalized(o.Path)}").ToHashSet();
        var listed = DocsCall().Matches(guide).Select(m => $"{m.Groups[1].Value} {Normalized(m.Groups[2].Value)}").ToHashSet();
        Assert.Empty(listed.Except(documented));
        Assert.Empty(documented.Except(listed));
    }

    private static string Normalized(string path) => PathParameter().Replace(path, "{}");

    [GeneratedRegex(@"`(GET|POST|PUT|PATCH|DELETE) (/[^`?\s]*)")]
    private static partial Regex DocsCall();

    [GeneratedRegex(@"\{[^}]+\}")]
    private static partial Regex PathParameter();

    private static IEnumerable<(string Path, string Method, JsonElement Operation)> Operations(JsonElement document) =>
        document.GetProperty("paths").EnumerateObject().SelectMany(p => p.Value.EnumerateObject().Select(m => (p.Name, m.Name.ToUpperInvariant(), m.Value)));

    private static List<string?> Strings(JsonElement array) => [.. array.EnumerateArray().Select(e => e.ValueKind == JsonValueKind.Null ? null : e.GetString())];

    [Fact]
    public async Task The_document_lists_exactly_the_endpoints_the_server_maps()
    {
        await using var host = await HeraldHost.Start();
        var document = await Document(host);
        Assert.StartsWith("3.1.", document.GetProperty("openapi").GetString(), StringComparison.Ordinal);

        var documented = document.GetProperty("paths").EnumerateObject()
            .SelectMany(p => p.Value.EnumerateObject().Select(m => $"{m.Name.ToUpperInvariant()} {p.Name}")).Order().ToList();
        var mapped = host.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText is { } raw && !raw.Contains("{*path", StringComparison.Ordinal)) // the web apps' page fallbacks
            .SelectMany(e => (e.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>()?.HttpMethods ?? ["GET"])
                .Select(m => $"{m} {e.RoutePattern.RawText}"))
            .Order().ToList();
        Assert.Equal(mapped, documented);
    }

    [Fact]
    public async Task Every_reference_resolves_and_every_operation_has_an_id_a_tag_and_a_success_answer()
    {
        await using var host = await HeraldHost.Start();
        var document = await Document(host);
        var schemas = document.GetProperty("components").GetProperty("schemas");
        var refs = new List<string>();
        Collect(document, refs);
        Assert.NotEmpty(refs);
        Assert.All(refs, r => Assert.True(schemas.TryGetProperty(r.Replace("#/components/schemas/", "", StringComparison.Ordinal), out _), r));

        var ids = new HashSet<string>();
        var summaries = new HashSet<string>(); // the /docs/ page names each operation's section by it: axe wants them unique
        foreach (var operation in document.GetProperty("paths").EnumerateObject().SelectMany(p => p.Value.EnumerateObject()))
        {
            Assert.True(ids.Add(operation.Value.GetProperty("operationId").GetString()!));
            Assert.True(summaries.Add(operation.Value.GetProperty("summary").GetString()!), operation.Value.GetProperty("summary").GetString());
            Assert.Single(operation.Value.GetProperty("tags").EnumerateArray());
            Assert.Contains(operation.Value.GetProperty("responses").EnumerateObject(), r => r.Name.StartsWith('2') || r.Name == "101");
        }
        var send = document.GetProperty("paths").GetProperty("/v1/messages").GetProperty("post");
        Assert.Equal("businessApiKey", send.GetProperty("security")[0].EnumerateObject().Single().Name);
        Assert.True(send.GetProperty("responses").GetProperty("429").GetProperty("headers").TryGetProperty("Retry-After", out _));
        Assert.Contains(send.GetProperty("parameters").EnumerateArray(), p => p.GetProperty("name").GetString() == "Idempotency-Key");
    }

    [Fact]
    public async Task Schemas_name_the_fields_the_answers_really_carry()
    {
        await using var host = await HeraldHost.Start();
        var document = await Document(host);
        var business = await host.CreateBusiness();
        var id = await business.SendOk(new { to = "+447700900999", category = "transactional", text = "hi" });
        await business.WaitForStatus(id, "failed");
        using var client = business.Client();
        using var admin = host.Operator();

        await AssertMatches(document, "MessageStatusView", await client.GetFromJsonAsync<JsonElement>($"/v1/messages/{id}"));
        await AssertMatches(document, "SenderProfile", await client.GetFromJsonAsync<JsonElement>("/v1/profile"));
        await AssertMatches(document, "DailyStatsView", await client.GetFromJsonAsync<JsonElement>("/v1/stats/daily"));
        await AssertMatches(document, "DeliveryLogView", await client.GetFromJsonAsync<JsonElement>("/v1/webhook/deliveries"));
        await AssertMatches(document, "BusinessView", await admin.GetFromJsonAsync<JsonElement>($"/admin/v1/businesses/{business.Id}"));
        var required = Schema(document, "SendMessageRequest").GetProperty("required").EnumerateArray().Select(r => r.GetString()).ToList();
        Assert.Equal(["to", "category"], required);
    }

    private static Task AssertMatches(JsonElement document, string schemaName, JsonElement answer)
    {
        var schema = Schema(document, schemaName);
        var properties = schema.GetProperty("properties");
        foreach (var field in answer.EnumerateObject())
            Assert.True(properties.TryGetProperty(field.Name, out _), $"{schemaName} does not document '{field.Name}'");
        foreach (var name in schema.GetProperty("required").EnumerateArray())
            Assert.True(answer.TryGetProperty(name.GetString()!, out _), $"{schemaName} says '{name}' is always there, but it is not");
        return Task.CompletedTask;
    }

    private static JsonElement Schema(JsonElement document, string name) =>
        document.GetProperty("components").GetProperty("schemas").GetProperty(name);

    private static void Collect(JsonElement element, List<string> refs)
    {
        if (element.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in element.EnumerateObject())
            {
                if (property.Name == "$ref" && property.Value.GetString()!.StartsWith("#/components/schemas/", StringComparison.Ordinal))
                    refs.Add(property.Value.GetString()!);
                Collect(property.Value, refs);
            }
        }
        else if (element.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in element.EnumerateArray())
                Collect(item, refs);
        }
    }

    private static async Task<JsonElement> Document(HeraldHost host)
    {
        using var client = host.Client();
        var response = await client.GetAsync("/openapi/v1.json");
        response.EnsureSuccessStatusCode();
        Assert.Equal("application/json", response.Content.Headers.ContentType!.MediaType);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }
}
