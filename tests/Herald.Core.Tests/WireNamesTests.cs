using Herald.Core.Messages;

namespace Herald.Core.Tests;

public class WireNamesTests
{
    [Theory]
    [InlineData(MessageStatus.Accepted, "accepted")]
    [InlineData(MessageStatus.Delivered, "delivered")]
    [InlineData(MessageStatus.Seen, "seen")]
    [InlineData(MessageStatus.Expired, "expired")]
    [InlineData(MessageStatus.Failed, "failed")]
    public void Status_names_match_the_spec_and_round_trip(MessageStatus status, string wire)
    {
        Assert.Equal(wire, WireNames.Of(status));
        Assert.Equal(status, WireNames.ParseStatus(wire));
    }

    [Theory]
    [InlineData(FailureReason.NotRegistered, "not_registered")]
    [InlineData(FailureReason.Blocked, "blocked")]
    [InlineData(FailureReason.OptedOut, "opted_out")]
    [InlineData(FailureReason.Restricted, "restricted")]
    public void Reason_names_match_the_spec_and_round_trip(FailureReason reason, string wire)
    {
        Assert.Equal(wire, WireNames.Of(reason));
        Assert.Equal(reason, WireNames.ParseReason(wire));
    }

    [Theory]
    [InlineData(MessageCategory.Transactional, "transactional")]
    [InlineData(MessageCategory.Promotional, "promotional")]
    [InlineData(MessageCategory.Session, "session")]
    public void Category_names_match_the_spec_and_round_trip(MessageCategory category, string wire)
    {
        Assert.Equal(wire, WireNames.Of(category));
        Assert.Equal(category, WireNames.ParseCategory(wire));
        Assert.True(WireNames.TryParseCategory(wire, out var parsed));
        Assert.Equal(category, parsed);
    }

    [Fact]
    public void Every_enum_value_has_a_distinct_wire_name()
    {
        Assert.Equal(
            Enum.GetValues<MessageStatus>().Length,
            Enum.GetValues<MessageStatus>().Select(WireNames.Of).Distinct().Count());
        Assert.Equal(
            Enum.GetValues<FailureReason>().Length,
            Enum.GetValues<FailureReason>().Select(WireNames.Of).Distinct().Count());
    }

    [Theory]
    [InlineData("Accepted")]
    [InlineData("")]
    [InlineData("read")]
    public void Unknown_status_throws(string wire)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => WireNames.ParseStatus(wire));
    }

    [Theory]
    [InlineData("Blocked")]
    [InlineData("")]
    [InlineData("spam")]
    public void Unknown_reason_throws(string wire)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => WireNames.ParseReason(wire));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("Promotional")]
    [InlineData("marketing")]
    public void Unknown_category_is_refused(string? wire)
    {
        Assert.False(WireNames.TryParseCategory(wire, out _));
        if (wire is not null)
            Assert.Throws<ArgumentOutOfRangeException>(() => WireNames.ParseCategory(wire));
    }
}
