using Herald.Server.Cluster;
using Herald.Storage;

namespace Herald.Server.Delivery;

/// <summary>
/// Country policies for the send path, read from the store at most every 5 seconds (a handful of rows, consulted
/// for every message). A policy set applies at once on every node (through the cluster bus; at worst within 5 seconds).
/// </summary>
public sealed class CountryPolicies(PolicyStore store, ClusterBus cluster, TimeProvider time)
{
    private static readonly TimeSpan s_lifetime = TimeSpan.FromSeconds(5);
    private static readonly Snapshot s_empty = new([], DateTimeOffset.MinValue);
    private volatile Snapshot _cache = s_empty; // swapped whole, so readers never see half of an update

    public bool TransactionalRequiresTemplate(string phone)
    {
        var now = time.GetUtcNow();
        var cache = _cache;
        if (cache.Until <= now)
            _cache = cache = new Snapshot(store.List(), now + s_lifetime);
        var code = Core.Templates.CallingCodes.Match(phone, cache.Policies.Select(p => p.CallingCode));
        return cache.Policies.Any(p => p.CallingCode == code && p.TransactionalRequiresTemplate);
    }

    /// <summary>A policy changed: read them again, here and on the other nodes.</summary>
    public void Invalidate()
    {
        InvalidateHere();
        cluster.Publish(ClusterBus.Changed, "policies");
    }

    public void InvalidateHere() => _cache = s_empty;

    private sealed record Snapshot(List<CountryPolicy> Policies, DateTimeOffset Until);
}
