using System.Collections.Concurrent;
using Lib.Net.Http.WebPush.Authentication;

namespace Herald.Server.Push;

/// <summary>
/// Keeps each push service's VAPID JWT until shortly before it expires: one ECDSA signature per push service per
/// hours, not per push.
/// </summary>
internal sealed class VapidTokenCache(TimeProvider time) : IVapidTokenCache
{
    private static readonly TimeSpan s_margin = TimeSpan.FromMinutes(5);
    private readonly ConcurrentDictionary<string, (string Token, DateTimeOffset Expires)> _tokens = new();

    public void Put(string audience, DateTimeOffset expiration, string token) => _tokens[audience] = (token, expiration);

    public string? Get(string audience) =>
        _tokens.TryGetValue(audience, out var entry) && entry.Expires - s_margin > time.GetUtcNow() ? entry.Token : null;
}
