using System.Collections.Concurrent;
using Herald.Server.Cluster;

namespace Herald.Server.BusinessApi;

/// <summary>
/// Wakes the inbox streams of a business when a reply for its inbox is stored, here or (over NATS) on another node.
/// A lost wake-up only delays: every stream also looks again on its own every few seconds.
/// </summary>
public sealed class InboxSignal(ClusterBus cluster)
{
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _waiting = new();

    public void Wake(string businessId)
    {
        WakeHere(businessId);
        cluster.Publish(ClusterBus.Inbox, businessId);
    }

    public void WakeHere(string businessId)
    {
        if (_waiting.TryRemove(businessId, out var signal))
            signal.TrySetResult();
    }

    /// <summary>Completes at the business's next wake-up. Take it before reading, so a reply stored in between is not missed.</summary>
    public Task Next(string businessId) =>
        _waiting.GetOrAdd(businessId, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;
}
