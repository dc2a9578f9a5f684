using Herald.Core.Messages;

namespace Herald.Core.Tests;

public class MessageRulesTests
{
    private const string Phone = "+447700900123";

    private static SendMessageRequest Transactional(string? text = "Your order has shipped") =>
        new() { To = Phone, Category = "transactional", Text = text };

    private static SendMessageRequest Promotional(string? text = "Spring sale") =>
        new() { To = Phone, Category = "promotional", Text = text };

    private static MessageButton Button(string? caption = "Open", string? action = "https://shop.example.com/sale") =>
        new() { Caption = caption, Action = action };

    private static void AssertValid(ValidationResult result, MessageCategory category)
    {
        Assert.True(result.IsValid, Describe(result));
        Assert.Null(result.Errors);
        Assert.Null(result.NotAllowedFields);
        Assert.Equal(category, result.Category);
    }

    private static void AssertInvalidField(ValidationResult result, string field)
    {
        Assert.False(result.IsValid);
        Assert.Null(result.NotAllowedFields);
        Assert.NotNull(result.Errors);
        Assert.True(result.Errors.ContainsKey(field), $"expected an error on '{field}', got: {Describe(result)}");
    }

    private static string Describe(ValidationResult result) =>
        "errors=[" + string.Join("; ", result.Errors?.Select(e => $"{e.Key}: {e.Value}") ?? []) + "] "
        + "not_allowed=[" + string.Join(", ", result.NotAllowedFields ?? []) + "]";

    // ---- valid messages ----

    [Fact]
    public void Transactional_text_is_valid()
    {
        AssertValid(MessageRules.Validate(Transactional()), MessageCategory.Transactional);
    }

    [Fact]
    public void Transactional_text_with_one_https_url_is_valid()
    {
        var request = Transactional() with { Url = "https://shop.example.com/orders/42" };
        AssertValid(MessageRules.Validate(request), MessageCategory.Transactional);
    }

    [Fact]
    public void Transactional_template_without_text_is_valid()
    {
        var request = Transactional(text: null) with
        {
            Template = new TemplateReference { Id = "tpl_1", Params = new() { ["name"] = "Ann" } },
        };
        AssertValid(MessageRules.Validate(request), MessageCategory.Transactional);
    }

    [Fact]
    public void Promotional_image_only_is_valid()
    {
        var request = Promotional(text: null) with { ImageUrl = "https://cdn.example.com/sale.png" };
        AssertValid(MessageRules.Validate(request), MessageCategory.Promotional);
    }

    [Fact]
    public void Promotional_button_is_valid()
    {
        var request = Promotional() with { Button = Button() };
        AssertValid(MessageRules.Validate(request), MessageCategory.Promotional);
    }

    [Fact]
    public void Promotional_qr_is_valid()
    {
        var request = Promotional() with { Qr = "TICKET-12345" };
        AssertValid(MessageRules.Validate(request), MessageCategory.Promotional);
    }

    [Fact]
    public void Promotional_emoji_text_is_valid()
    {
        var request = Promotional("Spring sale 🌷🎉 -20% 👍🏽");
        AssertValid(MessageRules.Validate(request), MessageCategory.Promotional);
    }

    [Fact]
    public void Promotional_with_everything_at_once_is_valid()
    {
        var request = Promotional() with
        {
            Url = "https://shop.example.com",
            ImageUrl = "https://cdn.example.com/sale.png",
            Button = Button(),
            Qr = "PROMO-1",
            TtlSeconds = 3600,
            TrackingData = "campaign=spring",
        };
        AssertValid(MessageRules.Validate(request), MessageCategory.Promotional);
    }

    // ---- category rules ----

    [Fact]
    public void Transactional_with_image_button_and_qr_lists_all_three_as_not_allowed()
    {
        var request = Transactional() with
        {
            ImageUrl = "https://cdn.example.com/a.png",
            Button = Button(),
            Qr = "X",
        };

        var result = MessageRules.Validate(request);

        Assert.False(result.IsValid);
        Assert.Null(result.Errors);
        Assert.NotNull(result.NotAllowedFields);
        Assert.Equal(["image_url", "button", "qr"], result.NotAllowedFields);
    }

    [Fact]
    public void Transactional_with_image_only_lists_image_url()
    {
        var result = MessageRules.Validate(Transactional() with { ImageUrl = "https://cdn.example.com/a.png" });
        Assert.False(result.IsValid);
        Assert.Equal(["image_url"], result.NotAllowedFields!);
    }

    [Fact]
    public void Transactional_with_button_only_lists_button()
    {
        var result = MessageRules.Validate(Transactional() with { Button = Button() });
        Assert.False(result.IsValid);
        Assert.Equal(["button"], result.NotAllowedFields!);
    }

    [Fact]
    public void Transactional_with_qr_only_lists_qr()
    {
        var result = MessageRules.Validate(Transactional() with { Qr = "X" });
        Assert.False(result.IsValid);
        Assert.Equal(["qr"], result.NotAllowedFields!);
    }

    [Fact]
    public void Transactional_with_only_a_url_and_no_text_is_invalid()
    {
        var result = MessageRules.Validate(Transactional(text: null) with { Url = "https://example.com" });
        AssertInvalidField(result, "text");
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("Transactional")]
    [InlineData("PROMOTIONAL")]
    [InlineData("marketing")]
    [InlineData(" transactional")]
    public void Unknown_category_is_invalid(string? category)
    {
        var result = MessageRules.Validate(Transactional() with { Category = category });
        AssertInvalidField(result, "category");
    }

    // ---- text ----

    [Fact]
    public void Text_of_1000_characters_is_valid()
    {
        AssertValid(MessageRules.Validate(Transactional(new string('a', 1000))), MessageCategory.Transactional);
    }

    [Fact]
    public void Text_of_1001_characters_is_invalid()
    {
        AssertInvalidField(MessageRules.Validate(Transactional(new string('a', 1001))), "text");
    }

    [Fact]
    public void Empty_message_is_invalid()
    {
        var result = MessageRules.Validate(new SendMessageRequest { To = Phone, Category = "promotional" });
        AssertInvalidField(result, "text");
    }

    [Fact]
    public void Empty_text_alone_is_invalid()
    {
        AssertInvalidField(MessageRules.Validate(Promotional(text: "")), "text");
    }

    [Fact]
    public void Text_and_template_together_are_invalid()
    {
        var request = Transactional() with { Template = new TemplateReference { Id = "tpl_1" } };
        AssertInvalidField(MessageRules.Validate(request), "template");
    }

    [Fact]
    public void Template_without_id_is_invalid()
    {
        var request = Transactional(text: null) with { Template = new TemplateReference() };
        AssertInvalidField(MessageRules.Validate(request), "template.id");
    }

    // ---- recipient ----

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("447700900123")]
    [InlineData("+44 7700 900123")]
    [InlineData("+0447700900123")]
    [InlineData("+44770090012a")]
    [InlineData("+1234567890123456")]
    public void Bad_phone_number_is_invalid(string? to)
    {
        AssertInvalidField(MessageRules.Validate(Transactional() with { To = to }), "to");
    }

    // ---- urls ----

    [Theory]
    [InlineData("http://shop.example.com")]
    [InlineData("ftp://shop.example.com")]
    [InlineData("javascript:alert(1)")]
    [InlineData("shop.example.com/orders")]
    [InlineData("/orders/42")]
    [InlineData("")]
    public void Url_that_is_not_absolute_https_is_invalid(string url)
    {
        AssertInvalidField(MessageRules.Validate(Transactional() with { Url = url }), "url");
    }

    [Fact]
    public void Url_longer_than_the_limit_is_invalid()
    {
        var url = "https://example.com/" + new string('a', MessageRules.MaxUrlLength);
        AssertInvalidField(MessageRules.Validate(Transactional() with { Url = url }), "url");
    }

    [Fact]
    public void Http_image_url_is_invalid()
    {
        var request = Promotional() with { ImageUrl = "http://cdn.example.com/a.png" };
        AssertInvalidField(MessageRules.Validate(request), "image_url");
    }

    // ---- button ----

    [Theory]
    [InlineData("https://shop.example.com/sale")]
    [InlineData("app://orders/42")]
    [InlineData("myshop://cart")]
    public void Button_action_https_or_deep_link_is_valid(string action)
    {
        var request = Promotional() with { Button = Button(action: action) };
        AssertValid(MessageRules.Validate(request), MessageCategory.Promotional);
    }

    [Theory]
    [InlineData("javascript:alert(1)")]
    [InlineData("JavaScript:alert(1)")]
    [InlineData("javascript://%0aalert(1)")]
    [InlineData("javascript://example.com/%0aalert(1)")] // parses with "://"; the newline ends the // comment in a browser
    [InlineData("data://example.com/text/html")]
    [InlineData("blob://example.com/1")]
    [InlineData("http://shop.example.com/x")]
    [InlineData("data:text/html,<script>alert(1)</script>")]
    [InlineData("vbscript:msgbox(1)")]
    [InlineData("file:///etc/passwd")]
    [InlineData("http://shop.example.com")]
    [InlineData("mailto:a@example.com")]
    [InlineData("orders/42")]
    [InlineData("")]
    [InlineData(null)]
    public void Button_action_that_is_not_https_or_a_deep_link_is_invalid(string? action)
    {
        var request = Promotional() with { Button = Button(action: action) };
        AssertInvalidField(MessageRules.Validate(request), "button.action");
    }

    [Fact]
    public void Button_caption_of_30_characters_is_valid()
    {
        var request = Promotional() with { Button = Button(caption: new string('c', 30)) };
        AssertValid(MessageRules.Validate(request), MessageCategory.Promotional);
    }

    [Fact]
    public void Button_caption_of_31_characters_is_invalid()
    {
        var request = Promotional() with { Button = Button(caption: new string('c', 31)) };
        AssertInvalidField(MessageRules.Validate(request), "button.caption");
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void Button_caption_missing_is_invalid(string? caption)
    {
        var request = Promotional() with { Button = Button(caption: caption) };
        AssertInvalidField(MessageRules.Validate(request), "button.caption");
    }

    // ---- qr ----

    [Fact]
    public void Empty_qr_is_invalid()
    {
        AssertInvalidField(MessageRules.Validate(Promotional() with { Qr = "" }), "qr");
    }

    [Fact]
    public void Qr_at_the_limit_is_valid_and_one_over_is_invalid()
    {
        AssertValid(MessageRules.Validate(Promotional() with { Qr = new string('q', MessageRules.MaxQrLength) }), MessageCategory.Promotional);
        AssertInvalidField(MessageRules.Validate(Promotional() with { Qr = new string('q', MessageRules.MaxQrLength + 1) }), "qr");
    }

    // ---- ttl ----

    [Theory]
    [InlineData(30)]
    [InlineData(86_400)]
    [InlineData(1_209_600)]
    public void Ttl_inside_30_to_1209600_is_valid(int ttl)
    {
        AssertValid(MessageRules.Validate(Transactional() with { TtlSeconds = ttl }), MessageCategory.Transactional);
    }

    [Theory]
    [InlineData(29)]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(1_209_601)]
    [InlineData(int.MaxValue)]
    public void Ttl_outside_30_to_1209600_is_invalid(int ttl)
    {
        AssertInvalidField(MessageRules.Validate(Transactional() with { TtlSeconds = ttl }), "ttl_seconds");
    }

    [Fact]
    public void Ttl_constants_match_the_spec()
    {
        Assert.Equal(30, MessageRules.MinTtlSeconds);
        Assert.Equal(1_209_600, MessageRules.MaxTtlSeconds);
        Assert.Equal(86_400, MessageRules.DefaultTtlSeconds);
    }

    // ---- tracking data ----

    [Fact]
    public void Tracking_data_of_4096_characters_is_valid()
    {
        var request = Transactional() with { TrackingData = new string('t', 4096) };
        AssertValid(MessageRules.Validate(request), MessageCategory.Transactional);
    }

    [Fact]
    public void Tracking_data_of_4097_characters_is_invalid()
    {
        var request = Transactional() with { TrackingData = new string('t', 4097) };
        AssertInvalidField(MessageRules.Validate(request), "tracking_data");
    }

    // ---- several problems at once ----

    [Fact]
    public void Every_bad_field_is_reported_together()
    {
        var request = new SendMessageRequest
        {
            To = "nope",
            Category = "other",
            Text = new string('a', 1001),
            Url = "http://example.com",
            TtlSeconds = 1,
        };

        var result = MessageRules.Validate(request);

        Assert.False(result.IsValid);
        Assert.NotNull(result.Errors);
        Assert.Equal(
            new[] { "category", "text", "to", "ttl_seconds", "url" },
            result.Errors.Keys.Order(StringComparer.Ordinal).ToArray());
    }

    [Fact]
    public void Field_errors_take_precedence_over_category_rules()
    {
        // A transactional message with a rich field *and* a bad field reports the bad field, not the category problem.
        var request = Transactional() with { ImageUrl = "http://cdn.example.com/a.png" };
        AssertInvalidField(MessageRules.Validate(request), "image_url");
    }
}
