using Herald.Core.Callbacks;
using Herald.Core.Limits;

namespace Herald.Core.Tests;

public sealed class TokenBucketTests
{
    [Fact]
    public void A_bucket_bursts_its_rate_then_sustains_it()
    {
        var bucket = new TokenBucket(10, now: 0);
        Assert.Null(bucket.TryTake(10, now: 0));
        var wait = bucket.TryTake(1, now: 0);
        Assert.Equal(TimeSpan.FromSeconds(0.1), wait);
        Assert.Null(bucket.TryTake(5, now: 0.5));
        Assert.NotNull(bucket.TryTake(1, now: 0.5));
    }

    [Fact]
    public void A_new_share_keeps_the_tokens_capped_and_adds_no_burst()
    {
        var bucket = new TokenBucket(20, now: 0);
        Assert.Null(bucket.TryTake(15, now: 0)); // 5 left
        bucket.Resize(10, now: 0);               // a second node joined
        Assert.NotNull(bucket.TryTake(6, now: 0));
        Assert.Null(bucket.TryTake(5, now: 0));
        bucket.Resize(40, now: 0);               // nodes left: the rate grows, the tokens do not jump
        Assert.NotNull(bucket.TryTake(1, now: 0));
        Assert.Null(bucket.TryTake(40, now: 1));
    }

    [Fact]
    public void A_take_larger_than_the_bucket_goes_through_when_full_and_leaves_debt()
    {
        var bucket = new TokenBucket(5, now: 0);
        Assert.Null(bucket.TryTake(12, now: 0)); // a batch bigger than this node's share
        Assert.NotNull(bucket.TryTake(1, now: 1)); // 7 owed, 5 refilled: still 2 short
        Assert.Null(bucket.TryTake(1, now: 1.6));
    }

    [Fact]
    public void A_business_falls_in_the_same_callback_bucket_everywhere()
    {
        Assert.Equal(CallbackBucket.Of("biz_01HZX3"), CallbackBucket.Of("biz_01HZX3"));
        Assert.InRange(CallbackBucket.Of("biz_01HZX3"), 0, CallbackBucket.Count - 1);
        var spread = Enumerable.Range(0, 6400).Select(i => CallbackBucket.Of("biz_" + i)).GroupBy(b => b).ToList();
        Assert.Equal(CallbackBucket.Count, spread.Count);
        Assert.All(spread, g => Assert.InRange(g.Count(), 50, 150));
    }
}
