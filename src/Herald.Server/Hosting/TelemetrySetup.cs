using Herald.Core.Telemetry;
using Herald.Server.Http;
using Herald.Server.OpenApi;
using Herald.Server.Telemetry;
using Herald.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Herald.Server.Hosting;

/// <summary>
/// Metrics and traces (docs/operations.md). Herald records on its own <c>Meter</c>/<c>ActivitySource</c>
/// (<see cref="HeraldTelemetry"/>); here the OpenTelemetry SDK listens to them and to ASP.NET Core, Kestrel, the
/// runtime, HttpClient and Npgsql. Metrics are served at <c>/metrics</c> to the operator token; traces go out over
/// OTLP when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set, and otherwise nobody listens to the spans at all.
/// </summary>
public static class TelemetrySetup
{
    public const string MetricsPath = "/metrics";

    public static void AddHeraldTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<MetricsOptions>(configuration.GetSection(MetricsOptions.Section));
        services.AddSingleton<OutboxBacklog>();
        services.AddSingleton<MetricsAccess>();
        services.AddHostedService<OutboxGauges>();
        DatabaseErrors.Watch();

        var otel = services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService("herald", serviceVersion: typeof(TelemetrySetup).Assembly.GetName().Version?.ToString()))
            .WithMetrics(metrics => metrics
                .AddMeter(HeraldTelemetry.Name)
                .AddAspNetCoreInstrumentation() // http.server.*, kestrel.*, aspnetcore.* (routing, diagnostics, rate limiting)
                .AddRuntimeInstrumentation()    // dotnet.gc.*, dotnet.thread_pool.*, dotnet.process.*
                .AddMeter("System.Net.Http")    // http.client.* of the callback and sign-in hook POSTs
                .AddNpgsqlInstrumentation()     // db.client.* of the PostgreSQL pool (nothing on SQLite)
                .AddPrometheusExporter());

        if (TracingWanted(configuration))
        {
            // The OTLP exporter reads the standard OTEL_EXPORTER_OTLP_* variables (endpoint, protocol, headers) itself.
            otel.WithTracing(tracing => tracing
                .AddSource(HeraldTelemetry.Name)
                .AddAspNetCoreInstrumentation(o => o.Filter = c => !c.Request.Path.StartsWithSegments("/health") && c.Request.Path != MetricsPath)
                .AddSource("System.Net.Http")
                .AddNpgsql()
                .AddOtlpExporter());
        }
    }

    private static bool TracingWanted(IConfiguration configuration) =>
        !string.IsNullOrWhiteSpace(configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]) ||
        !string.IsNullOrWhiteSpace(configuration["OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"]);

    /// <summary>
    /// <c>/metrics</c> on the main port, for the operator token only (<see cref="MetricsAccess"/>): the series name
    /// businesses (their ids label the backlog), so they are not for anyone who can reach the port; and the token
    /// travels over the same TLS as the admin API (docs/operations.md says why not a separate listener).
    /// </summary>
    public static void MapHeraldMetrics(this WebApplication app) =>
        app.MapPrometheusScrapingEndpoint(MetricsPath, meterProvider: null, configureBranchedPipeline: branch => branch.Use(async (context, next) =>
        {
            var token = BearerToken.From(context.Request);
            if (!await context.RequestServices.GetRequiredService<MetricsAccess>().Admits(token))
            {
                await BearerChallenge.Write(context, token is not null, token is null
                    ? "Send the operator token as 'Authorization: Bearer <token>' to read the metrics."
                    : "The operator token is unknown or revoked.");
                return;
            }
            await next(context);
        }), optionsName: null)
            .WithName("metrics").WithTags(OpenApiSetup.ServerTag).DocumentCredential(Credential.OperatorToken)
            .WithSummary("Prometheus metrics (docs/operations.md lists them)")
            .WithDescription("The Prometheus text format. The series name businesses, so they are for the operator token only.");
}
