using Herald.Server.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Herald.Server.Cluster;

/// <summary>
/// Leadership (one node runs expiry and retention), the live members (heartbeats) and the NATS hints between nodes. The bus and the leadership are always there —
/// one node is its own leader and publishing does nothing — but the listener runs only when a NATS URL is set.
/// </summary>
public static class ClusterSetup
{
    public static IServiceCollection AddCluster(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<ClusterBus>();
        services.AddSingleton<Leadership>();
        services.AddSingleton<ClusterMembers>();
        services.AddHostedService(sp => sp.GetRequiredService<ClusterMembers>());
        services.AddHostedService(sp => sp.GetRequiredService<Leadership>());
        var cluster = configuration.GetSection(HeraldOptions.Section).Get<HeraldOptions>()?.Cluster;
        if (cluster?.NatsUrl is { Length: > 0 })
            services.AddHostedService<ClusterListener>();
        return services;
    }
}
