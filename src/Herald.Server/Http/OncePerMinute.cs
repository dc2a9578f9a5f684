using System.Collections.Concurrent;

namespace Herald.Server.Http;

/// <summary>
/// Says whether something keyed (a credential's use, a refused sign-in) is due to be written: at most once a minute
/// per key on this node, so a request never costs a database write of its own.
/// </summary>
public sealed class OncePerMinute(TimeProvider time)
{
    public static readonly TimeSpan Resolution = TimeSpan.FromMinutes(1);
    private const int MaxEntries = 100_000; // a flood of keys only costs extra writes
    private readonly ConcurrentDictionary<string, DateTimeOffset> _written = new();

    /// <returns>the time to write, or null when this key was written less than a minute ago</returns>
    public DateTimeOffset? Due(string key)
    {
        var now = time.GetUtcNow();
        if (_written.TryGetValue(key, out var last) && now - last < Resolution)
            return null;
        if (_written.Count >= MaxEntries)
            _written.Clear();
        _written[key] = now;
        return now;
    }

    /// <summary>The write failed: the next one for this key is due at once.</summary>
    public void Forget(string key) => _written.TryRemove(key, out _);
}
