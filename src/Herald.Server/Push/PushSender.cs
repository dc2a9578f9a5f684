using System.Net;
using System.Threading.Channels;
using Herald.Core.Messages;
using Herald.Server.Cluster;
using Herald.Server.Consumer;
using Herald.Server.Hosting;
using Herald.Server.Telemetry;
using Herald.Storage;
using Lib.Net.Http.WebPush;
using Lib.Net.Http.WebPush.Authentication;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Herald.Server.Push;

/// <summary>
/// Pushes a stored message to the consumer's devices that are not connected but have a push subscription, in the
/// background: <see cref="Offer"/> only queues (bounded; a full queue skips the push), so accepting a message is not
/// slowed by push services. A push is a hint to a closed app, never the delivery itself: the message stays waiting
/// for the WebSocket and GET messages/waiting until the device acknowledges it, so a skipped, failed or lost push
/// (a crash empties the queue) delays a message but never loses it, and a pushed one is not sent twice by Herald's
/// bookkeeping (the device de-duplicates by message_id).
/// </summary>
public sealed partial class PushSender : BackgroundService
{
    private const string WakeTopic = "wake"; // a newer wake-up replaces one the push service still holds
    private readonly Channel<PushJob> _queue;
    private readonly PushOptions _options;
    private readonly PushServiceClient _client;
    private readonly ConsumerDevices _devices;
    private readonly PushlessConsumers _pushless;
    private readonly ConsumerChoices _choices;
    private readonly MessageStore _messages;
    private readonly SenderProfiles _profiles;
    private readonly DeviceConnections _connections;
    private readonly ClusterBus _cluster;
    private readonly TimeProvider _time;
    private readonly ILogger<PushSender> _log;

    public PushSender(IOptions<HeraldOptions> options, VapidKeys keys, IHttpClientFactory http, ConsumerDevices devices, PushlessConsumers pushless, ConsumerChoices choices,
        MessageStore messages, SenderProfiles profiles, DeviceConnections connections, ClusterBus cluster, TimeProvider time, ILogger<PushSender> log)
    {
        _options = options.Value.Push;
        _queue = Channel.CreateBounded<PushJob>(new BoundedChannelOptions(Math.Max(1, _options.QueueCapacity)) { FullMode = BoundedChannelFullMode.DropWrite });
        _client = new PushServiceClient(http.CreateClient(PushHttp.ClientName))
        {
            DefaultAuthentication = new VapidAuthentication(keys.PublicKey, keys.PrivateKey) { Subject = keys.Subject, TokenCache = new VapidTokenCache(time) },
            DefaultAuthenticationScheme = VapidAuthenticationScheme.Vapid, // RFC 8292: "vapid t=<JWT>, k=<public key>"
            AutoRetryAfter = false, // retried here, off the worker, with the message's own expiry in mind
        };
        _devices = devices;
        _pushless = pushless;
        _choices = choices;
        _messages = messages;
        _profiles = profiles;
        _connections = connections;
        _cluster = cluster;
        _time = time;
        _log = log;
    }

    /// <summary>A message was stored for the consumer: push it to their subscribed devices not connected here.</summary>
    public void Offer(string consumerId, WaitingMessage message)
    {
        if (!_queue.Writer.TryWrite(new PushJob(consumerId, message, null, 0, false)))
            PushMetrics.Record("skipped");
    }

    protected override Task ExecuteAsync(CancellationToken stop) =>
        Task.WhenAll(Enumerable.Range(0, Math.Max(1, _options.Concurrency)).Select(_ => Task.Run(() => Work(stop), stop)));

    private async Task Work(CancellationToken stop)
    {
        try
        {
            await foreach (var job in _queue.Reader.ReadAllAsync(stop))
            {
                try
                {
                    if (job.Target is null)
                        await FanOut(job, stop);
                    else
                        await Send(job, job.Target, stop);
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !stop.IsCancellationRequested)
                {
                    PushMetrics.Record("failed");
                    LogPushFailed(ex, job.Message.Id);
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
    }

    private async Task FanOut(PushJob job, CancellationToken stop)
    {
        if (_pushless.Known(job.ConsumerId))
            return;
        var targets = _devices.PushTargets(job.ConsumerId);
        if (targets.Count == 0)
            _pushless.Remember(job.ConsumerId);
        foreach (var target in targets)
        {
            if (_connections.IsConnectedHere(job.ConsumerId, target.DeviceId))
                continue;
            var next = job with { Target = target };
            // In a cluster the device may be connected to another node, which has pushed the message over its
            // WebSocket: give its ack a moment, then push only if the message still waits for the device.
            if (_cluster.Clustered)
                Later(TimeSpan.FromMilliseconds(_options.ClusterGraceMilliseconds), next, stop);
            else
                await Send(next, target, stop);
        }
    }

    private async Task Send(PushJob job, PushTarget target, CancellationToken stop)
    {
        var m = job.Message;
        var now = _time.GetUtcNow();
        if (m.ExpiresAt <= now || _connections.IsConnectedHere(job.ConsumerId, target.DeviceId) || !_messages.StillWaitingFor(m.Id, target.DeviceId, now))
            return;
        var payload = PushPayload.Wake;
        if (!job.Wake && !_options.WakeOnly)
        {
            if (_profiles.Get(m.BusinessId) is not { } sender)
                return; // the business is gone: nothing to show
            payload = PushPayload.Message(DeliveredMessage.Of(m, sender), notify: !_choices.IsMuted(job.ConsumerId, m.BusinessId)) ?? PushPayload.Wake;
        }
        var wake = ReferenceEquals(payload, PushPayload.Wake);
        var push = new PushMessage(payload)
        {
            TimeToLive = (int)Math.Clamp((m.ExpiresAt - now).TotalSeconds, 0, int.MaxValue),
            Urgency = m.Category == MessageCategory.Transactional ? PushMessageUrgency.High : PushMessageUrgency.Normal,
            Topic = wake ? WakeTopic : null,
        };
        var subscription = new PushSubscription { Endpoint = target.Endpoint };
        subscription.SetKey(PushEncryptionKeyName.P256DH, target.P256dh);
        subscription.SetKey(PushEncryptionKeyName.Auth, target.Auth);
        var kind = wake ? "wake" : "message";
        try
        {
            await _client.RequestPushMessageDeliveryAsync(subscription, push, stop);
            PushMetrics.Record("sent", kind);
        }
        catch (PushServiceClientException ex) when (ex.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Gone)
        {
            PushMetrics.Record("gone", kind);
            await _devices.DropPush(target.DeviceId, target.Endpoint);
        }
        catch (PushServiceClientException ex) when (ex.StatusCode == HttpStatusCode.RequestEntityTooLarge && !wake)
        {
            PushMetrics.Record("too_large", kind);
            await Send(job with { Wake = true }, target, stop);
        }
        catch (PushServiceClientException ex) when (ex.StatusCode == HttpStatusCode.TooManyRequests || (int)ex.StatusCode >= 500)
        {
            Retry(job, ex.Headers?.RetryAfter, kind, stop);
        }
        catch (HttpRequestException)
        {
            Retry(job, null, kind, stop);
        }
        catch (TaskCanceledException) when (!stop.IsCancellationRequested)
        {
            Retry(job, null, kind, stop); // the push service did not answer within the client's timeout
        }
        catch (PushServiceClientException ex)
        {
            PushMetrics.Record("failed", kind);
            LogPushRefused((int)ex.StatusCode, m.Id);
        }
    }

    /// <summary>429 and 5xx: again after Retry-After, else 1, 2, 4, 8 … s, while attempts remain and the message lives.</summary>
    private void Retry(PushJob job, System.Net.Http.Headers.RetryConditionHeaderValue? retryAfter, string kind, CancellationToken stop)
    {
        var now = _time.GetUtcNow();
        var delay = retryAfter?.Delta ?? (retryAfter?.Date is { } date ? date - now : TimeSpan.FromSeconds(Math.Pow(2, job.Attempt)));
        delay = TimeSpan.FromSeconds(Math.Clamp(delay.TotalSeconds, 0, 3600));
        if (job.Attempt + 1 >= _options.MaxAttempts || now + delay >= job.Message.ExpiresAt)
        {
            PushMetrics.Record("failed", kind);
            return;
        }
        PushMetrics.Record("retry", kind);
        Later(delay, job with { Attempt = job.Attempt + 1 }, stop);
    }

    /// <summary>Queues the job again after <paramref name="delay"/>, without holding a worker meanwhile.</summary>
    private void Later(TimeSpan delay, PushJob job, CancellationToken stop) => _ = LaterAsync(delay, job, stop);

    private async Task LaterAsync(TimeSpan delay, PushJob job, CancellationToken stop)
    {
        try
        {
            await Task.Delay(delay, _time, stop);
        }
        catch (OperationCanceledException)
        {
            return;
        }
        if (!_queue.Writer.TryWrite(job))
            PushMetrics.Record("skipped");
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not push message {MessageId}; it stays waiting for the device")]
    private partial void LogPushFailed(Exception ex, string messageId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A push service refused message {MessageId} with {Status}; it stays waiting for the device")]
    private partial void LogPushRefused(int status, string messageId);

    /// <param name="Target">null until fanned out to one subscribed device</param>
    /// <param name="Wake">send a content-free wake-up (the message was too large for the push service)</param>
    private sealed record PushJob(string ConsumerId, WaitingMessage Message, PushTarget? Target, int Attempt, bool Wake);
}
