using Herald.Core.Messages;
using Xunit;

namespace Herald.Core.Tests;

public sealed class AckFoldTests
{
    [Fact]
    public void A_delivered_and_a_seen_for_the_same_message_fold_into_the_seen()
    {
        var folded = AckFold.Fold([(["m1", "m2"], MessageStatus.Delivered), (["m1"], MessageStatus.Seen)]);
        Assert.Equal([("m1", MessageStatus.Seen), ("m2", MessageStatus.Delivered)], folded);
    }

    [Fact]
    public void A_delivered_after_a_seen_does_not_take_it_back()
    {
        var folded = AckFold.Fold([(["m1"], MessageStatus.Seen), (["m1", "m1"], MessageStatus.Delivered)]);
        Assert.Equal([("m1", MessageStatus.Seen)], folded);
    }

    [Fact]
    public void Each_message_appears_once_in_the_order_first_named()
    {
        var folded = AckFold.Fold([(["b", "a"], MessageStatus.Delivered), (["c", "b", "a"], MessageStatus.Delivered)]);
        Assert.Equal(["b", "a", "c"], folded.Select(f => f.Id));
        Assert.All(folded, f => Assert.Equal(MessageStatus.Delivered, f.Ack));
    }
}
