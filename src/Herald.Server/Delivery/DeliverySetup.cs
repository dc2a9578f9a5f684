using Microsoft.Extensions.DependencyInjection;

namespace Herald.Server.Delivery;

/// <summary>What every message goes through: country policies, acceptance, and expiry of what was never delivered.</summary>
public static class DeliverySetup
{
    public static IServiceCollection AddDelivery(this IServiceCollection services)
    {
        services.AddSingleton<CountryPolicies>();
        services.AddSingleton<MessageAcceptor>();
        services.AddHostedService<ExpirySweeper>();
        return services;
    }
}
