using Herald.Core.Privacy;
using Herald.Core.Security;
using Herald.Server.Business;
using Herald.Server.Callbacks;
using Herald.Server.Cluster;
using Herald.Server.Consumer;
using Herald.Server.Delivery;
using Herald.Server.Http;
using Herald.Server.OpenApi;
using Herald.Server.Operator;
using Herald.Server.Push;
using Herald.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Herald.Server.Hosting;

/// <summary>Builds the whole server: the one composition root, used by <c>herald serve</c> and by the tests.</summary>
public static class HeraldServer
{
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args });
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        // HttpClientFactory logs every outbound request, and a failed one with its stack trace, at Information: a
        // receiver that is down would fill the log. The callback dispatcher logs each failed attempt in one line.
        builder.Logging.AddFilter("System.Net.Http.HttpClient", LogLevel.Warning);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = 2 * JsonBody.DefaultLimit; // JsonBody sets each endpoint's own limit
        });
        configure?.Invoke(builder);
        builder.WebHost.ConfigureKestrel((context, kestrel) =>
            Transport.ConfigureHttps(kestrel, context.Configuration.GetSection("Herald:Tls").Get<TlsOptions>() ?? new TlsOptions()));
        AddHerald(builder.Services, builder.Configuration);
        builder.Services.AddHeraldTelemetry(builder.Configuration);
        builder.Services.AddHeraldHealth(builder.Configuration);

        var app = builder.Build();
        Start(app);
        MapHerald(app);
        return app;
    }

    private static void AddHerald(IServiceCollection services, Microsoft.Extensions.Configuration.IConfiguration configuration)
    {
        services.Configure<HeraldOptions>(configuration.GetSection(HeraldOptions.Section));
        services.TryAddSingleton(TimeProvider.System);
        services.AddTransport();
        services.AddProblemDetails(o => o.CustomizeProblemDetails = c =>
            c.ProblemDetails.Extensions.TryAdd("code", c.ProblemDetails.Status switch
            {
                404 => "not_found",
                405 => "method_not_allowed",
                413 => "payload_too_large",
                >= 500 => "internal_error",
                _ => "invalid_request",
            }));
        services.ConfigureHttpJsonOptions(o => ApiJson.Apply(o.SerializerOptions));

        services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<HeraldOptions>>().Value;
            Directory.CreateDirectory(options.DataDirectory);
            return new ContentKeyMaterial(ContentKey.LoadOrCreate(options.Privacy.KeyFile ?? Path.Combine(options.DataDirectory, "content.key")));
        });
        services.AddSingleton(sp => new ContentCipher(sp.GetRequiredService<ContentKeyMaterial>().ContentKey));
        services.AddSingleton(sp => StorageProvider.Create(sp.GetRequiredService<IOptions<HeraldOptions>>().Value));
        services.AddSingleton<StoreHealth>();
        services.AddSingleton<Writer>();
        services.AddExceptionHandler<StoreFaultHandler>();
        services.AddSingleton<BusinessStore>();
        services.AddSingleton<OperatorStore>();
        services.AddSingleton<ConsumerStore>();
        services.AddSingleton<MessageStore>();
        services.AddSingleton<OutboxStore>();
        services.AddSingleton<TemplateStore>();
        services.AddSingleton<PolicyStore>();
        services.AddSingleton<ConsumerChoices>();
        services.AddSingleton<ConsumerRights>();
        services.AddSingleton<ConsumerDevices>();
        services.AddSingleton<IdempotencyStore>();
        services.AddSingleton<AuditLog>();
        services.AddSingleton<BusinessReports>();

        services.AddSingleton<BusinessAuth>();
        services.AddSingleton<ApiKeyCache>();
        services.AddSingleton<OperatorAuth>();
        services.AddSingleton<DeviceAuth>();
        services.AddSingleton<SendRateLimiter>();
        services.AddSingleton<IdempotentRequests>();
        services.AddSingleton<CountryPolicies>();
        services.AddSingleton<MessageAcceptor>();
        services.AddSingleton<SenderProfiles>();
        services.AddSingleton<DeviceConnections>();
        services.AddSingleton<DeviceAcks>();
        services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<HeraldOptions>>().Value;
            return VapidKeys.Load(options.Push, options.DataDirectory);
        });
        services.AddSingleton<PushEndpointGuard>();
        services.AddPushHttpClient();
        services.AddSingleton<PushSender>();
        services.AddHostedService(sp => sp.GetRequiredService<PushSender>());
        services.AddSingleton<SignInCodes>();
        services.AddSingleton<SignInThrottle>();
        services.AddSingleton<CallbackSignal>();
        services.AddSingleton<ClusterBus>();
        services.AddSingleton<Leadership>();
        services.AddHostedService(sp => sp.GetRequiredService<Leadership>());
        services.AddHostedService<ClusterListener>();
        services.AddSingleton<WebhookUrlGuard>();
        services.AddHttpClient(SignInCodes.HookClientName, c => c.Timeout = TimeSpan.FromSeconds(10))
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler().BoundAnswers());
        services.AddCallbackHttpClient();
        services.AddHostedService<CallbackDispatcher>();
        services.AddHostedService<ExpirySweeper>();
    }

    /// <summary>Migrations (logged), then the one-time operator token on a store that has none.</summary>
    private static void Start(WebApplication app)
    {
        StartupLog.Migrations(app, app.Services.GetRequiredService<Database>().Migrate());
        StartupLog.OnStarted(app);
        var operators = app.Services.GetRequiredService<OperatorStore>();
        if (operators.HasAnyToken())
            return;
        var token = app.Configuration["HERALD_BOOTSTRAP_TOKEN"];
        var printed = string.IsNullOrEmpty(token);
        token = printed ? Secrets.NewToken("hop") : token!;
        operators.AddToken(Secrets.NewId("op"), Secrets.Hash(token), app.Services.GetRequiredService<TimeProvider>().GetUtcNow()).GetAwaiter().GetResult();
        if (printed)
        {
            // Printed, not logged: it must reach the operator once and stay out of log collectors.
            Console.WriteLine();
            Console.WriteLine("  Herald operator token (shown once, keep it safe):");
            Console.WriteLine($"  {token}");
            Console.WriteLine();
        }
    }

    private static void MapHerald(WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseTransport();
        app.UseStatusCodePages();
        app.UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.FromSeconds(30) });
        app.UseWebApps();

        app.MapOpenApi();
        app.MapHeraldHealth();
        app.MapHeraldMetrics();

        var v1 = app.MapGroup("/v1").AddEndpointFilter<BusinessAuth>();
        v1.MapMessageEndpoints();
        v1.MapProfileEndpoints();
        v1.MapWebhookEndpoints();
        v1.MapTemplateEndpoints();
        v1.MapReportEndpoints();

        var admin = app.MapGroup("/admin/v1").AddEndpointFilter<OperatorAuth>();
        admin.MapBusinessAdminEndpoints();
        admin.MapTemplateAdminEndpoints();
        admin.MapPolicyEndpoints();
        admin.MapAuditEndpoints();

        var consumer = app.MapGroup("/consumer/v1");
        consumer.MapSignInEndpoints();
        consumer.MapGateway();
        consumer.MapPushKey();
        var me = consumer.MapGroup("").AddEndpointFilter<DeviceAuth>();
        me.MapSenderEndpoints();
        me.MapRightsEndpoints();
        me.MapDeviceEndpoints();
        me.MapPushEndpoints();
    }
}
