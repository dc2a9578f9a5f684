using Herald.Server.OpenApi;
using Herald.Server.Http;
using Herald.Server.Push;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Herald.Server.Consumer;

/// <summary>The consumer side under /consumer/v1: sign-in, the device WebSocket, senders and choices, GDPR rights.</summary>
public static class ConsumerApiSetup
{
    public static IServiceCollection AddConsumerApi(this IServiceCollection services)
    {
        services.AddSingleton<SenderProfiles>();
        services.AddSingleton<DeviceConnections>();
        services.AddSingleton<DeviceAcks>();
        services.AddSingleton<SignInCodes>();
        services.AddSingleton<SignInThrottle>();
        services.AddHttpClient(SignInCodes.HookClientName, c => c.Timeout = TimeSpan.FromSeconds(10))
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler().BoundAnswers());
        return services;
    }

    public static void MapConsumerApi(this IEndpointRouteBuilder app)
    {
        var consumer = app.MapGroup("/consumer/v1").WithTags(OpenApiSetup.ConsumerTag);
        consumer.MapSignInEndpoints();
        consumer.MapGateway();
        consumer.MapPushKey();
        var me = consumer.MapGroup("").RequireAuthorization(DeviceAuth.SchemeName).DocumentCredential(Credential.DeviceToken);
        me.MapSenderEndpoints();
        me.MapRightsEndpoints();
        me.MapDeviceEndpoints();
        me.MapPushEndpoints();
    }
}
