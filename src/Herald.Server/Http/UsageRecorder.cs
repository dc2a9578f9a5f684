using Microsoft.Extensions.Logging;

namespace Herald.Server.Http;

/// <summary>
/// A credential's "last used" time without a database write per request: a use is written (through the writer, not
/// awaited by the request) only when this node has not written one for that credential in the last minute. So the
/// time shown is at most a minute behind.
/// </summary>
public abstract class UsageRecorder(TimeProvider time, ILogger log)
{
    private readonly OncePerMinute _due = new(time);

    public void Used(string id)
    {
        if (_due.Due(id) is { } now)
            _ = Record(id, now);
    }

    /// <summary>Stores that the credential was used at <paramref name="at"/>.</summary>
    protected abstract Task Write(string id, DateTimeOffset at);

    private async Task Record(string id, DateTimeOffset at)
    {
        try
        {
            await Write(id, at);
        }
        catch (Exception e)
        {
            // Losing a "last used" time is harmless; the next use writes again.
            _due.Forget(id);
            log.LogDebug(e, "Could not record that {Id} was used", id);
        }
    }
}
