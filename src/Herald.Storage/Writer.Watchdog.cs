using System.Diagnostics;

namespace Herald.Storage;

/// <summary>The writer's watchdog: what waits for a database that stopped answering is answered instead of held.</summary>
public sealed partial class Writer
{
    /// <summary>
    /// Threads of its own, not the pool's: when the database freezes, requests block pool threads on reads, and a
    /// pool-driven watchdog was measured taking 4.5 s instead of 3 to notice.
    /// </summary>
    private void StartWatchdog()
    {
        var thread = new Thread(() =>
        {
            while (!_disposed)
            {
                Thread.Sleep(s_watchEvery);
                Watch();
            }
        }) { IsBackground = true, Name = "Herald writer watchdog" };
        thread.Start();
    }

    private static StoreUnavailableException Unanswered() =>
        new("The database does not answer; nothing of this write was stored.") { WithoutTrying = true };

    /// <summary>
    /// The watchdog. A database call that takes more than a second is unusual (a batch takes milliseconds), so the
    /// watchdog then asks the database for <c>SELECT 1</c> on another connection: a database that answers is only
    /// slow (a big batch, a busy disk) and the writer waits for it; one that does not answer within the patience is
    /// taken as gone, and what waits for the writer fails at once instead of hanging.
    /// </summary>
    private void Watch()
    {
        var since = Volatile.Read(ref _busySince);
        if (since == 0)
        {
            // The loop got out between this watchdog's look and its Stall: nothing is stuck, so take writes again
            // (they would otherwise be refused with no batch left to run whose end clears it).
            if (_stalled)
            {
                _stalled = false;
                LogUnstalled();
            }
            return;
        }
        if (_stalled)
        {
            var error = Unanswered();
            while (_queue.Reader.TryRead(out var work))
                work.Fail(error);
            return;
        }
        var busy = Stopwatch.GetElapsedTime(since);
        if (busy < s_checkAfter)
            return;
        if (Interlocked.CompareExchange(ref _pinging, 1, 0) == 0)
            new Thread(Ping) { IsBackground = true, Name = "Herald writer watchdog ping" }.Start();
        // Stalled: busy past the patience, and no SELECT 1 answered for as long as a ping may take.
        var unanswered = Stopwatch.GetElapsedTime(Math.Max(Volatile.Read(ref _answeredAt), since));
        if (busy > _database.Patience && unanswered > _database.Patience - s_checkAfter && Volatile.Read(ref _busySince) == since)
            Stall(new StoreUnavailableException($"The database did not answer SELECT 1 for {unanswered.TotalSeconds:0.#} s."));
    }

    private void Ping()
    {
        try
        {
            using var lease = _database.Read();
            Database.Ping(lease.Connection);
            Volatile.Write(ref _answeredAt, Stopwatch.GetTimestamp());
        }
        catch (Exception)
        {
            // not answered: Watch sees no new answer
        }
        finally
        {
            Volatile.Write(ref _pinging, 0);
        }
    }

    private void Stall(Exception cause)
    {
        _stalled = true;
        LogStalled(Stopwatch.GetElapsedTime(Volatile.Read(ref _busySince)).TotalSeconds);
        _health?.Failed(cause);
        // The callers of the call under way learn that its outcome is unknown rather than wait for a database that
        // may never answer; should it commit later, its Complete finds their tasks already ended.
        var unknown = new StoreUnavailableException(
            "The database stopped answering while this write was being committed; it may still be stored.", cause) { OutcomeUnknown = true };
        foreach (var work in Volatile.Read(ref _running) ?? [])
            work.Fail(unknown);
        var error = Unanswered();
        while (_queue.Reader.TryRead(out var work))
            work.Fail(error);
    }

    private void Busy(IWork[]? running = null)
    {
        Volatile.Write(ref _running, running);
        Volatile.Write(ref _busySince, Stopwatch.GetTimestamp());
    }

    private void Idle()
    {
        Volatile.Write(ref _busySince, 0);
        Volatile.Write(ref _running, null);
        if (_stalled)
        {
            _stalled = false;
            LogUnstalled();
        }
    }
}
