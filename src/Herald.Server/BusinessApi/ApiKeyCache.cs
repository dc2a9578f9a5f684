using Herald.Server.Cluster;
using System.Collections.Concurrent;
using Herald.Core.Network;
using Herald.Storage;

namespace Herald.Server.BusinessApi;

/// <summary>
/// API key → the key's record and business (with its parsed allowlist), so a request does not read the database to
/// authenticate. Any operator change to businesses or keys clears the cache at once on this node and, through the
/// cluster bus, on the others. An entry is fresh for 5 seconds; after that the request that finds it still uses it
/// and starts one refresh in the background, so a key in use is never looked up on a request's path (a read started
/// as PostgreSQL froze would hold the request for Npgsql's timeout and cancellation, about 7 s). An entry unrefreshed
/// for a minute (the database has not answered) is dropped, and the next request reads the key itself. So without a
/// bus, or when a hint is lost, a change reaches this node within 5 seconds and one refresh.
/// </summary>
public sealed class ApiKeyCache(BusinessStore businesses, ClusterBus cluster, TimeProvider time, ILogger<ApiKeyCache> log)
{
    private static readonly TimeSpan s_fresh = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan s_usable = TimeSpan.FromMinutes(1);
    private const int MaxEntries = 100_000; // bounds memory against floods of random keys
    private readonly ConcurrentDictionary<string, Entry> _entries = new();
    private long _generation; // moves on every Clear: a lookup that began before it must not store what it read

    public (ApiKey? Key, IpAllowlist Allowlist) Find(byte[] keyHash)
    {
        var now = time.GetUtcNow();
        var id = Convert.ToHexString(keyHash);
        if (_entries.TryGetValue(id, out var entry) && now - entry.ReadAt < s_usable)
        {
            if (now - entry.ReadAt >= s_fresh && Interlocked.Exchange(ref entry.Refreshing, 1) == 0)
                _ = Task.Run(() => Refresh(id, keyHash, entry));
            return (entry.Key, entry.Allowlist);
        }
        var fresh = Load(id, keyHash);
        return (fresh.Key, fresh.Allowlist);
    }

    /// <summary>Businesses or keys changed: forget everything, here and on the other nodes.</summary>
    public void Clear()
    {
        ClearHere();
        cluster.Publish(ClusterBus.Changed, "keys");
    }

    public void ClearHere()
    {
        Interlocked.Increment(ref _generation);
        _entries.Clear();
    }

    private Entry Load(string id, byte[] keyHash)
    {
        var generation = Interlocked.Read(ref _generation);
        var readAt = time.GetUtcNow();
        var key = businesses.FindByKeyHash(keyHash);
        var entry = new Entry(key, key is null ? IpAllowlist.Empty : IpAllowlist.Parse(key.Business.AllowedIps, out _), readAt);
        if (_entries.Count >= MaxEntries)
            _entries.Clear();
        // Cleared while reading: what was read may be from before the change, so the next request reads again. The
        // second look catches a clear between the first and the store.
        if (Interlocked.Read(ref _generation) == generation)
        {
            _entries[id] = entry;
            if (Interlocked.Read(ref _generation) != generation)
                _entries.TryRemove(KeyValuePair.Create(id, entry));
        }
        return entry;
    }

    private void Refresh(string id, byte[] keyHash, Entry stale)
    {
        try
        {
            Load(id, keyHash);
        }
        catch (Exception ex)
        {
            // The database is away (StoreHealth logs the incident): keep using the entry, and try again on a later request.
            log.LogDebug(ex, "Refreshing a cached API key failed");
            Volatile.Write(ref stale.Refreshing, 0);
        }
    }

    private sealed class Entry(ApiKey? key, IpAllowlist allowlist, DateTimeOffset readAt)
    {
        public ApiKey? Key { get; } = key;
        public IpAllowlist Allowlist { get; } = allowlist;
        public DateTimeOffset ReadAt { get; } = readAt;
        public int Refreshing; // 1 while a refresh of this entry runs
    }
}
