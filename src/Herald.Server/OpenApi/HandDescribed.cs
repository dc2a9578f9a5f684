using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.OpenApi;

namespace Herald.Server.OpenApi;

/// <summary>
/// Endpoints the generator does not see, because they are not route handlers (health checks, metrics, the document
/// itself) or answer any method (the WebSocket): each named with <c>WithName</c> is described from its metadata.
/// </summary>
public static class HandDescribed
{
    public static Task Add(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancel)
    {
        document.Paths ??= [];
        foreach (var endpoint in context.ApplicationServices.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>())
        {
            if (endpoint.Metadata.GetMetadata<IEndpointNameMetadata>() is not { } name || endpoint.RoutePattern.RawText is not { } path)
                continue;
            var method = endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods is [var only] ? new HttpMethod(only) : HttpMethod.Get;
            if (document.Paths.TryGetValue(path, out var existing) && existing.Operations?.ContainsKey(method) == true)
                continue;
            var item = existing as OpenApiPathItem ?? new OpenApiPathItem();
            document.Paths[path] = item;
            item.Operations ??= [];
            item.Operations[method] = Operation(endpoint, name.EndpointName, document);
        }
        return Task.CompletedTask;
    }

    private static OpenApiOperation Operation(RouteEndpoint endpoint, string id, OpenApiDocument document)
    {
        var metadata = endpoint.Metadata;
        var credential = metadata.GetMetadata<CredentialMetadata>();
        var success = metadata.GetMetadata<IProducesResponseTypeMetadata>()?.StatusCode ?? StatusCodes.Status200OK;
        var operation = new OpenApiOperation
        {
            OperationId = id,
            Summary = metadata.GetMetadata<IEndpointSummaryMetadata>()?.Summary,
            Description = metadata.GetMetadata<IEndpointDescriptionMetadata>()?.Description,
            Tags = new HashSet<OpenApiTagReference>(metadata.GetOrderedMetadata<ITagsMetadata>().SelectMany(t => t.Tags).Select(t => new OpenApiTagReference(t, document))),
            Security = credential is null ? [] : [Security.Requirement(credential.Credential, document)],
            Responses = new OpenApiResponses
            {
                [success.ToString(System.Globalization.CultureInfo.InvariantCulture)] = new OpenApiResponse { Description = success == 101 ? "Switching to the WebSocket protocol" : "Success" },
            },
        };
        var codes = (metadata.GetMetadata<ErrorCodesMetadata>()?.Codes ?? []).Concat(credential is null ? [] : ["unauthorized"]);
        ProblemResponses.Add(operation, codes.Select(c => (ProblemResponses.StatusOf.GetValueOrDefault(c, 400), c)));
        return operation;
    }
}
