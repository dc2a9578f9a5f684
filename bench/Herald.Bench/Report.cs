namespace Herald.Bench;

/// <summary>One benchmark run's figures: printed as a table and written as JSON.</summary>
public sealed record Report
{
    public required string Scenario { get; init; }
    public required string Target { get; init; }
    public int Devices { get; init; }
    public long Sent { get; init; }
    public long Accepted { get; init; }
    public double Seconds { get; init; }
    public double AcceptedPerSecond { get; init; }
    public double DeliveredPerSecond { get; init; }
    public double CallbacksPerSecond { get; init; }
    public double LatencyP50Ms { get; init; }
    public double LatencyP99Ms { get; init; }
    public double LatencyP999Ms { get; init; }
    public double ServerPeakRssMiB { get; init; }
    /// <summary>CPU time of the Herald processes (not the database server's) from the first send to the last callback, per accepted message.</summary>
    public double ServerCpuMicrosPerMessage { get; init; }
    /// <summary>On PostgreSQL: the CPU time of all the database server's processes over the same window, per accepted message.</summary>
    public double? DatabaseCpuMicrosPerMessage { get; init; }
    /// <summary>On PostgreSQL: commands and batches the nodes sent to the database (each one round trip) per accepted message.</summary>
    public double? DatabaseRoundTripsPerMessage { get; init; }
    /// <summary>On PostgreSQL: WAL bytes written over the window per accepted message.</summary>
    public double? DatabaseWalBytesPerMessage { get; init; }
    /// <summary>From the nodes' .NET runtime counters over the window: bytes allocated per accepted message, collections, and the share of the window the GC paused them.</summary>
    public double? ServerAllocatedKibPerMessage { get; init; }
    public double? ServerGcCollections { get; init; }
    public double? ServerGcPauseShare { get; init; }
    public long Errors { get; init; }
    /// <summary>The campaign scenario: the business's rate limit, the time from the start to the last delivered callback, the load average at the end.</summary>
    public int? RateLimit { get; init; }
    public double? LastDeliveredSeconds { get; init; }
    public string? LoadAverage { get; init; }
    /// <summary>The accept-only scenario: <c>GET /healthz</c> answered per second by the same server with the same wrk settings, and accepted/s over it.</summary>
    public double? HealthzPerSecond { get; init; }
    public double? AcceptPerHealthz { get; init; }
}
