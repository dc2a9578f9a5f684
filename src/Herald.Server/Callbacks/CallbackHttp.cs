using Microsoft.Extensions.DependencyInjection;

namespace Herald.Server.Callbacks;

internal static class CallbackHttp
{
    public const string ClientName = "callbacks";

    public static void AddCallbackHttpClient(this IServiceCollection services) =>
        services.AddHttpClient(ClientName)
            .ConfigurePrimaryHttpMessageHandler(sp => sp.GetRequiredService<WebhookUrlGuard>().Handler());
}
