using System.Data.Common;
using Herald.Storage;
using Microsoft.Extensions.Logging;

namespace Herald.Server.Cluster;

/// <summary>
/// Which node runs the work that must happen once cluster-wide: expiry and retention (callbacks are shared out by
/// bucket instead: see <see cref="Callbacks.CallbackBuckets"/>). On a database of its own (SQLite) this node always leads. On a shared one
/// (PostgreSQL) the leader is whoever holds an advisory lock; when the leader dies its connection ends, the lock is
/// freed, and another node takes over within a second.
/// </summary>
public sealed partial class Leadership(Database database, ILogger<Leadership> log) : LockSession(database)
{
    private volatile bool _leading = !database.Shared;

    public bool IsLeader => _leading;

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        Telemetry.ClusterMetrics.Track(this);
        return base.StartAsync(cancellationToken);
    }

    public override void Dispose()
    {
        Telemetry.ClusterMetrics.Untrack(this);
        base.Dispose();
    }

    protected override void Hold(DbConnection session)
    {
        if (_leading || !Store.TryLead(session))
            return;
        _leading = true;
        LogLeading();
    }

    protected override void Lost(Exception? failure)
    {
        if (_leading && failure is not null)
            LogLostLead(failure);
        _leading = false;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "This node now leads: it runs expiry and retention for the cluster")]
    private partial void LogLeading();

    [LoggerMessage(Level = LogLevel.Warning, Message = "This node lost the lead; another node takes over")]
    private partial void LogLostLead(Exception ex);
}
