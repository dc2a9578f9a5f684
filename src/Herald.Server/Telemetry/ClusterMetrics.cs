using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Herald.Core.Telemetry;
using Herald.Server.Cluster;

namespace Herald.Server.Telemetry;

/// <summary>Whether this node leads (runs expiry, retention and callbacks for the cluster): read when scraped.</summary>
public static class ClusterMetrics
{
    private static readonly ConcurrentDictionary<Leadership, byte> s_nodes = new();

    private static readonly ObservableGauge<int> s_leader = HeraldTelemetry.Meter.CreateObservableGauge(
        "herald.cluster.leader", () => s_nodes.Keys.Select(l => new Measurement<int>(l.IsLeader ? 1 : 0)), "{node}",
        "1 while this node leads (always, on SQLite), else 0");

    public static void Track(Leadership leadership) => s_nodes.TryAdd(leadership, 0);

    public static void Untrack(Leadership leadership) => s_nodes.TryRemove(leadership, out _);
}
