using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Herald.Core.Telemetry;
using Herald.Server.Cluster;
using Herald.Server.Hosting;
using Herald.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Herald.Server.Telemetry;

/// <summary>
/// The callback backlog per business (<c>herald.outbox.backlog</c>, <c>herald.outbox.oldest.age</c>). Read from the
/// database when a scrape asks, at most once per <see cref="MetricsOptions.OutboxRefreshSeconds"/> whatever the
/// number of scrapers, and only by the leader: the outbox is shared, so one node reports it for the cluster.
/// </summary>
public sealed partial class OutboxGauges(OutboxBacklog backlog, Leadership leadership, IOptions<MetricsOptions> options, TimeProvider time,
    ILogger<OutboxGauges> log) : IHostedService
{
    private static readonly ConcurrentDictionary<OutboxGauges, byte> s_nodes = new();

    private static readonly ObservableGauge<long> s_backlog = HeraldTelemetry.Meter.CreateObservableGauge(
        "herald.outbox.backlog", () => s_nodes.Keys.SelectMany(n => n.Current().Select(b => new Measurement<long>(b.Pending, Tag(b.BusinessId)))),
        "{event}", "Callback events waiting to be sent, per business (reported by the leader)");

    private static readonly ObservableGauge<double> s_oldestAge = HeraldTelemetry.Meter.CreateObservableGauge(
        "herald.outbox.oldest.age", () => s_nodes.Keys.SelectMany(n => n.Current().Select(b => new Measurement<double>(b.AgeSeconds, Tag(b.BusinessId)))),
        "s", "Age of the oldest callback event waiting, per business; 0 when none waits (reported by the leader)");

    private readonly Lock _lock = new();
    private List<Row> _rows = [];
    private long? _readAt; // Stopwatch timestamp of the last read

    public Task StartAsync(CancellationToken cancellationToken)
    {
        s_nodes.TryAdd(this, 0);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        s_nodes.TryRemove(this, out _);
        return Task.CompletedTask;
    }

    private List<Row> Current()
    {
        if (!leadership.IsLeader)
            return [];
        lock (_lock)
        {
            var now = System.Diagnostics.Stopwatch.GetTimestamp();
            if (_readAt is { } readAt && System.Diagnostics.Stopwatch.GetElapsedTime(readAt, now).TotalSeconds < options.Value.OutboxRefreshSeconds)
                return _rows;
            _readAt = now;
            try
            {
                var wallClock = time.GetUtcNow();
                _rows = [.. backlog.Read().Select(b => new Row(b.BusinessId, b.Pending,
                    b.Oldest is { } oldest ? Math.Max(0, (wallClock - oldest).TotalSeconds) : 0))];
            }
            catch (Exception ex)
            {
                LogReadFailed(ex); // the database is down: report nothing rather than stale figures
                _rows = [];
            }
            return _rows;
        }
    }

    private static KeyValuePair<string, object?> Tag(string businessId) => new("business_id", businessId);

    private sealed record Row(string BusinessId, long Pending, double AgeSeconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not read the callback backlog for the metrics")]
    private partial void LogReadFailed(Exception ex);
}
