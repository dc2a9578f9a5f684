using Herald.Core.Messages;

namespace Herald.Core.Tests;

public class StatusRulesTests
{
    private static readonly MessageStatus[] s_all = Enum.GetValues<MessageStatus>();

    // The spec: accepted → delivered → seen; accepted → expired | failed. Seen implies delivered.
    private static readonly HashSet<(MessageStatus, MessageStatus)> s_allowed =
    [
        (MessageStatus.Accepted, MessageStatus.Delivered),
        (MessageStatus.Accepted, MessageStatus.Seen),
        (MessageStatus.Delivered, MessageStatus.Seen),
        (MessageStatus.Accepted, MessageStatus.Expired),
        (MessageStatus.Accepted, MessageStatus.Failed),
    ];

    public static TheoryData<MessageStatus, MessageStatus> Allowed()
    {
        var data = new TheoryData<MessageStatus, MessageStatus>();
        foreach (var (from, to) in s_allowed)
            data.Add(from, to);
        return data;
    }

    public static TheoryData<MessageStatus, MessageStatus> Forbidden()
    {
        var data = new TheoryData<MessageStatus, MessageStatus>();
        foreach (var from in s_all)
        {
            foreach (var to in s_all)
            {
                if (!s_allowed.Contains((from, to)))
                    data.Add(from, to);
            }
        }
        return data;
    }

    public static TheoryData<MessageStatus> Terminal() =>
        new(MessageStatus.Seen, MessageStatus.Expired, MessageStatus.Failed);

    [Fact]
    public void The_tables_cover_every_pair_of_statuses()
    {
        Assert.Equal(5, s_all.Length);
        Assert.Equal(s_all.Length * s_all.Length, Allowed().Count + Forbidden().Count);
        Assert.Equal(20, Forbidden().Count);
    }

    [Theory]
    [MemberData(nameof(Allowed))]
    public void Allowed_transition(MessageStatus from, MessageStatus to)
    {
        Assert.True(StatusRules.CanMove(from, to));
        Assert.NotEmpty(StatusRules.Path(from, to));
        Assert.Equal(to, StatusRules.Path(from, to)[^1]);
    }

    [Theory]
    [MemberData(nameof(Forbidden))]
    public void Forbidden_transition(MessageStatus from, MessageStatus to)
    {
        Assert.False(StatusRules.CanMove(from, to));
        Assert.Empty(StatusRules.Path(from, to));
    }

    [Theory]
    [InlineData(MessageStatus.Accepted)]
    [InlineData(MessageStatus.Delivered)]
    [InlineData(MessageStatus.Seen)]
    [InlineData(MessageStatus.Expired)]
    [InlineData(MessageStatus.Failed)]
    public void A_repeated_status_is_not_a_move(MessageStatus status)
    {
        Assert.False(StatusRules.CanMove(status, status));
        Assert.Empty(StatusRules.Path(status, status));
    }

    [Fact]
    public void Accepted_to_seen_passes_through_delivered()
    {
        Assert.Equal([MessageStatus.Delivered, MessageStatus.Seen], StatusRules.Path(MessageStatus.Accepted, MessageStatus.Seen));
    }

    [Theory]
    [InlineData(MessageStatus.Accepted, MessageStatus.Delivered)]
    [InlineData(MessageStatus.Delivered, MessageStatus.Seen)]
    [InlineData(MessageStatus.Accepted, MessageStatus.Expired)]
    [InlineData(MessageStatus.Accepted, MessageStatus.Failed)]
    public void A_single_step_path_is_just_the_target(MessageStatus from, MessageStatus to)
    {
        Assert.Equal([to], StatusRules.Path(from, to));
    }

    [Theory]
    [MemberData(nameof(Terminal))]
    public void Nothing_leaves_a_terminal_state(MessageStatus terminal)
    {
        Assert.True(StatusRules.IsTerminal(terminal));
        foreach (var to in s_all)
        {
            Assert.False(StatusRules.CanMove(terminal, to), $"{terminal} -> {to} must be refused");
            Assert.Empty(StatusRules.Path(terminal, to));
        }
    }

    [Theory]
    [InlineData(MessageStatus.Accepted)]
    [InlineData(MessageStatus.Delivered)]
    public void Accepted_and_delivered_are_not_terminal(MessageStatus status)
    {
        Assert.False(StatusRules.IsTerminal(status));
    }

    [Theory]
    [InlineData(MessageStatus.Expired)]
    [InlineData(MessageStatus.Failed)]
    public void A_delivered_message_can_no_longer_expire_or_fail(MessageStatus to)
    {
        // "expired (TTL passed before delivery)": once delivered, only seen remains.
        Assert.False(StatusRules.CanMove(MessageStatus.Delivered, to));
    }

    [Fact]
    public void Status_never_moves_back_to_accepted_or_delivered()
    {
        foreach (var from in s_all)
            Assert.False(StatusRules.CanMove(from, MessageStatus.Accepted), $"{from} -> accepted must be refused");
        Assert.False(StatusRules.CanMove(MessageStatus.Seen, MessageStatus.Delivered));
    }
}
