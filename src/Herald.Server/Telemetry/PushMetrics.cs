using System.Diagnostics.Metrics;
using Herald.Core.Telemetry;

namespace Herald.Server.Telemetry;

/// <summary>Web Push requests to push services, by outcome.</summary>
public static class PushMetrics
{
    private static readonly Counter<long> s_pushes = HeraldTelemetry.Meter.CreateCounter<long>(
        "herald.push.requests", "{push}",
        "Push requests by outcome: sent (message or wake), gone (subscription dropped), retry, failed, skipped (queue full)");

    public static void Record(string outcome, string kind = "message") =>
        s_pushes.Add(1, new KeyValuePair<string, object?>("outcome", outcome), new KeyValuePair<string, object?>("kind", kind));
}
