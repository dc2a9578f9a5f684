using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Herald.Core.Telemetry;
using Herald.Server.Cluster;

namespace Herald.Server.Telemetry;

/// <summary>Whether this node leads (runs expiry and retention for the cluster) and how many callback buckets it sends: read when scraped.</summary>
public static class ClusterMetrics
{
    private static readonly ConcurrentDictionary<Leadership, byte> s_nodes = new();

    private static readonly ObservableGauge<int> s_leader = HeraldTelemetry.Meter.CreateObservableGauge(
        "herald.cluster.leader", () => s_nodes.Keys.Select(l => new Measurement<int>(l.IsLeader ? 1 : 0)), "{node}",
        "1 while this node leads (always, on SQLite), else 0");

    private static readonly ConcurrentDictionary<Callbacks.CallbackBuckets, byte> s_buckets = new();

    private static readonly ObservableGauge<int> s_callbackBuckets = HeraldTelemetry.Meter.CreateObservableGauge(
        "herald.cluster.callback_buckets", () => s_buckets.Keys.Select(b => new Measurement<int>(b.Held)), "{bucket}",
        "Callback buckets this node sends (all 64 on SQLite); the nodes of a cluster share them");

    public static void Track(Leadership leadership) => s_nodes.TryAdd(leadership, 0);

    public static void Untrack(Leadership leadership) => s_nodes.TryRemove(leadership, out _);

    public static void Track(Callbacks.CallbackBuckets buckets) => s_buckets.TryAdd(buckets, 0);

    public static void Untrack(Callbacks.CallbackBuckets buckets) => s_buckets.TryRemove(buckets, out _);
}
