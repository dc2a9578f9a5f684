using Herald.Server.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Herald.Server.Callbacks;

internal static class CallbackHttp
{
    public const string ClientName = "callbacks";

    public static void AddCallbackHttpClient(this IServiceCollection services) =>
        services.AddHttpClient(ClientName)
            .ConfigurePrimaryHttpMessageHandler(sp => new SocketsHttpHandler
            {
                AllowAutoRedirect = false, // a redirect could point anywhere, including inside the network
                ConnectCallback = sp.GetRequiredService<WebhookUrlGuard>().Connect,
                PooledConnectionLifetime = TimeSpan.FromMinutes(5), // pick up DNS changes
                UseCookies = false,
            }.BoundAnswers());
}
