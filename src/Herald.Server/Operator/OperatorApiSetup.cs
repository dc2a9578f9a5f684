using Herald.Server.Accounts;
using Herald.Server.BusinessApi;
using Herald.Server.OpenApi;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Herald.Server.Operator;

/// <summary>
/// The operator API under /admin/v1: businesses and keys, template review, country policies, the team and its tokens, the audit log.
/// Every route names the capability it needs (OperatorAccess); calls made with the Console's cookie need the antiforgery header.
/// </summary>
public static class OperatorApiSetup
{
    public static IServiceCollection AddOperatorApi(this IServiceCollection services) => services.AddSingleton<TokenUsage>();

    public static void MapOperatorApi(this IEndpointRouteBuilder app)
    {
        var admin = app.MapGroup("/admin/v1").RequireAuthorization(OperatorAccess.AnyOperator).AddEndpointFilter(AntiforgeryFilter.Check)
            .DocumentCredential(Credential.OperatorToken).WithTags(OpenApiSetup.OperatorTag);
        admin.MapBusinessAdminEndpoints();
        admin.MapTemplateAdminEndpoints();
        admin.MapPolicyEndpoints();
        admin.MapTeamEndpoints();
        admin.MapTokenEndpoints();
        admin.MapMemberAdminEndpoints();
        admin.MapAuditEndpoints();
    }
}
