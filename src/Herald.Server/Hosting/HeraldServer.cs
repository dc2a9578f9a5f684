using Herald.Core.Accounts;
using Herald.Core.Security;
using Herald.Server.Accounts;
using Herald.Server.BusinessApi;
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

    /// <summary>What every part shares (options, clock, transport, problem details, JSON), then each feature's own.</summary>
    private static void AddHerald(IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<HeraldOptions>(configuration.GetSection(HeraldOptions.Section));
        services.TryAddSingleton(TimeProvider.System);
        services.AddTransport();
        services.AddProblemDetails(o => o.CustomizeProblemDetails = Problems.Customize);
        services.ConfigureHttpJsonOptions(o => ApiJson.Apply(o.SerializerOptions));
        services.AddHeraldOpenApi();
        services.AddExceptionHandler<BadRequestHandler>();
        services.Configure<Microsoft.AspNetCore.Routing.RouteHandlerOptions>(o => o.ThrowOnBadRequest = true); // answered by BadRequestHandler
        services.AddHeraldAuth();

        services.AddHeraldStorage()
            .AddCluster(configuration)
            .AddDelivery()
            .AddCallbacks()
            .AddBusinessApi()
            .AddOperatorApi()
            .AddAccounts()
            .AddConsumerApi()
            .AddWebPush();
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
        var stored = operators.AddBootstrapToken(Secrets.NewId("op"), Secrets.Hash(token), OperatorRoles.Owner,
            app.Services.GetRequiredService<TimeProvider>().GetUtcNow()).GetAwaiter().GetResult();
        if (printed && stored) // another node starting at once may have stored its own first; this one's would not work
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
        var sockets = new WebSocketOptions { KeepAliveInterval = TimeSpan.FromSeconds(30) };
        app.UseGateway(branch => branch.UseTransport(), sockets); // first: its sockets keep the state of what they pass through
        app.UseExceptionHandler();
        app.UseTransport();
        app.UseStatusCodePages();
        app.UseWebSockets(sockets);
        app.UseWebApps();
        app.UseAuthentication();
        app.UseAuthorization();

        app.MapHeraldOpenApi();
        app.MapHeraldHealth();
        app.MapHeraldMetrics();

        app.MapBusinessApi();
        app.MapOperatorApi();
        app.MapAccounts();
        app.MapConsumerApi();
    }
}
