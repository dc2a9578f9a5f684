using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.Hosting;

namespace Herald.Server.Cluster;

/// <summary>
/// Which nodes are alive, from heartbeats over NATS: every node publishes one each second, and a node not heard from
/// for <see cref="Timeout"/> counts as gone. A node hearing a stranger answers at once, so a node that just started
/// knows the others within a NATS round trip rather than a heartbeat period. Without NATS (one node) the count is 1.
/// Used to split cluster-wide budgets (the send rate) and work (callback buckets) between the nodes. A heartbeat names
/// the database its node uses (a hash of host, port and database name), so clusters sharing one NATS server, or test
/// runs, do not count each other: the nodes of one cluster must name their database alike.
/// </summary>
public sealed class ClusterMembers(ClusterBus cluster, Storage.Database database) : BackgroundService
{
    private readonly string _clusterKey = Convert.ToHexString(
        System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(database.Describe())))[..12];
    public static readonly TimeSpan Heartbeat = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(3);
    private readonly ConcurrentDictionary<string, long> _lastHeard = new(); // node id → Stopwatch timestamp

    /// <summary>This node and every other node heard from within <see cref="Timeout"/>; at least 1.</summary>
    public int LiveNodes
    {
        get
        {
            var live = 1;
            foreach (var (node, heard) in _lastHeard)
            {
                if (Stopwatch.GetElapsedTime(heard) < Timeout)
                    live++;
                else
                    _lastHeard.TryRemove(node, out _);
            }
            return live;
        }
    }

    /// <summary>Another node's heartbeat (the listener skips this node's own).</summary>
    public void Heard(string nodeId, string clusterKey)
    {
        if (clusterKey != _clusterKey)
            return; // another cluster on the same bus
        var stranger = !_lastHeard.ContainsKey(nodeId);
        _lastHeard[nodeId] = Stopwatch.GetTimestamp();
        if (stranger)
            cluster.Publish(ClusterBus.Alive, _clusterKey);
    }

    protected override async Task ExecuteAsync(CancellationToken stop)
    {
        if (!cluster.Clustered)
            return;
        using var timer = new PeriodicTimer(Heartbeat);
        do
            cluster.Publish(ClusterBus.Alive, _clusterKey);
        while (await timer.WaitForNextTickAsync(stop).ConfigureAwait(false) is true);
    }
}
