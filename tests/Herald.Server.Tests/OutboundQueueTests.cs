using Herald.Server.Consumer;
using Herald.Server.Tests.Infrastructure;

namespace Herald.Server.Tests;

/// <summary>The device's send queue, whose writer runs only while something waits (DeviceSession's outbound side).</summary>
public sealed class OutboundQueueTests
{
    [Fact]
    public async Task Items_queued_from_many_threads_and_in_bursts_with_idle_gaps_go_out_once_each_in_each_writers_order()
    {
        var sent = new List<int>();
        var queue = new OutboundQueue(async item =>
        {
            await Task.Yield(); // a send that does not complete at once, as a socket's may not
            lock (sent)
                sent.Add((int)item);
            return true;
        });
        for (var burst = 0; burst < 5; burst++)
        {
            await Task.WhenAll(Enumerable.Range(0, 4).Select(writer => Task.Run(() =>
            {
                for (var i = 0; i < 250; i++)
                    Assert.True(queue.TryWrite(burst * 10_000 + writer * 1000 + i));
            })));
            var expected = (burst + 1) * 1000;
            await Wait.Until(() => { lock (sent) return sent.Count == expected; }, TimeSpan.FromSeconds(10), "the burst sent");
        }
        await queue.Complete();
        Assert.Equal(5000, sent.Distinct().Count());
        foreach (var writer in sent.GroupBy(n => n / 1000))
            Assert.Equal(writer.Order(), writer); // one writer at a time: what one thread queued goes out in its order
    }

    [Fact]
    public async Task Nothing_is_sent_after_the_send_that_says_stop_nor_after_completion()
    {
        var sent = new List<object>();
        var queue = new OutboundQueue(item =>
        {
            lock (sent)
                sent.Add(item);
            return Task.FromResult(item is not "close");
        });
        queue.TryWrite("a");
        queue.TryWrite("close");
        queue.TryWrite("after close");
        await Wait.Until(() => { lock (sent) return sent.Count >= 2; }, TimeSpan.FromSeconds(10), "the close sent");
        await queue.Complete();
        Assert.False(queue.TryWrite("after completion"));
        await Task.Delay(100);
        Assert.Equal(["a", "close"], sent);
    }
}
