using Herald.Server.Http;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;

namespace Herald.Server.OpenApi;

public static class OpenApiEndpoints
{
    private static readonly Lazy<byte[]> s_document = new(() => OpenApiDocument.Build());

    /// <summary><c>GET /openapi/v1.json</c>; the interactive reference at /docs/ renders it.</summary>
    public static void MapOpenApi(this IEndpointRouteBuilder app) =>
        app.MapGet("/openapi/v1.json", () => new JsonBytesResult(s_document.Value, 200));
}
