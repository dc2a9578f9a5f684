namespace Herald.Server.Hosting;

/// <summary>The <c>Herald:Metrics</c> section (<c>Herald__Metrics__Key</c>).</summary>
public sealed class MetricsOptions
{
    public const string Section = "Herald:Metrics";

    /// <summary>
    /// Seconds between two reads of the callback backlog for herald.outbox.* (scrapes in between see the last read).
    /// The read walks the pending-events index of every business, so it is kept off the per-scrape path.
    /// </summary>
    public double OutboxRefreshSeconds { get; set; } = 10;
}
