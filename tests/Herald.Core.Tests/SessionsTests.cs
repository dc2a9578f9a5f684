using Herald.Core.Consumers;
using Herald.Core.Messages;

namespace Herald.Core.Tests;

public sealed class SessionsTests
{
    private static readonly DateTimeOffset Reply = new(2026, 12, 7, 9, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(0.0, true)]
    [InlineData(23 * 60 + 59.0, true)]
    [InlineData(24 * 60 - 0.5, true)]
    [InlineData(24 * 60.0, false)]
    [InlineData(24 * 60 + 1.0, false)]
    public void The_window_is_open_for_24_hours_after_the_latest_reply(double minutesLater, bool open) =>
        Assert.Equal(open, Sessions.IsOpen(Reply, Reply.AddMinutes(minutesLater)));

    [Fact]
    public void No_reply_no_window() => Assert.False(Sessions.IsOpen(null, Reply));

    [Fact]
    public void A_session_answer_carries_rich_content_like_a_promotional_message()
    {
        var result = MessageRules.Validate(new SendMessageRequest
        {
            To = "+447700900123", Category = "session", Text = "Here it is", ImageUrl = "https://acme.example/a.png",
            Button = new MessageButton { Caption = "Open", Action = "https://acme.example/o" },
        });
        Assert.True(result.IsValid);
        Assert.Equal(MessageCategory.Session, result.Category);
    }

    [Fact]
    public void The_promotional_opt_out_does_not_stop_session_answers_but_the_full_opt_out_and_blocks_do()
    {
        Assert.Null(new ConsumerPreferences(BusinessMessages: true, Promotional: false, Restricted: false, BlocksSender: false).Refusal(MessageCategory.Session));
        Assert.Equal(FailureReason.OptedOut, new ConsumerPreferences(false, true, false, false).Refusal(MessageCategory.Session));
        Assert.Equal(FailureReason.Blocked, new ConsumerPreferences(true, true, false, true).Refusal(MessageCategory.Session));
    }
}
