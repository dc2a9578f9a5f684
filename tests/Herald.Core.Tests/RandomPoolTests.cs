using Herald.Core.Security;

namespace Herald.Core.Tests;

public class RandomPoolTests
{
    [Fact]
    public void Draws_never_repeat_across_refills()
    {
        // 12-byte draws over several 4 KiB refills: any repeat would mean bytes handed out twice.
        var seen = new HashSet<string>();
        var buffer = new byte[12];
        for (var i = 0; i < 2000; i++)
        {
            RandomPool.Fill(buffer);
            Assert.True(seen.Add(Convert.ToHexString(buffer)), $"draw {i} repeated an earlier one");
        }
    }

    [Fact]
    public void Bytes_are_spread_over_all_values()
    {
        var counts = new int[256];
        var buffer = new byte[10];
        for (var i = 0; i < 10_000; i++)
        {
            RandomPool.Fill(buffer);
            foreach (var b in buffer)
                counts[b]++;
        }
        // 100,000 bytes: about 390 of each value; a stuck or zeroed pool would leave values far off that.
        Assert.All(counts, n => Assert.InRange(n, 250, 550));
    }

    [Fact]
    public void A_request_larger_than_the_pool_is_filled_whole()
    {
        var big = new byte[10_000];
        RandomPool.Fill(big);
        Assert.True(big.AsSpan(9_000).ContainsAnyExcept((byte)0), "the tail past the pool's size was left zero");
    }
}
