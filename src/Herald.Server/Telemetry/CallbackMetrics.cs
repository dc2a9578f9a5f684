using System.Diagnostics;
using System.Diagnostics.Metrics;
using Herald.Core.Telemetry;

namespace Herald.Server.Telemetry;

/// <summary>Callback POSTs to businesses' webhooks: how many, how many failed and why, how long they took.</summary>
public static class CallbackMetrics
{
    private static readonly Counter<long> s_attempts = HeraldTelemetry.Meter.CreateCounter<long>(
        "herald.callbacks.attempts", "{request}", "Callback POSTs sent (first tries and retries)");

    private static readonly Counter<long> s_failures = HeraldTelemetry.Meter.CreateCounter<long>(
        "herald.callbacks.failures", "{request}", "Callback POSTs that failed, by reason: timeout, network, http_4xx, http_5xx, http_other");

    private static readonly Counter<long> s_events = HeraldTelemetry.Meter.CreateCounter<long>(
        "herald.callbacks.events", "{event}", "Callback events that left the outbox, by result: sent (acknowledged), abandoned (retries ran out)");

    private static readonly Histogram<double> s_duration = HeraldTelemetry.Meter.CreateHistogram<double>(
        "herald.callbacks.duration", "s", "Time from sending a callback POST to its answer's status line, by result: ok, failed",
        tags: null, new InstrumentAdvice<double> { HistogramBucketBoundaries = HeraldTelemetry.SecondsBuckets });

    /// <param name="started">the <see cref="Stopwatch.GetTimestamp"/> before sending</param>
    /// <param name="failure">null when the receiver answered 2xx, else the reason (see <see cref="FailureOf"/>)</param>
    public static void Attempted(long started, string? failure)
    {
        if (s_attempts.Enabled)
            s_attempts.Add(1);
        if (failure is not null && s_failures.Enabled)
            s_failures.Add(1, new KeyValuePair<string, object?>("reason", failure));
        if (s_duration.Enabled)
            s_duration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds, new KeyValuePair<string, object?>("result", failure is null ? "ok" : "failed"));
    }

    public static void EventsDone(int count, bool sent)
    {
        if (s_events.Enabled)
            s_events.Add(count, new KeyValuePair<string, object?>("result", sent ? "sent" : "abandoned"));
    }

    /// <summary>A few stable reasons, never the receiver's own text (that would make a label per receiver).</summary>
    public static string FailureOf(int? status, bool timedOut) => (status, timedOut) switch
    {
        (_, true) => "timeout",
        (null, _) => "network",
        ( >= 400 and < 500, _) => "http_4xx",
        ( >= 500 and < 600, _) => "http_5xx",
        _ => "http_other",
    };
}
