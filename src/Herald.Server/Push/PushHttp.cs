using Microsoft.Extensions.DependencyInjection;

namespace Herald.Server.Push;

internal static class PushHttp
{
    public const string ClientName = "push";

    public static void AddPushHttpClient(this IServiceCollection services) =>
        services.AddHttpClient(ClientName, c => c.Timeout = TimeSpan.FromSeconds(30))
            .ConfigurePrimaryHttpMessageHandler(sp => sp.GetRequiredService<PushEndpointGuard>().Handler());
}
