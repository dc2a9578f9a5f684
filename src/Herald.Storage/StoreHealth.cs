using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Herald.Storage;

/// <summary>
/// Whether the database is answering, as this process has seen it. A failure the database can name
/// (<see cref="Database.Classify"/>) starts an incident: it is logged once, not once per request; idle connections are
/// dropped (after a restart they are all broken); and, while unreachable, a probe runs a query every second. The
/// first success (a commit, or the probe) a second or more after the incident's last failure ends it, logs how long
/// it lasted and how many failures it saw, and raises <see cref="Recovered"/>, so whoever held work back because of
/// it (devices whose pushes could not be read) catches up at once instead of waiting for the next message.
/// </summary>
public sealed partial class StoreHealth(Database database, TimeProvider time, ILogger<StoreHealth>? log = null)
{
    private static readonly TimeSpan s_probeEvery = TimeSpan.FromSeconds(1);
    // A full disk lets some commits through (SQLite reuses WAL pages already on disk) while others fail: an incident
    // ends only at a success that comes this long after its last failure, or it would be logged as ten incidents.
    private static readonly TimeSpan s_quiet = TimeSpan.FromSeconds(1);
    private readonly ILogger _log = log ?? NullLogger<StoreHealth>.Instance;
    private readonly Lock _lock = new();
    private volatile int _fault; // a StoreFault; int for volatile
    private DateTimeOffset _since;
    private DateTimeOffset _lastFailure;
    private long _failures; // in the incident: a refused request can count twice (the writer saw it, and so did the request)

    /// <summary>The fault of the incident in progress; <see cref="StoreFault.None"/> while the database answers.</summary>
    public StoreFault Current => (StoreFault)_fault;

    /// <summary>Raised (on a pool thread) when an incident ends.</summary>
    public event Action? Recovered;

    /// <summary>What kind of failure this is, without counting it (<see cref="Failed"/> counts).</summary>
    public StoreFault Classify(Exception ex) => ex is StoreUnavailableException ? StoreFault.Unavailable : database.Classify(ex);

    /// <summary>Classifies a failure; a database fault is counted and, if it starts an incident, logged and probed.</summary>
    public StoreFault Failed(Exception ex)
    {
        var fault = Classify(ex);
        if (fault == StoreFault.None)
            return fault;
        StoreFault previous;
        lock (_lock)
        {
            _failures++;
            if (ex is not StoreUnavailableException { WithoutTrying: true })
                _lastFailure = time.GetUtcNow();
            previous = (StoreFault)_fault;
            if (previous == StoreFault.None)
                _since = time.GetUtcNow();
            _fault = (int)fault;
        }
        if (previous == StoreFault.None)
        {
            LogIncident(fault, ex.GetType().Name, ex.Message);
            database.DropIdleConnections();
        }
        // A full disk still answers reads, so only a commit (Succeeded from the writer) can show it is over.
        if (fault == StoreFault.Unavailable && previous != StoreFault.Unavailable)
        {
            database.Unreachable = true;
            _ = Task.Run(Probe);
        }
        return fault;
    }

    /// <summary>The database just did what was asked (the writer calls this after every commit: one volatile read).</summary>
    public void Succeeded()
    {
        if (_fault == (int)StoreFault.None)
            return;
        TimeSpan lasted;
        long failures;
        lock (_lock)
        {
            var now = time.GetUtcNow();
            if (_fault == (int)StoreFault.None || now - _lastFailure < s_quiet)
                return;
            _fault = (int)StoreFault.None;
            database.Unreachable = false;
            lasted = now - _since;
            failures = _failures;
            _failures = 0;
        }
        LogRecovered(lasted.TotalSeconds, failures);
        Recovered?.Invoke();
    }

    private async Task Probe()
    {
        while (Current == StoreFault.Unavailable)
        {
            await Task.Delay(s_probeEvery, time);
            try
            {
                using (var connection = database.Open()) // not Read(), which refuses while the database is unreachable
                    Database.Ping(connection);
                Succeeded();
            }
            catch (Exception ex)
            {
                database.DropIdleConnections(); // a failing probe is expected while the incident lasts: not logged
                if (database.Classify(ex) == StoreFault.None)
                    LogProbeFailed(ex);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Database {Fault}: calls that need it answer 503 until it answers again (logged once per incident). {Kind}: {Reason}")]
    private partial void LogIncident(StoreFault fault, string kind, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Database answering again after {Seconds:F1} s; {Failures} failures were seen meanwhile")]
    private partial void LogRecovered(double seconds, long failures);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Database probe failed in an unexpected way")]
    private partial void LogProbeFailed(Exception ex);
}
