using System.Net.Http.Json;
using System.Text.Json;
using Herald.Server.Tests.Infrastructure;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Herald.Server.Tests;

/// <summary>The OpenAPI document at /openapi/v1.json: complete (every mapped endpoint), consistent, and true to the answers.</summary>
public sealed class OpenApiTests
{
    [Fact]
    public async Task The_document_lists_exactly_the_endpoints_the_server_maps()
    {
        await using var host = await HeraldHost.Start();
        var document = await Document(host);
        Assert.Equal("3.1.0", document.GetProperty("openapi").GetString());

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
        foreach (var operation in document.GetProperty("paths").EnumerateObject().SelectMany(p => p.Value.EnumerateObject()))
        {
            Assert.True(ids.Add(operation.Value.GetProperty("operationId").GetString()!));
            Assert.Single(operation.Value.GetProperty("tags").EnumerateArray());
            Assert.Contains(operation.Value.GetProperty("responses").EnumerateObject(), r => r.Name.StartsWith('2') || r.Name == "101");
        }
        var send = document.GetProperty("paths").GetProperty("/v1/messages").GetProperty("post");
        Assert.Equal("apiKey", send.GetProperty("security")[0].EnumerateObject().Single().Name);
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
