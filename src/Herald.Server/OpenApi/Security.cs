using Microsoft.AspNetCore.OpenApi;
using System.Text.Json.Nodes;
using Herald.Server.BusinessApi;
using Microsoft.OpenApi;

namespace Herald.Server.OpenApi;

/// <summary>
/// The three credentials as security schemes, and each operation's requirement taken from its
/// <see cref="CredentialMetadata"/> (none: a public route, <c>security: []</c>). docs/api.md says why they are
/// three <c>http bearer</c> schemes told apart by name and <c>bearerFormat</c>.
/// </summary>
public static class Security
{
    public static string SchemeName(Credential credential) => credential switch
    {
        Credential.BusinessApiKey => "businessApiKey",
        Credential.OperatorToken => "operatorToken",
        _ => "deviceToken",
    };

    public static Task AddSchemes(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancel)
    {
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes = new Dictionary<string, IOpenApiSecurityScheme>
        {
            [SchemeName(Credential.BusinessApiKey)] = Bearer("hk_…",
                "A business's API key (`hk_…`), issued by the operator. The caller's address must also be on the business's allowlist (`allowed_ips`): from elsewhere the answer is `403 ip_not_allowed`. Each operation names the one scope it needs in `x-herald-scope` (`send`, `status`, `templates`, `webhook`, `campaigns`, `inbox`); a key without it gets `403 scope_required`, an expired key `401 unauthorized`."),
            [SchemeName(Credential.OperatorToken)] = Bearer("hop_…", "An operator token (`hop_…`); the first start prints one."),
            [SchemeName(Credential.DeviceToken)] = Bearer("hdt_…", "A consumer device's token (`hdt_…`) from `POST /consumer/v1/sign-in`."),
        };
        return Task.CompletedTask;
    }

    public static Task Require(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancel)
    {
        var metadata = context.Description.ActionDescriptor.EndpointMetadata;
        var credential = metadata.OfType<CredentialMetadata>().LastOrDefault();
        var scope = metadata.OfType<RequiredScope>().LastOrDefault()?.Scope;
        operation.Security = credential is null ? [] : [Requirement(credential.Credential, context.Document)];
        if (scope is not null)
        {
            // Not in the requirement's scope list: that list is for OAuth2 and OpenID Connect schemes (linters refuse
            // it on http bearer), so the scope goes in an extension and the description.
            operation.Extensions ??= new Dictionary<string, IOpenApiExtension>();
            operation.Extensions["x-herald-scope"] = new JsonNodeExtension(JsonValue.Create(scope));
            operation.Description = $"{operation.Description} Needs the `{scope}` scope (else 403 `scope_required`).".TrimStart();
        }
        return Task.CompletedTask;
    }

    public static OpenApiSecurityRequirement Requirement(Credential credential, OpenApiDocument? document) =>
        new() { [new OpenApiSecuritySchemeReference(SchemeName(credential), document)] = [] };

    private static OpenApiSecurityScheme Bearer(string format, string description) => new()
    {
        Type = SecuritySchemeType.Http,
        Scheme = "bearer",
        BearerFormat = format,
        Description = description,
    };
}
