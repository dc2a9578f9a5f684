using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using Herald.Core.Telemetry;

namespace Herald.Storage;

/// <summary>
/// The writer's metrics: what waits for it, how big its batches are and how long they take to commit. The queue depth
/// is read from the writers alive when a scrape asks (one per process; one per server in the tests), so the write path
/// pays nothing for it.
/// </summary>
internal static class WriterMetrics
{
    private static readonly ConcurrentDictionary<Writer, byte> s_writers = new();

    private static readonly ObservableGauge<int> s_queueDepth = HeraldTelemetry.Meter.CreateObservableGauge(
        "herald.writer.queue.depth", () => s_writers.Keys.Select(w => new Measurement<int>(w.QueueDepth)), "{work}",
        "Writes waiting for the writer's next transaction");

    private static readonly Histogram<int> s_batchSize = HeraldTelemetry.Meter.CreateHistogram<int>(
        "herald.writer.batch.size", "{work}", "Writes committed together in one transaction", tags: null,
        new InstrumentAdvice<int> { HistogramBucketBoundaries = [1, 2, 5, 10, 25, 50, 100, 250, 500, 1000, 2000] });

    private static readonly Histogram<double> s_commitDuration = HeraldTelemetry.Meter.CreateHistogram<double>(
        "herald.writer.commit.duration", "s", "Time from BEGIN to the end of COMMIT of one batch", tags: null,
        new InstrumentAdvice<double> { HistogramBucketBoundaries = HeraldTelemetry.SecondsBuckets });

    public static void Track(Writer writer) => s_writers.TryAdd(writer, 0);

    public static void Untrack(Writer writer) => s_writers.TryRemove(writer, out _);

    /// <summary>A batch committed; <paramref name="started"/> is its <see cref="Stopwatch.GetTimestamp"/> before BEGIN.</summary>
    public static void Committed(int size, long started)
    {
        if (s_batchSize.Enabled)
            s_batchSize.Record(size);
        if (s_commitDuration.Enabled)
            s_commitDuration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds);
    }
}
