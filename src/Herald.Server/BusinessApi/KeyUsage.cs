using System.Collections.Concurrent;
using Herald.Storage;
using Microsoft.Extensions.Logging;

namespace Herald.Server.BusinessApi;

/// <summary>
/// A key's "last used" time without a database write per request: a use is written (through the writer, not
/// awaited by the request) only when this node has not written one for that key in the last minute. So the time
/// shown is at most a minute behind.
/// </summary>
public sealed class KeyUsage(BusinessStore businesses, TimeProvider time, ILogger<KeyUsage> log)
{
    public static readonly TimeSpan Resolution = TimeSpan.FromMinutes(1);
    private const int MaxEntries = 100_000; // one per live key; a flood of keys only costs extra writes
    private readonly ConcurrentDictionary<string, DateTimeOffset> _written = new();

    public void Used(string keyId)
    {
        var now = time.GetUtcNow();
        if (_written.TryGetValue(keyId, out var last) && now - last < Resolution)
            return;
        if (_written.Count >= MaxEntries)
            _written.Clear();
        _written[keyId] = now;
        _ = Record(keyId, now);
    }

    private async Task Record(string keyId, DateTimeOffset at)
    {
        try
        {
            await businesses.RecordKeyUsed(keyId, at);
        }
        catch (Exception e)
        {
            // Losing a "last used" time is harmless; the next use after a minute writes again.
            _written.TryRemove(keyId, out _);
            log.LogDebug(e, "Could not record that key {KeyId} was used", keyId);
        }
    }
}
