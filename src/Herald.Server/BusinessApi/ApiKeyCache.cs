using Herald.Server.Cluster;
using System.Collections.Concurrent;
using Herald.Core.Network;
using Herald.Storage;

namespace Herald.Server.BusinessApi;

/// <summary>
/// API key → the key's record and business (with its parsed allowlist), so a send does not read the database to authenticate. Entries
/// live 5 seconds; any operator change to businesses or keys clears the cache at once on this node and, through the
/// cluster bus, on the others (without a bus, or when a hint is lost, within 5 seconds).
/// </summary>
public sealed class ApiKeyCache(BusinessStore businesses, ClusterBus cluster, TimeProvider time)
{
    private static readonly TimeSpan s_lifetime = TimeSpan.FromSeconds(5);
    private const int MaxEntries = 100_000; // bounds memory against floods of random keys
    private readonly ConcurrentDictionary<string, Entry> _entries = new();

    public (ApiKey? Key, IpAllowlist Allowlist) Find(byte[] keyHash)
    {
        var now = time.GetUtcNow();
        var id = Convert.ToHexString(keyHash);
        if (_entries.TryGetValue(id, out var entry) && entry.Until > now)
            return (entry.Key, entry.Allowlist);
        var key = businesses.FindByKeyHash(keyHash);
        var allowlist = key is null ? IpAllowlist.Empty : IpAllowlist.Parse(key.Business.AllowedIps, out _);
        if (_entries.Count >= MaxEntries)
            _entries.Clear();
        _entries[id] = new Entry(key, allowlist, now + s_lifetime);
        return (key, allowlist);
    }

    /// <summary>Businesses or keys changed: forget everything, here and on the other nodes.</summary>
    public void Clear()
    {
        ClearHere();
        cluster.Publish(ClusterBus.Changed, "keys");
    }

    public void ClearHere() => _entries.Clear();

    private sealed record Entry(ApiKey? Key, IpAllowlist Allowlist, DateTimeOffset Until);
}
