using Herald.Server.Cluster;

namespace Herald.Server.Callbacks;

/// <summary>
/// Wakes the callback dispatcher when new events are written, so they go out without waiting for a poll. In a
/// cluster the dispatcher runs on the leading node only, so a wake-up also goes to the other nodes.
/// </summary>
public sealed class CallbackSignal(ClusterBus cluster)
{
    private readonly SemaphoreSlim _signal = new(0, 1);

    public void Wake()
    {
        WakeHere();
        cluster.Publish(ClusterBus.CallbacksDue);
    }

    /// <summary>Wakes this node's dispatcher only (a hint from another node, or the dispatcher itself).</summary>
    public void WakeHere()
    {
        if (_signal.CurrentCount == 0)
        {
            try { _signal.Release(); }
            catch (SemaphoreFullException) { } // another thread woke it first: one wake-up is enough
        }
    }

    public Task<bool> Wait(TimeSpan timeout, CancellationToken cancel) => _signal.WaitAsync(timeout, cancel);
}
