using System.Net.Http.Headers;
using Herald.Core.Callbacks;
using Herald.Core.Security;
using Herald.Server.Cluster;
using Herald.Server.Hosting;
using Herald.Server.Http;
using Herald.Server.Telemetry;
using Herald.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Herald.Server.Callbacks;

/// <summary>
/// Sends the outbox to callback URLs. Per business one POST is in flight at a time and it always carries the oldest
/// pending events, so a business's events arrive in order (in a cluster, in commit order, from the one node holding the business's bucket: see <see cref="CallbackBuckets"/> and docs/scaling.md); a
/// failed POST is retried (exactly the same events under the same <c>webhook-id</c>) with exponential backoff, for 72
/// hours. Only the rows a POST carried are marked. Acknowledged rows lose their payload.
/// </summary>
public sealed partial class CallbackDispatcher(
    OutboxStore outbox, BusinessStore businesses, CallbackSignal signal, CallbackBuckets buckets, StoreHealth health, IHttpClientFactory http,
    IOptions<HeraldOptions> options, TimeProvider time, ILogger<CallbackDispatcher> log) : BackgroundService
{
    private static readonly TimeSpan s_idlePoll = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan s_wakeGathering = TimeSpan.FromMilliseconds(5);
    private readonly HashSet<string> _inFlight = [];

    protected override async Task ExecuteAsync(CancellationToken stop)
    {
        var settings = options.Value.Webhooks;
        var running = new List<Task>();
        Task? wake = null; // kept across turns: an abandoned wait would swallow the next wake-up
        while (!stop.IsCancellationRequested)
        {
            try
            {
                running.RemoveAll(t => t.IsCompleted);
                // In a cluster a business's callbacks go out from the one node holding its bucket, so no event goes
                // out twice from two nodes and a business's events keep their order.
                foreach (var businessId in buckets.Held > 0 ? outbox.DueBusinesses(time.GetUtcNow()) : [])
                {
                    if (running.Count >= settings.Concurrency)
                        break;
                    lock (_inFlight)
                    {
                        if (_inFlight.Contains(businessId) || !buckets.TryStart(businessId))
                            continue;
                        _inFlight.Add(businessId);
                    }
                    running.Add(SendHead(businessId, settings, stop));
                }
            }
            catch (Exception ex) when (!stop.IsCancellationRequested)
            {
                if (health.Failed(ex) == StoreFault.None) // a database fault is logged once per incident
                    LogLoopError(ex);
            }
            // Wake on new events, on a finished POST (its business may have more), or on the poll for due retries.
            wake ??= signal.Wait(Timeout.InfiniteTimeSpan, stop);
            var poll = Task.Delay(s_idlePoll, time, stop);
            var looked = System.Diagnostics.Stopwatch.GetTimestamp(); // real time, also under a test's fake clock
            await Task.WhenAny([wake, poll, .. running]);
            if (wake.IsCompleted)
            {
                wake = null;
                // Under load every ack wakes this loop; looking for due businesses that often costs a query each
                // time and finds the same ones busy. Gathering wake-ups for a few milliseconds costs that little delay.
                var rest = s_wakeGathering - System.Diagnostics.Stopwatch.GetElapsedTime(looked);
                if (rest > TimeSpan.Zero)
                    await Task.WhenAny(Task.Delay(rest, stop)); // on shutdown, go on to wait for the POSTs in flight
            }
        }
        await Task.WhenAll(running);
    }

    private async Task SendHead(string businessId, WebhookOptions settings, CancellationToken stop)
    {
        try
        {
            await Task.Yield();
            var business = businesses.Get(businessId);
            var (webhookId, events) = NextPost(businessId, settings.BatchSize);
            if (business?.CallbackUrl is null || business.WebhookSecret is null || events.Count == 0)
                return;

            var body = CallbackJson.Batch([.. events.Select(e => e.Json)]);
            var now = time.GetUtcNow();
            string? error;
            string? failure = null; // the metrics' reason, from a short fixed list
            using var span = MessageTracing.Enabled ? MessageTracing.StartCallback(businessId, MessageIds(events)) : null;
            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, business.CallbackUrl) { Content = new ByteArrayContent(body) };
                request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                var timestamp = now.ToUnixTimeSeconds();
                request.Headers.Add(WebhookSignature.IdHeader, webhookId);
                request.Headers.Add(WebhookSignature.TimestampHeader, timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture));
                request.Headers.Add(WebhookSignature.SignatureHeader, WebhookSignature.Header(business.SigningSecrets(now), webhookId, timestamp, body));
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stop);
                timeout.CancelAfter(TimeSpan.FromSeconds(settings.TimeoutSeconds));
                // The 2xx status is the acknowledgement; the body is not read (a hostile receiver may stream forever).
                var status = (int)await http.CreateClient(CallbackHttp.ClientName).StatusOf(request, timeout.Token);
                error = status is >= 200 and <= 299 ? null : $"HTTP {status}";
                failure = error is null ? null : CallbackMetrics.FailureOf(status, timedOut: false);
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !stop.IsCancellationRequested)
            {
                error = ex is TaskCanceledException ? "timed out" : ex.Message;
                failure = CallbackMetrics.FailureOf(null, timedOut: ex is TaskCanceledException);
            }
            CallbackMetrics.Attempted(started, failure);
            span?.SetStatus(error is null ? System.Diagnostics.ActivityStatusCode.Ok : System.Diagnostics.ActivityStatusCode.Error, error);

            var seqs = events.Select(e => e.Seq).ToArray();
            if (error is null)
            {
                await outbox.MarkSent(businessId, seqs, webhookId, time.GetUtcNow());
                CallbackMetrics.EventsDone(events.Count, sent: true);
                if (span is not null)
                    ForgetFinished(events);
                signal.WakeHere(); // more may be waiting behind this batch
                return;
            }
            // In a cluster an event that committed late can sort ahead of ones already retried: count from the most tried.
            var attempts = events.Max(e => e.Attempts) + 1;
            if (Core.Callbacks.RetrySchedule.ShouldGiveUp(events.Min(e => e.CreatedAt), now))
            {
                LogAbandoned(businessId, events.Count, error);
                await outbox.Abandon(businessId, seqs, now, error);
                CallbackMetrics.EventsDone(events.Count, sent: false);
                return;
            }
            var delay = Core.Callbacks.RetrySchedule.DelayAfter(attempts, Random.Shared.NextDouble());
            LogFailed(businessId, events.Count, attempts, error, delay.TotalSeconds);
            await outbox.MarkFailed(businessId, seqs, webhookId, attempts, now + delay, error);
        }
        catch (Exception ex) when (!stop.IsCancellationRequested)
        {
            if (health.Failed(ex) == StoreFault.None)
                LogLoopError(ex);
        }
        finally
        {
            lock (_inFlight)
                _inFlight.Remove(businessId);
            buckets.Finish(businessId);
        }
    }

    /// <summary>
    /// The next POST: a failed one again (the same rows, so the same body and <c>webhook-id</c>: receivers de-duplicate
    /// by it), else the oldest pending events under a new id. Events that queued up behind a failed POST wait for it.
    /// </summary>
    private (string WebhookId, List<PendingEvent> Events) NextPost(string businessId, int batchSize)
    {
        var head = outbox.Head(businessId, batchSize);
        return head.FirstOrDefault(e => e.WebhookId is not null)?.WebhookId is { } retried
            ? (retried, outbox.Retrying(businessId, retried))
            : (Secrets.NewId("wh"), head);
    }

    /// <summary>The messages the events are about (replies to no message and subscription events name none).</summary>
    private static List<string> MessageIds(List<PendingEvent> events) =>
        [.. events.Select(e => e.MessageId).OfType<string>().Distinct()];

    /// <summary>A message whose last event went out needs no accept context for tracing any more.</summary>
    private static void ForgetFinished(List<PendingEvent> events)
    {
        foreach (var e in events)
        {
            if (e is { MessageId: { } id, Type: "seen" or "expired" or "failed" })
                MessageTracing.Forget(id);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Callback to business {BusinessId} failed ({Events} events, attempt {Attempt}): {Error}; retrying in {DelaySeconds:F0} s")]
    private partial void LogFailed(string businessId, int events, int attempt, string error, double delaySeconds);

    [LoggerMessage(Level = LogLevel.Error, Message = "Callback to business {BusinessId} abandoned after 72 h ({Events} events): {Error}")]
    private partial void LogAbandoned(string businessId, int events, string error);

    [LoggerMessage(Level = LogLevel.Error, Message = "Callback dispatcher error")]
    private partial void LogLoopError(Exception ex);
}
