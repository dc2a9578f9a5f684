using Herald.Server.OpenApi;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Herald.Server.Operator;

/// <summary>The operator API under /admin/v1: businesses and keys, template review, country policies, the audit log.</summary>
public static class OperatorApiSetup
{
    public static IServiceCollection AddOperatorApi(this IServiceCollection services) => services;

    public static void MapOperatorApi(this IEndpointRouteBuilder app)
    {
        var admin = app.MapGroup("/admin/v1").RequireAuthorization(OperatorAuth.SchemeName)
            .DocumentCredential(Credential.OperatorToken).WithTags(OpenApiSetup.OperatorTag);
        admin.MapBusinessAdminEndpoints();
        admin.MapTemplateAdminEndpoints();
        admin.MapPolicyEndpoints();
        admin.MapAuditEndpoints();
    }
}
