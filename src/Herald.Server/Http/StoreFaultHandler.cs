using Herald.Storage;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;

namespace Herald.Server.Http;

/// <summary>
/// A request that failed because the database did (unreachable, stopped, restarting, disk full) gets 503 with a
/// stable code and <c>Retry-After</c>, not 500 and a stack trace: the client did nothing wrong and trying again
/// later works. <see cref="StoreHealth"/> logs such a fault once per incident, not once per request.
/// </summary>
public sealed class StoreFaultHandler(StoreHealth health) : IExceptionHandler
{
    /// <summary>Seconds a client is asked to wait: about one probe and a reconnect.</summary>
    public const int RetryAfterSeconds = 2;
    /// <summary>Freeing disk space takes a person: ask for longer.</summary>
    public const int RetryAfterFullSeconds = 30;

    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancel)
    {
        var fault = health.Failed(exception);
        if (fault == StoreFault.None || context.Response.HasStarted)
            return false;
        var full = fault == StoreFault.Full;
        context.Response.Headers.RetryAfter = (full ? RetryAfterFullSeconds : RetryAfterSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var problem = full
            ? Problems.Create(503, "storage_full", "The server's storage is full.",
                "Nothing of this request was stored. Try again later; the operator has been alerted by the server's log.")
            : Problems.Create(503, "database_unavailable", "The database is unavailable.", Unknown(exception)
                ? "The database stopped answering while this request was being stored: it may have been stored. Try again later with the same Idempotency-Key, which returns the first answer if it was."
                : "The request could not be completed. Try again later; a send repeated with the same Idempotency-Key is never stored twice.");
        await problem.ExecuteAsync(context);
        return true;
    }

    private static bool Unknown(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
            if (e is StoreUnavailableException { OutcomeUnknown: true })
                return true;
        return false;
    }
}
