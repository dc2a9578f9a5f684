using System.Collections.Concurrent;
using Herald.Core.Accounts;
using Herald.Core.Security;
using Herald.Storage;

namespace Herald.Server.Telemetry;

/// <summary>
/// Who may read <c>/metrics</c>: an unexpired operator token whose role may read (not a reviewer's), checked against the store like the admin API. While the database
/// does not answer (within a second), tokens that passed before still do: an outage is when the metrics matter most,
/// and a scrape that failed for want of the database would hide it. A token the store says is gone is forgotten at once.
/// </summary>
public sealed class MetricsAccess(OperatorStore operators, TimeProvider time)
{
    private static readonly TimeSpan s_storeTimeout = TimeSpan.FromSeconds(1);
    private readonly ConcurrentDictionary<string, byte> _admitted = new(StringComparer.Ordinal);

    public async Task<bool> Admits(string? token)
    {
        if (token is null)
            return false;
        var hash = Secrets.Hash(token);
        var key = Convert.ToHexString(hash);
        bool known;
        try
        {
            known = await Task.Run(() => operators.FindToken(hash) is { } found && !found.ExpiredAt(time.GetUtcNow()) && OperatorRoles.Allows(found.Role, Capability.Read)).WaitAsync(s_storeTimeout);
        }
        catch (Exception)
        {
            return _admitted.ContainsKey(key);
        }
        if (known)
            _admitted.TryAdd(key, 0);
        else
            _admitted.TryRemove(key, out _);
        return known;
    }
}
