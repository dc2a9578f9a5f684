using Herald.Server.Cluster;
using Herald.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace Herald.Server.Callbacks;

/// <summary>Signed, retried callbacks to each business's webhook, and the guard that keeps them out of the network.</summary>
public static class CallbackSetup
{
    public static IServiceCollection AddCallbacks(this IServiceCollection services)
    {
        // Every commit that makes callback events due wakes the dispatcher (here and, over the bus, on the leader):
        // the writer runs it after the commit, so no endpoint has to remember to.
        services.AddSingleton(sp =>
        {
            var signal = new CallbackSignal(sp.GetRequiredService<ClusterBus>());
            sp.GetRequiredService<OutboxStore>().AfterEventsWritten(signal.Wake);
            return signal;
        });
        services.AddSingleton<WebhookUrlGuard>();
        services.AddSingleton<CallbackBuckets>();
        services.AddHostedService(sp => sp.GetRequiredService<CallbackBuckets>());
        services.AddCallbackHttpClient();
        services.AddHostedService<CallbackDispatcher>();
        return services;
    }
}
