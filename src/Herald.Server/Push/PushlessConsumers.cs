using System.Collections.Concurrent;
using System.Diagnostics;
using Herald.Server.Cluster;

namespace Herald.Server.Push;

/// <summary>
/// Consumers found to have no push subscription, remembered for <see cref="Lifetime"/> so that a stream of messages
/// to connected devices does not read the devices table once per message only to find nothing to push (that read was
/// the most frequent database read on the delivery path). Only the absence is remembered: a signed-out or dropped
/// subscription is never pushed to from memory. A new subscription forgets the consumer here and, over the cluster
/// bus, on the other nodes; should that hint be lost, a push is skipped for at most <see cref="Lifetime"/>, which
/// delays a message but never loses it (a push is only a hint, docs/protocol.md).
/// </summary>
public sealed class PushlessConsumers(ClusterBus cluster)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(2);
    private const int MaxEntries = 100_000; // bounds memory; a full table starts again empty
    private readonly ConcurrentDictionary<string, long> _until = new();

    public bool Known(string consumerId) =>
        _until.TryGetValue(consumerId, out var until) && Stopwatch.GetTimestamp() < until;

    public void Remember(string consumerId)
    {
        if (_until.Count >= MaxEntries)
            _until.Clear();
        _until[consumerId] = Stopwatch.GetTimestamp() + (long)(Lifetime.TotalSeconds * Stopwatch.Frequency);
    }

    /// <summary>The consumer has a new subscription: forget them here and on the other nodes.</summary>
    public void Subscribed(string consumerId)
    {
        ForgetHere(consumerId);
        cluster.Publish(ClusterBus.Changed, "push " + consumerId);
    }

    public void ForgetHere(string consumerId) => _until.TryRemove(consumerId, out _);
}
