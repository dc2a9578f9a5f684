using System.Data.Common;
using Herald.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Herald.Server.Cluster;

/// <summary>
/// Which node runs the work that must happen once cluster-wide: expiry and retention (callbacks are shared out by
/// bucket instead: see <see cref="Callbacks.CallbackBuckets"/>). On a database of its own (SQLite) this node always leads. On a shared one
/// (PostgreSQL) the leader is whoever holds an advisory lock; when the leader dies its connection ends, the lock is
/// freed, and another node takes over within a second.
/// </summary>
public sealed partial class Leadership(Database database, ILogger<Leadership> log) : BackgroundService
{
    private static readonly TimeSpan s_check = TimeSpan.FromSeconds(1);
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

    protected override async Task ExecuteAsync(CancellationToken stop)
    {
        if (!database.Shared)
            return;
        DbConnection? held = null;
        try
        {
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    if (held is null)
                    {
                        held = database.TryLead();
                        if (held is not null)
                            LogLeading();
                    }
                    else
                    {
                        // Still the holder only while the connection that holds the lock is alive.
                        Database.Ping(held);
                    }
                }
                catch (Exception ex) when (!stop.IsCancellationRequested)
                {
                    if (held is not null)
                        LogLostLead(ex);
                    held?.Dispose();
                    held = null;
                }
                _leading = held is not null;
                await Task.Delay(s_check, stop);
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
        finally
        {
            _leading = false;
            held?.Dispose();
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "This node now leads: it runs expiry and retention for the cluster")]
    private partial void LogLeading();

    [LoggerMessage(Level = LogLevel.Warning, Message = "This node lost the lead; another node takes over")]
    private partial void LogLostLead(Exception ex);
}
