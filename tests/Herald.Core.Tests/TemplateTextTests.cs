using Herald.Core.Consumers;
using Herald.Core.Messages;
using Herald.Core.Templates;

namespace Herald.Core.Tests;

public sealed class TemplateTextTests
{
    [Fact]
    public void Placeholders_are_found_once_each()
    {
        Assert.Equal(["name", "order_2"], TemplateText.Placeholders("Hi {{name}}, order {{order_2}} for {{name}}").Order());
    }

    [Theory]
    [InlineData("Hello {{name}}", null)]
    [InlineData("", "required")]
    [InlineData("Hello {{ name }}", "placeholders")]
    [InlineData("Hello {{name", "placeholders")]
    [InlineData("Hello name}}", "placeholders")]
    public void Validation_explains_what_is_wrong(string text, string? expected)
    {
        var error = TemplateText.Validate(text);
        if (expected is null)
            Assert.Null(error);
        else
            Assert.Contains(expected, error);
    }

    [Fact]
    public void Render_substitutes_every_placeholder()
    {
        var (text, errors) = TemplateText.Render("Hi {{name}}, {{name}}! Order {{id}}.", new Dictionary<string, string> { ["name"] = "Ann", ["id"] = "42" });
        Assert.Empty(errors);
        Assert.Equal("Hi Ann, Ann! Order 42.", text);
    }

    [Fact]
    public void Render_names_missing_and_unknown_params()
    {
        var (text, errors) = TemplateText.Render("Hi {{name}} {{id}}", new Dictionary<string, string> { ["name"] = "Ann", ["nmae"] = "x" });
        Assert.Null(text);
        Assert.Equal("missing", errors["template.params.id"]);
        Assert.Contains("not a placeholder", errors["template.params.nmae"]);
    }

    [Fact]
    public void A_param_cannot_smuggle_in_a_placeholder_or_blow_the_length()
    {
        var (text, _) = TemplateText.Render("Hi {{name}}", new Dictionary<string, string> { ["name"] = "{{other}}" });
        Assert.Equal("Hi {{other}}", text); // substituted once, not re-expanded
        var (tooLong, errors) = TemplateText.Render(string.Concat(Enumerable.Repeat("{{a}}", 10)), new Dictionary<string, string> { ["a"] = new string('x', 150) });
        Assert.Null(tooLong);
        Assert.True(errors.ContainsKey("template.params"));
    }

    [Theory]
    [InlineData("+447700900123", new[] { "4", "44", "1" }, "44")]
    [InlineData("+15550100", new[] { "44", "1" }, "1")]
    [InlineData("+33612345678", new[] { "44", "1" }, null)]
    public void The_longest_configured_calling_code_applies(string phone, string[] configured, string? expected)
    {
        Assert.Equal(expected, CallingCodes.Match(phone, configured));
    }

    [Theory]
    [InlineData("44", true)]
    [InlineData("1", true)]
    [InlineData("380", true)]
    [InlineData("0", false)]
    [InlineData("1234", false)]
    [InlineData("4a", false)]
    [InlineData("", false)]
    public void Calling_codes_are_one_to_three_digits(string code, bool valid) => Assert.Equal(valid, CallingCodes.IsValid(code));

    [Theory]
    [InlineData(true, true, false, false, MessageCategory.Promotional, null)]
    [InlineData(true, false, false, false, MessageCategory.Transactional, null)]
    [InlineData(true, false, false, false, MessageCategory.Promotional, FailureReason.OptedOut)]
    [InlineData(false, true, false, false, MessageCategory.Transactional, FailureReason.OptedOut)]
    [InlineData(true, true, false, true, MessageCategory.Transactional, FailureReason.Blocked)]
    [InlineData(false, false, true, true, MessageCategory.Transactional, FailureReason.Restricted)]
    public void Consumer_preferences_decide_delivery_with_restriction_first(bool all, bool promo, bool restricted, bool blocked, MessageCategory category, FailureReason? expected)
    {
        Assert.Equal(expected, new ConsumerPreferences(all, promo, restricted, blocked).Refusal(category));
    }

    [Fact]
    public void Text_length_counts_characters_not_utf16_units()
    {
        var emoji = string.Concat(Enumerable.Repeat("🌷", 1000));
        Assert.True(MessageRules.Validate(new SendMessageRequest { To = "+447700900123", Category = "promotional", Text = emoji }).IsValid);
        Assert.False(MessageRules.Validate(new SendMessageRequest { To = "+447700900123", Category = "promotional", Text = emoji + "x" }).IsValid);
    }
}
