using Herald.Server.Cluster;
using Herald.Server.Hosting;
using Herald.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Herald.Server.Delivery;

/// <summary>
/// Once a second: expires messages whose TTL passed undelivered (and drops leftover content). Once an hour: deletes
/// metadata past the retention period and idempotency answers past 24 hours and checkpoints the WAL so deleted bytes leave it. Driven by
/// <see cref="TimeProvider"/>, so tests move time instead of sleeping.
/// </summary>
public sealed partial class ExpirySweeper(
    MessageStore messages, IdempotencyStore idempotency, InboxStore inbox, Writer writer, Leadership leadership, StoreHealth health, IOptions<HeraldOptions> options,
    TimeProvider time, ILogger<ExpirySweeper> log) : BackgroundService
{
    private static readonly TimeSpan s_tick = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan s_retentionEvery = TimeSpan.FromHours(1);

    protected override async Task ExecuteAsync(CancellationToken stop)
    {
        var nextRetention = time.GetUtcNow();
        while (!stop.IsCancellationRequested)
        {
            try
            {
                var now = time.GetUtcNow();
                if (!leadership.IsLeader) // in a cluster, the leader sweeps for everyone
                {
                    await Task.Delay(s_tick, time, stop);
                    continue;
                }
                await messages.ExpireDue(now); // the events it wrote wake the callback dispatcher after the commit
                if (now >= nextRetention)
                {
                    nextRetention = now + s_retentionEvery;
                    var deleted = await messages.DeleteMetadataBefore(now.AddDays(-options.Value.Privacy.MetadataRetentionDays))
                        + await idempotency.DeleteExpired(now) + await inbox.DeleteExpired(now);
                    await writer.ReclaimDeleted();
                    if (deleted > 0)
                        LogRetention(deleted);
                }
                await Task.Delay(s_tick, time, stop);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                if (health.Failed(ex) == StoreFault.None) // a database fault is logged once per incident
                    LogError(ex);
                await Task.Delay(s_tick, time, stop);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Retention: deleted {Rows} metadata rows")]
    private partial void LogRetention(int rows);

    [LoggerMessage(Level = LogLevel.Error, Message = "Expiry sweep failed")]
    private partial void LogError(Exception ex);
}
