using Herald.Server.BusinessApi;
using Herald.Server.Callbacks;
using Herald.Server.Consumer;
using Herald.Server.Delivery;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Herald.Server.Cluster;

/// <summary>Acts on the other nodes' hints (see <see cref="ClusterBus"/>); hints this node sent itself are skipped.</summary>
public sealed partial class ClusterListener(
    ClusterBus cluster, DeviceConnections devices, CallbackSignal callbacks, ApiKeyCache keys, CountryPolicies policies,
    SenderProfiles profiles, InboxSignal inbox, Push.PushlessConsumers pushless, ClusterMembers members, ILogger<ClusterListener> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stop)
    {
        if (cluster.Connection is not { } nats)
            return;
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await foreach (var hint in nats.SubscribeAsync<string>("herald.>", cancellationToken: stop))
                    Apply(hint.Subject, hint.Data ?? "");
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                LogSubscriptionFailed(ex); // NATS reconnects by itself; subscribe again after a pause
                await Task.Delay(TimeSpan.FromSeconds(1), stop);
            }
        }
    }

    private void Apply(string subject, string payload)
    {
        var parts = payload.Split(' ', 4); // the fourth part may hold spaces (a reply_echo frame's JSON)
        if (parts[0] == cluster.NodeId)
            return;
        var arg = parts.Length > 1 ? parts[1] : "";
        switch (subject)
        {
            case ClusterBus.Waiting:
                devices.OfferWaiting(arg);
                break;
            case ClusterBus.Close:
                devices.CloseHere(arg, parts.Length > 2 ? parts[2] : null);
                break;
            case ClusterBus.Read when parts.Length == 4:
                devices.ReadHere(arg, parts[2], parts[3].Split(','));
                break;
            case ClusterBus.ReplyEcho when parts.Length == 4 && System.Text.Json.JsonSerializer.Deserialize(parts[3], Http.ApiJson.Type<ReplyEchoFrame>()) is { } echo:
                devices.EchoReplyHere(arg, parts[2], echo);
                break;
            case ClusterBus.Alive:
                members.Heard(parts[0], arg);
                break;
            case ClusterBus.CallbacksDue:
                callbacks.WakeHere();
                break;
            case ClusterBus.Inbox:
                inbox.WakeHere(arg);
                break;
            case ClusterBus.Changed when arg == "keys":
                keys.ClearHere();
                break;
            case ClusterBus.Changed when arg == "policies":
                policies.InvalidateHere();
                break;
            case ClusterBus.Changed when arg == "push" && parts.Length > 2:
                pushless.ForgetHere(parts[2]);
                break;
            case ClusterBus.Changed when arg == "business" && parts.Length > 2:
                profiles.InvalidateHere(parts[2]);
                keys.ClearHere();
                break;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The cluster subscription failed; subscribing again")]
    private partial void LogSubscriptionFailed(Exception ex);
}
