using System.Diagnostics;
using Herald.Server.Cluster;
using Herald.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Herald.Server.Campaigns;

/// <summary>
/// Sends running campaigns' recipients through the normal send path (<see cref="CampaignSender"/>), each campaign at
/// its own rate, and starts scheduled ones when their time comes. In a cluster only the leader runs (see
/// <see cref="Leadership"/>); when it dies, the next leader carries on from the recipients still queued.
/// </summary>
public sealed partial class CampaignRunner(CampaignStore campaigns, CampaignSender sender, Leadership leadership, StoreHealth health,
    TimeProvider time, ILogger<CampaignRunner> log) : BackgroundService
{
    private static readonly TimeSpan s_tick = TimeSpan.FromMilliseconds(100);
    /// <summary>At most this many recipients per transaction (a batch send's size).</summary>
    public const int MaxPerWrite = 1000;

    protected override async Task ExecuteAsync(CancellationToken stop)
    {
        // Per campaign: how many sends its rate has earned and not yet used, capped at one second's worth.
        var allowance = new Dictionary<string, double>();
        var clock = Stopwatch.StartNew();
        var last = clock.Elapsed;
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(s_tick, stop);
                var elapsed = (clock.Elapsed - last).TotalSeconds;
                last = clock.Elapsed;
                if (!leadership.IsLeader)
                {
                    allowance.Clear();
                    continue;
                }
                var now = time.GetUtcNow();
                await campaigns.StartDue(now);
                var running = campaigns.Running();
                foreach (var gone in allowance.Keys.Except(running.Select(c => c.Id)).ToList())
                    allowance.Remove(gone);
                foreach (var campaign in running)
                {
                    var earned = Math.Min(campaign.RatePerSecond, allowance.GetValueOrDefault(campaign.Id) + campaign.RatePerSecond * elapsed);
                    var due = (int)earned;
                    var handled = 0;
                    while (handled < due && !stop.IsCancellationRequested)
                    {
                        var sent = await sender.SendNext(campaign, Math.Min(MaxPerWrite, due - handled));
                        if (sent == 0)
                            break;
                        handled += sent;
                    }
                    if (handled < due && await campaigns.CompleteIfDone(campaign.Id, time.GetUtcNow()))
                        LogCompleted(campaign.Id);
                    allowance[campaign.Id] = earned - handled;
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                if (health.Failed(ex) == StoreFault.None)
                    LogError(ex);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Campaign {CampaignId} completed: every recipient was handled")]
    private partial void LogCompleted(string campaignId);

    [LoggerMessage(Level = LogLevel.Error, Message = "The campaign runner failed; it tries again")]
    private partial void LogError(Exception ex);
}
