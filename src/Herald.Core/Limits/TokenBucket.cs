namespace Herald.Core.Limits;

/// <summary>
/// A token bucket whose rate can change while it runs (a node's share of a business's cluster-wide limit changes when
/// nodes come and go) without refilling it: a new rate keeps the tokens already there, capped at the new size. It holds
/// one second's worth of its rate. A take larger than the whole bucket (a batch bigger than this node's share) is let
/// through when the bucket is full and leaves it in debt, so the long-run rate stays exact. Not thread-safe: the
/// caller locks. Times are in seconds on any monotonic clock.
/// </summary>
public sealed class TokenBucket(double rate, double now)
{
    private double _tokens = rate;
    private double _last = now;

    public double Rate { get; private set; } = rate;

    /// <returns>null when taken, else how long until it could be</returns>
    public TimeSpan? TryTake(int count, double now)
    {
        Refill(now);
        var needed = Math.Min(count, Rate);
        if (_tokens >= needed)
        {
            _tokens -= count;
            return null;
        }
        return TimeSpan.FromSeconds((needed - _tokens) / Rate);
    }

    public void Resize(double rate, double now)
    {
        if (rate <= 0 || rate == Rate)
            return;
        Refill(now);
        Rate = rate;
        _tokens = Math.Min(_tokens, rate);
    }

    private void Refill(double now)
    {
        if (now > _last)
            _tokens = Math.Min(Rate, _tokens + (now - _last) * Rate);
        _last = Math.Max(_last, now);
    }
}
