using Herald.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Herald.Server.Hosting;

/// <summary>
/// What an operator needs from the first lines of the log: which migrations ran, and one line naming the store, the
/// cluster mode, the data directory and the listeners (docs/operations.md, "Start-up log"). Never a password.
/// </summary>
public static partial class StartupLog
{
    private const string Category = "Herald.Startup";

    internal static void Migrations(WebApplication app, MigrationReport report)
    {
        var log = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(Category);
        foreach (var name in report.Applied)
            LogApplied(log, name);
        if (report.Backfilled.Count > 0)
            LogBackfilled(log, string.Join(", ", report.Backfilled));
        LogSchema(log, report.AlreadyApplied.Count + report.Applied.Count, report.Applied.Count);
    }

    /// <summary>Writes the summary line once Kestrel has bound its listeners (a port 0 is known only then).</summary>
    internal static void OnStarted(WebApplication app) => app.Lifetime.ApplicationStarted.Register(() =>
    {
        var options = app.Services.GetRequiredService<IOptions<HeraldOptions>>().Value;
        var listeners = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        LogStarted(app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(Category),
            app.Services.GetRequiredService<Database>().Describe(),
            ClusterMode(options.Cluster.NatsUrl),
            Path.GetFullPath(options.DataDirectory),
            listeners.Count == 0 ? "(none)" : string.Join(", ", listeners));
    });

    /// <summary>"single node", or the NATS server(s) without any user:password@ the URLs carry.</summary>
    public static string ClusterMode(string? natsUrl)
    {
        if (string.IsNullOrWhiteSpace(natsUrl))
            return "single node";
        var servers = natsUrl.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(url =>
            Uri.TryCreate(url, UriKind.Absolute, out var uri) ? $"{uri.Scheme}://{uri.Host}{(uri.IsDefaultPort || uri.Port < 0 ? "" : $":{uri.Port}")}" : "(unparsable URL)");
        return "NATS " + string.Join(", ", servers);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Herald started: store {Store}; cluster {Cluster}; data directory {DataDirectory}; listening on {Listeners}")]
    private static partial void LogStarted(ILogger log, string store, string cluster, string dataDirectory, string listeners);

    [LoggerMessage(Level = LogLevel.Information, Message = "Applied migration {Migration}")]
    private static partial void LogApplied(ILogger log, string migration);

    [LoggerMessage(Level = LogLevel.Information, Message = "Recorded checksums of migrations applied before checksums were kept: {Migrations}")]
    private static partial void LogBackfilled(ILogger log, string migrations);

    [LoggerMessage(Level = LogLevel.Information, Message = "Schema up to date: {Total} migrations, {Applied} applied by this start, every recorded checksum matches")]
    private static partial void LogSchema(ILogger log, int total, int applied);
}
