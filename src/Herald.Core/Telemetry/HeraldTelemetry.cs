using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Herald.Core.Telemetry;

/// <summary>
/// Herald's one <see cref="Meter"/> and one <see cref="ActivitySource"/>, both named "Herald". They are plain BCL
/// types: every layer records on them, and only the server's hosting layer decides who listens (the OpenTelemetry SDK
/// with its exporters). Nobody listening costs a flag check: counters skip the measurement and
/// <see cref="ActivitySource.StartActivity(string, ActivityKind)"/> returns null without allocating.
/// </summary>
public static class HeraldTelemetry
{
    public const string Name = "Herald";

    private static readonly string? s_version = typeof(HeraldTelemetry).Assembly.GetName().Version?.ToString();

    public static Meter Meter { get; } = new(Name, s_version);

    public static ActivitySource Source { get; } = new(Name, s_version);

    /// <summary>Buckets for durations in seconds, from a fast commit (1 ms) to a callback timeout (10 s).</summary>
    public static IReadOnlyList<double> SecondsBuckets { get; } =
        [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
}
