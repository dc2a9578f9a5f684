using Herald.Server.Accounts;
using Herald.Server.OpenApi;
using Herald.Server.Campaigns;
using Herald.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Herald.Server.BusinessApi;

/// <summary>The business API under /v1: sending, status, templates, the webhook and reports, behind API key + allowlist.</summary>
public static class BusinessApiSetup
{
    public static IServiceCollection AddBusinessApi(this IServiceCollection services)
    {
        services.AddSingleton<ApiKeyCache>();
        services.AddSingleton<KeyUsage>();
        services.AddSingleton<SendRateLimiter>();
        services.AddSingleton<IdempotentRequests>();
        services.AddSingleton<InboxSignal>();
        services.AddSingleton<CampaignSender>();
        services.AddHostedService<CampaignRunner>();
        return services;
    }

    public static void MapBusinessApi(this IEndpointRouteBuilder app)
    {
        // A business member's Console session works here too (MemberCheck); its changes need the antiforgery header.
        var v1 = app.MapGroup("/v1").RequireAuthorization(BusinessAuth.SchemeName).AddEndpointFilter(AntiforgeryFilter.Check)
            .DocumentCredential(Credential.BusinessApiKey).WithTags(OpenApiSetup.BusinessTag);
        v1.MapMessageEndpoints();
        v1.MapProfileEndpoints();
        v1.MapWebhookEndpoints();
        v1.MapTemplateEndpoints();
        v1.MapReportEndpoints();
        v1.MapInboxEndpoints();
        v1.MapCampaignEndpoints();
        v1.MapMemberEndpoints();
    }
}
