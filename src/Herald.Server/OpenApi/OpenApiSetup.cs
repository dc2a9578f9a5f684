using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.OpenApi;

namespace Herald.Server.OpenApi;

/// <summary>
/// The OpenAPI 3.1 document at <c>GET /openapi/v1.json</c>, generated from the endpoints' metadata (ids, summaries,
/// tags, bodies, answers) and the records they read and write, through the APIs' own JSON settings (snake_case).
/// The transformers add what metadata cannot say. /docs/ renders it.
/// </summary>
public static class OpenApiSetup
{
    public const string DocumentName = "v1";
    public const string BusinessTag = "Business API";
    public const string OperatorTag = "Operator API";
    public const string ConsumerTag = "Consumer API";
    public const string ServerTag = "Server";
    public const string AccountsTag = "Console accounts";

    public static IServiceCollection AddHeraldOpenApi(this IServiceCollection services) =>
        services.AddOpenApi(DocumentName, options =>
        {
            options.OpenApiVersion = OpenApiSpecVersion.OpenApi3_1;
            options.AddDocumentTransformer(Describe);
            options.AddDocumentTransformer(Security.AddSchemes);
            options.AddDocumentTransformer(HandDescribed.Add);
            options.AddDocumentTransformer(Webhooks.Add);
            options.AddDocumentTransformer(WireSchemas.BatchResultAsOneOf);
            options.AddOperationTransformer(Security.Require);
            options.AddOperationTransformer(ProblemResponses.Transform);
            options.AddOperationTransformer(IdempotencyKeyHeader);
            options.AddSchemaTransformer(WireSchemas.Transform);
        });

    public static void MapHeraldOpenApi(this WebApplication app) =>
        app.MapOpenApi("/openapi/" + DocumentName + ".json")
            .WithName("openApi").WithSummary("This document").WithTags(ServerTag)
            .WithDescription("OpenAPI 3.1, generated from the endpoints; `servers` names the address it was asked at.");

    private static Task IdempotencyKeyHeader(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancel)
    {
        if (!context.Description.ActionDescriptor.EndpointMetadata.OfType<IdempotencyKeyMetadata>().Any())
            return Task.CompletedTask;
        operation.Parameters ??= [];
        operation.Parameters.Add(new OpenApiParameter
        {
            Name = "Idempotency-Key",
            In = ParameterLocation.Header,
            Description = $"Up to {BusinessApi.IdempotentRequests.MaxKeyLength} characters; the same key with the same body within 24 h gets the first answer, with another body 409 `idempotency_conflict`.",
            Schema = new OpenApiSchema { Type = JsonSchemaType.String, MinLength = 1, MaxLength = BusinessApi.IdempotentRequests.MaxKeyLength },
        });
        return Task.CompletedTask;
    }

    private static Task Describe(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancel)
    {
        document.Info = new OpenApiInfo
        {
            Title = "Herald",
            Version = DocumentName,
            Description = "Business messaging you run yourself. JSON in snake_case; times are ISO 8601 UTC; errors are RFC 9457 "
                + "problem+json with a stable `code`. Callbacks (see `webhooks`) are signed the Standard Webhooks way.",
            License = new OpenApiLicense { Name = "MIT", Identifier = "MIT" },
        };
        document.Tags = new HashSet<OpenApiTag>
        {
            new() { Name = BusinessTag, Description = "For senders, with an API key; the caller's address must be on the business's allowlist." },
            new() { Name = OperatorTag, Description = "For the operator team: a person's Console session (cookie) or an operator token for automation." },
            new() { Name = AccountsTag, Description = "Signing in to the Console: sessions, invitation and password-reset links." },
            new() { Name = ConsumerTag, Description = "For consumers' devices: sign-in, the WebSocket, choices and data rights." },
            new() { Name = ServerTag, Description = "Health, metrics and this document." },
        };
        // The generator names the address the document was asked at, with a trailing slash that joins paths as "//".
        foreach (var server in document.Servers ?? [])
            server.Url = server.Url?.TrimEnd('/');
        document.Components ??= new OpenApiComponents();
        document.Components.Schemas ??= new Dictionary<string, IOpenApiSchema>();
        document.Components.Schemas[ProblemResponses.ProblemSchema] = ProblemResponses.Schema();
        return Task.CompletedTask;
    }
}
