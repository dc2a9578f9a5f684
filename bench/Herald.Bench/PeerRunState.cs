using System.Diagnostics;
using System.Globalization;

namespace Herald.Bench;

/// <summary>What a peer's run counts: accepted, received, errors, and each message's send→receipt latency from its body.</summary>
internal sealed class PeerRunState(int messages)
{
    private readonly double[] _latencyMs = new double[messages];
    private long _latencies;
    private long _received;
    private long _accepted;
    private long _httpErrors;
    private long _badBodies;
    private long _lastReceiveTicks;

    public long Received => Interlocked.Read(ref _received);
    public long Accepted => Interlocked.Read(ref _accepted);
    public long HttpErrors => Interlocked.Read(ref _httpErrors);
    public long BadBodies => Interlocked.Read(ref _badBodies);
    public long LastReceiveTimestamp => Interlocked.Read(ref _lastReceiveTicks);

    public void CountAccepted() => Interlocked.Increment(ref _accepted);
    public void CountHttpError() => Interlocked.Increment(ref _httpErrors);

    /// <summary>Called on the clients' read loops with each message body.</summary>
    public void OnMessage(string body)
    {
        var now = Stopwatch.GetTimestamp();
        if (!long.TryParse(body, NumberStyles.None, CultureInfo.InvariantCulture, out var sent) || sent > now)
        {
            Interlocked.Increment(ref _badBodies);
            return;
        }
        Interlocked.Increment(ref _received);
        Interlocked.Exchange(ref _lastReceiveTicks, now);
        var slot = Interlocked.Increment(ref _latencies) - 1;
        if (slot < _latencyMs.Length)
            _latencyMs[slot] = Stopwatch.GetElapsedTime(sent, now).TotalMilliseconds;
    }

    public static double Percentile(double[] sorted, double p) =>
    sorted.Length == 0 ? 0 : sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];

public double[] LatenciesMs()
    {
        var count = (int)Math.Min(Interlocked.Read(ref _latencies), _latencyMs.Length);
        var copy = _latencyMs[..count];
        Array.Sort(copy);
        return copy;
    }
}
