namespace Herald.Client;

/// <summary>
/// A device's <c>delivered</c> and <c>seen</c> acks that the server has not confirmed yet (it confirms an ack with an
/// <c>acked</c> frame once it is stored). A <see cref="DeviceConnection"/> sends them all again when it opens, and any
/// unconfirmed for <see cref="ResendAfter"/> while it stays open, so an ack is not lost when the server or the
/// connection dies before storing it. Resending is harmless: the server ignores acks it already has.
/// <see cref="DeviceClient"/> keeps one per token for as long as it lives; to keep acks across a restart of the app,
/// save <see cref="Delivered"/> and <see cref="Seen"/> and pass them to the constructor next time.
/// Thread-safe.
/// </summary>
public sealed class UnconfirmedAcks
{
    private readonly Dictionary<string, Pending> _byId = new(StringComparer.Ordinal);
    private readonly TimeSpan _resendAfter = TimeSpan.FromSeconds(30);

    /// <summary>No acks waiting.</summary>
    public UnconfirmedAcks()
    {
    }

    /// <summary>Acks saved from an earlier run; they go out when the next connection opens.</summary>
    /// <param name="delivered">ids whose <c>delivered</c> ack was not confirmed</param>
    /// <param name="seen">ids whose <c>seen</c> ack was not confirmed</param>
    public UnconfirmedAcks(IEnumerable<string> delivered, IEnumerable<string> seen)
    {
        ArgumentNullException.ThrowIfNull(delivered);
        ArgumentNullException.ThrowIfNull(seen);
        Add(delivered, seen: false, sentAt: long.MinValue);
        Add(seen, seen: true, sentAt: long.MinValue);
    }

    /// <summary>
    /// How long an ack may wait for its confirmation on an open connection before it is sent again (default 30 s).
    /// The server answers acks in order within milliseconds unless storing them failed (a full disk, a database
    /// restart), so this is a retry for failures, not a race with a slow server.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">not positive</exception>
    public TimeSpan ResendAfter
    {
        get => _resendAfter;
        init
        {
            ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(value, TimeSpan.Zero);
            _resendAfter = value;
        }
    }

    /// <summary>Ids whose <c>delivered</c> ack is not confirmed (and no <c>seen</c> ack is waiting).</summary>
    public IReadOnlyList<string> Delivered => Select(seen: false);

    /// <summary>Ids whose <c>seen</c> ack is not confirmed.</summary>
    public IReadOnlyList<string> Seen => Select(seen: true);

    /// <summary>How many messages have an unconfirmed ack.</summary>
    public int Count
    {
        get { lock (_byId) return _byId.Count; }
    }

    internal void Add(IEnumerable<string> ids, bool seen, long sentAt)
    {
        lock (_byId)
        {
            foreach (var id in ids)
                // seen implies delivered: a waiting seen ack covers a later delivered one, never the other way round
                _byId[id] = new Pending(seen || (_byId.TryGetValue(id, out var known) && known.Seen), sentAt);
        }
    }

    /// <summary>The server stored these acks: forget them (a delivered confirmation leaves a waiting seen ack).</summary>
    internal void Confirm(string ack, IEnumerable<string> ids)
    {
        var seen = ack == "seen";
        lock (_byId)
        {
            foreach (var id in ids)
                if (_byId.TryGetValue(id, out var pending) && (seen || !pending.Seen))
                    _byId.Remove(id);
        }
    }

    /// <summary>The acks sent before <paramref name="sentBefore"/> (every one, with long.MaxValue), marked as sent at <paramref name="now"/>.</summary>
    internal (List<string> Delivered, List<string> Seen) TakeDue(long sentBefore, long now)
    {
        var delivered = new List<string>();
        var seen = new List<string>();
        lock (_byId)
        {
            foreach (var (id, pending) in _byId)
                if (pending.SentAt < sentBefore)
                    (pending.Seen ? seen : delivered).Add(id);
            foreach (var id in delivered.Concat(seen))
                _byId[id] = _byId[id] with { SentAt = now };
        }
        return (delivered, seen);
    }

    private List<string> Select(bool seen)
    {
        lock (_byId)
            return [.. _byId.Where(p => p.Value.Seen == seen).Select(p => p.Key)];
    }

    // SentAt: Environment.TickCount64 when it last went out (long.MinValue: not on this run)
    private readonly record struct Pending(bool Seen, long SentAt);
}
