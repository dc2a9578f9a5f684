using Herald.Core.Campaigns;
using Herald.Core.Messages;

namespace Herald.Core.Tests;

public sealed class CampaignRulesTests
{
    private static CreateCampaignRequest Promo(SendMessageRequest? message = null) => new()
    {
        Name = "Winter sale",
        Message = message ?? new SendMessageRequest { Category = "promotional", Text = "20% off", ImageUrl = "https://acme.example/a.png" },
    };

    [Fact]
    public void A_promotional_campaign_with_rich_content_is_valid()
    {
        var (errors, notAllowed) = CampaignRules.Validate(Promo());
        Assert.Empty(errors);
        Assert.Null(notAllowed);
    }

    [Fact]
    public void The_message_is_checked_like_a_send_and_must_not_name_a_recipient()
    {
        var (errors, _) = CampaignRules.Validate(Promo(new SendMessageRequest { To = "+447700900123", Category = "bulk", Url = "http://x" }));
        Assert.Equal("leave it out: each recipient comes from the audience", errors["message.to"]);
        Assert.Contains("message.category", errors.Keys);
        Assert.Contains("message.text", errors.Keys);
        Assert.Contains("message.url", errors.Keys);
    }

    [Fact]
    public void Name_and_message_are_required_and_the_rate_positive()
    {
        var (errors, _) = CampaignRules.Validate(new CreateCampaignRequest { RatePerSecond = 0 });
        Assert.Equal(["message", "name", "rate_per_second"], errors.Keys.Order());
    }

    [Fact]
    public void Transactional_campaigns_carry_no_rich_content()
    {
        var (errors, notAllowed) = CampaignRules.Validate(Promo(new SendMessageRequest { Category = "transactional", Text = "x", Qr = "q" }));
        Assert.Empty(errors);
        Assert.Equal(["qr"], notAllowed);
    }

    [Fact]
    public void A_session_campaign_is_refused() =>
        Assert.Contains("message.category", CampaignRules.Validate(Promo(new SendMessageRequest { Category = "session", Text = "x" })).Errors.Keys);

    [Fact]
    public void Template_params_come_from_the_audience_not_the_message()
    {
        var (errors, _) = CampaignRules.Validate(Promo(new SendMessageRequest
        {
            Category = "transactional", Template = new TemplateReference { Id = "tpl_1", Params = new() { ["name"] = "Ann" } },
        }));
        Assert.Equal(["message.template.params"], errors.Keys);
        Assert.Empty(CampaignRules.Validate(Promo(new SendMessageRequest { Category = "transactional", Template = new TemplateReference { Id = "tpl_1" } })).Errors);
    }

    [Theory]
    [InlineData(100, 100, true)]
    [InlineData(101, 100, false)]
    public void The_rate_is_at_most_the_business_limit(int rate, int limit, bool allowed) =>
        Assert.Equal(allowed, CampaignRules.RateAllowed(rate, limit));

    [Fact]
    public void A_start_more_than_90_days_ahead_is_refused()
    {
        var now = new DateTimeOffset(2026, 12, 7, 9, 0, 0, TimeSpan.Zero);
        Assert.Null(CampaignRules.CheckStart(now.AddDays(90), now));
        Assert.NotNull(CampaignRules.CheckStart(now.AddDays(91), now));
        Assert.Null(CampaignRules.CheckStart(null, now));
    }

    [Theory]
    [InlineData(CampaignState.Draft, true, true, false, false, true)]
    [InlineData(CampaignState.Scheduled, false, false, true, false, true)]
    [InlineData(CampaignState.Running, false, false, true, false, true)]
    [InlineData(CampaignState.Paused, false, false, false, true, true)]
    [InlineData(CampaignState.Completed, false, false, false, false, false)]
    [InlineData(CampaignState.Cancelled, false, false, false, false, false)]
    public void Each_state_allows_its_moves(CampaignState state, bool edit, bool start, bool pause, bool resume, bool cancel)
    {
        Assert.Equal(edit, CampaignStates.CanEdit(state));
        Assert.Equal(start, CampaignStates.CanStart(state));
        Assert.Equal(pause, CampaignStates.CanPause(state));
        Assert.Equal(resume, CampaignStates.CanResume(state));
        Assert.Equal(cancel, CampaignStates.CanCancel(state));
        Assert.Equal(state, CampaignStates.Parse(CampaignStates.Of(state)));
    }
}
