using System.Text.Json;
using Herald.Server.Health;
using Herald.Server.OpenApi;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Herald.Server.Hosting;

/// <summary>
/// <c>/health/live</c>: the process answers and the writer loop runs (restart it when not).
/// <c>/health/ready</c>: it can do its work now: the database answers a query, the writer is not stuck, NATS is
/// connected (cluster), the data directory has free space (SQLite); 503 otherwise (send it no traffic).
/// <c>/healthz</c> is kept as an alias of ready for existing probes. All are public, over HTTP too, and say only
/// which check failed and why in a few words.
/// </summary>
public static class HealthSetup
{
    private const string Live = "live";
    private const string Ready = "ready";

    public static void AddHeraldHealth(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<HealthOptions>(configuration.GetSection(HealthOptions.Section));
        services.AddHealthChecks()
            .AddCheck<WriterLoopCheck>("writer_loop", tags: [Live, Ready])
            .AddCheck<DatabaseCheck>("database", tags: [Ready])
            .AddCheck<WriterStallCheck>("writer", tags: [Ready])
            .AddCheck<NatsCheck>("nats", tags: [Ready])
            .AddCheck<DiskSpaceCheck>("disk", tags: [Ready]);
    }

    private const string HealthAnswer = "`{\"status\":\"healthy|unhealthy\",\"checks\":{…}}`, 200 when healthy, 503 when not; no credential, for probes.";

    public static void MapHeraldHealth(this WebApplication app)
    {
        app.MapHealthChecks("/health/live", Options(Live)).WithName("liveness").WithTags(OpenApiSetup.ServerTag)
            .WithSummary("Live: the process and its writer loop run (503 when not)").WithDescription(HealthAnswer);
        app.MapHealthChecks("/health/ready", Options(Ready)).WithName("readiness").WithTags(OpenApiSetup.ServerTag)
            .WithSummary("Ready: the database answers, the writer is not stalled, NATS is connected, disk space is left (503 when not)").WithDescription(HealthAnswer);
        app.MapHealthChecks("/healthz", Options(Ready)).WithName("health").WithTags(OpenApiSetup.ServerTag)
            .WithSummary("The same as /health/ready (kept for existing probes)").WithDescription(HealthAnswer);
    }

    private static HealthCheckOptions Options(string tag) => new()
    {
        Predicate = check => check.Tags.Contains(tag),
        ResponseWriter = Write,
    };

    /// <summary><c>{"status":"healthy|unhealthy","checks":{"database":{"status","description"}}}</c>, never an exception's text.</summary>
    private static async Task Write(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json";
        context.Response.Headers.CacheControl = "no-store";
        await using var json = new Utf8JsonWriter(context.Response.Body);
        json.WriteStartObject();
        json.WriteString("status", Name(report.Status));
        json.WriteStartObject("checks");
        foreach (var (name, entry) in report.Entries)
        {
            json.WriteStartObject(name);
            json.WriteString("status", Name(entry.Status));
            json.WriteString("description", entry.Exception is null ? entry.Description : "the check itself failed");
            json.WriteEndObject();
        }
        json.WriteEndObject();
        json.WriteEndObject();
    }

    private static string Name(HealthStatus status) => status.ToString().ToLowerInvariant();
}
