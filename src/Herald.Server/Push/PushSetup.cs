using Herald.Server.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Herald.Server.Push;

/// <summary>Web Push to devices whose Messenger is closed: the VAPID keys, the endpoint guard, and the sender.</summary>
public static class PushSetup
{
    public static IServiceCollection AddWebPush(this IServiceCollection services)
    {
        services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<HeraldOptions>>().Value;
            return VapidKeys.Load(options.Push, options.DataDirectory);
        });
        services.AddSingleton<PushEndpointGuard>();
        services.AddPushHttpClient();
        services.AddSingleton<PushlessConsumers>();
        services.AddSingleton<PushSender>();
        services.AddHostedService(sp => sp.GetRequiredService<PushSender>());
        return services;
    }
}
