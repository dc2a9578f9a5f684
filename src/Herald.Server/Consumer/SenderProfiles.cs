using Herald.Server.Cluster;
using System.Collections.Concurrent;
using Herald.Server.BusinessApi;
using Herald.Storage;

namespace Herald.Server.Consumer;

/// <summary>
/// Sender profiles for message frames, cached so a burst from one sender does not read its row per message.
/// Entries live 30 s; an operator edit drops the entry at once on every node.
/// </summary>
public sealed class SenderProfiles(BusinessStore businesses, ClusterBus cluster, TimeProvider time)
{
    private static readonly TimeSpan s_lifetime = TimeSpan.FromSeconds(30);
    private readonly ConcurrentDictionary<string, (SenderProfile Profile, DateTimeOffset Until)> _cache = new();

    public SenderProfile? Get(string businessId)
    {
        var now = time.GetUtcNow();
        if (_cache.TryGetValue(businessId, out var entry) && entry.Until > now)
            return entry.Profile;
        var business = businesses.Get(businessId);
        if (business is null)
            return null;
        var profile = SenderProfile.Of(business);
        _cache[businessId] = (profile, now + s_lifetime);
        return profile;
    }

    /// <summary>The business's profile changed: drop it here and on the other nodes.</summary>
    public void Invalidate(string businessId)
    {
        InvalidateHere(businessId);
        cluster.Publish(ClusterBus.Changed, "business " + businessId);
    }

    public void InvalidateHere(string businessId) => _cache.TryRemove(businessId, out _);
}
