using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Herald.Server.OpenApi;

/// <summary>The credential an endpoint takes as <c>Authorization: Bearer …</c>; set on a route group or one endpoint.</summary>
public enum Credential
{
    BusinessApiKey,
    OperatorToken,
    DeviceToken,
}

/// <summary>Endpoint metadata: which credential the OpenAPI document names in the operation's <c>security</c>.</summary>
/// <remarks>
/// Only for the document: what enforces the credential (a filter today, an authorization policy later) is set
/// beside it. An endpoint without it is public and gets <c>security: []</c>.
/// </remarks>
public sealed record CredentialMetadata(Credential Credential);

/// <summary>Endpoint metadata: the stable problem <c>code</c>s the endpoint itself can answer with, beyond its credential's.</summary>
public sealed record ErrorCodesMetadata(IReadOnlyList<string> Codes);

/// <summary>Endpoint metadata: the endpoint honours an <c>Idempotency-Key</c> header (IdempotentRequests).</summary>
public sealed record IdempotencyKeyMetadata;

public static class ApiMetadataExtensions
{
    public static RouteHandlerBuilder HonoursIdempotencyKey(this RouteHandlerBuilder builder) =>
        builder.WithMetadata(new IdempotencyKeyMetadata());

    public static TBuilder DocumentCredential<TBuilder>(this TBuilder builder, Credential credential) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new CredentialMetadata(credential));

    /// <summary>The problem codes this endpoint can answer with (problem+json, grouped by status in the document).</summary>
    public static TBuilder Errors<TBuilder>(this TBuilder builder, params string[] codes) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new ErrorCodesMetadata(codes));

    /// <summary>Operation id, summary and the one success answer of an endpoint that writes <typeparamref name="TResponse"/>.</summary>
    public static RouteHandlerBuilder Answers<TResponse>(this RouteHandlerBuilder builder, string id, string summary, int status = StatusCodes.Status200OK) =>
        builder.WithName(id).WithSummary(summary).Produces<TResponse>(status, "application/json");

    /// <summary>Operation id, summary and the one success answer of an endpoint that answers without a body.</summary>
    public static RouteHandlerBuilder AnswersEmpty(this RouteHandlerBuilder builder, string id, string summary, int status = StatusCodes.Status204NoContent) =>
        builder.WithName(id).WithSummary(summary).Produces(status);

    /// <summary>The JSON body the handler reads by hand (through <c>JsonBody</c>), so the document can describe it.</summary>
    public static RouteHandlerBuilder Reads<TRequest>(this RouteHandlerBuilder builder) where TRequest : notnull =>
        builder.Accepts<TRequest>("application/json");
}
