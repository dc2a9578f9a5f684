using Microsoft.Extensions.DependencyInjection;

namespace Herald.Server.Callbacks;

/// <summary>Signed, retried callbacks to each business's webhook, and the guard that keeps them out of the network.</summary>
public static class CallbackSetup
{
    public static IServiceCollection AddCallbacks(this IServiceCollection services)
    {
        services.AddSingleton<CallbackSignal>();
        services.AddSingleton<WebhookUrlGuard>();
        services.AddSingleton<CallbackBuckets>();
        services.AddHostedService(sp => sp.GetRequiredService<CallbackBuckets>());
        services.AddCallbackHttpClient();
        services.AddHostedService<CallbackDispatcher>();
        return services;
    }
}
