using CsCheck;
using Herald.Core.Messages;
using Herald.Fuzzing;

namespace Herald.Core.Tests.Fuzz;

public class MessageRulesFuzz
{
    private static readonly HashSet<string> s_fields =
        ["to", "category", "text", "template", "template.id", "url", "image_url", "button.caption", "button.action", "qr", "ttl_seconds", "tracking_data"];

    /// <summary>
    /// The scheme a browser reads (WHATWG URL: C0 controls and spaces trimmed at the ends, tabs and newlines dropped
    /// anywhere), written without System.Uri so that the two disagreeing would show.
    /// </summary>
    private static string? BrowserScheme(string value)
    {
        var text = new string(value.Trim(Enumerable.Range(0, 0x21).Select(c => (char)c).ToArray()).Where(c => c is not ('\t' or '\n' or '\r')).ToArray());
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        return colon <= 0 ? null : text[..colon].ToLowerInvariant();
    }

    private static bool IsHttps(string? value) => value is null || (value.Length <= MessageRules.MaxUrlLength && BrowserScheme(value) == "https");

    [Fact]
    public void Any_request_gets_exactly_one_verdict_and_every_refusal_names_a_field_and_a_reason() =>
        Requests.Any.Fuzz(request =>
        {
            var result = MessageRules.Validate(request);
            var verdicts = new[] { result.IsValid, result.Errors is not null, result.NotAllowedFields is not null }.Count(v => v);
            Assert.Equal(1, verdicts);
            foreach (var (field, reason) in result.Errors ?? new Dictionary<string, string>())
            {
                Assert.Contains(field, s_fields);
                Assert.False(string.IsNullOrWhiteSpace(reason));
            }
            if (result.NotAllowedFields is { } notAllowed)
            {
                Assert.NotEmpty(notAllowed);
                Assert.Subset(new HashSet<string> { "image_url", "button", "qr" }, notAllowed.ToHashSet());
            }
        }, 5_000);

    [Fact]
    public void An_accepted_request_follows_every_documented_rule() =>
        Gen.Frequency((2, Requests.Any), (1, Requests.Valid)).Fuzz(request =>
        {
            var result = MessageRules.Validate(request);
            if (!result.IsValid)
                return;
            Assert.True(PhoneNumber.IsValid(request.To));
            Assert.Equal(request.Category, WireNames.Of(result.Category));
            Assert.True(request.Text is null || MessageRules.Characters(request.Text) <= MessageRules.MaxTextLength);
            Assert.False(!string.IsNullOrEmpty(request.Text) && request.Template is not null);
            Assert.True(request.Template is null || !string.IsNullOrEmpty(request.Template.Id));
            Assert.True(IsHttps(request.Url) && IsHttps(request.ImageUrl), "URLs must be absolute https");
            Assert.True(request.Button is null || (!string.IsNullOrWhiteSpace(request.Button.Caption)
                && MessageRules.Characters(request.Button.Caption) <= MessageRules.MaxCaptionLength
                && request.Button.Action!.Contains("://", StringComparison.Ordinal)
                && BrowserScheme(request.Button.Action) is { } scheme && scheme is not ("javascript" or "data" or "vbscript" or "file" or "blob" or "http")));
            Assert.True(request.Qr is null || request.Qr.Length is >= 1 and <= MessageRules.MaxQrLength);
            Assert.True(request.TtlSeconds is null or >= MessageRules.MinTtlSeconds and <= MessageRules.MaxTtlSeconds);
            Assert.True(request.TrackingData is null || request.TrackingData.Length <= MessageRules.MaxTrackingDataLength);
            if (result.Category == MessageCategory.Transactional)
                Assert.True(request.ImageUrl is null && request.Button is null && request.Qr is null && (request.Text is not null || request.Template is not null));
        }, 5_000);

    [Fact]
    public void A_request_built_from_the_rules_is_accepted_in_its_category() =>
        Requests.Valid.Fuzz(request =>
        {
            var result = MessageRules.Validate(request);
            Assert.True(result.IsValid, string.Join("; ", result.Errors ?? new Dictionary<string, string>()));
            Assert.Equal(request.Category, WireNames.Of(result.Category));
        }, 3_000);

    /// <summary>Breaking one rule in a valid request is refused, with the error on that field.</summary>
    [Fact]
    public void Breaking_one_rule_is_refused_on_that_field() =>
        Gen.Select(Requests.Valid, Gen.Int[0, 6]).Fuzz(t =>
        {
            var (valid, rule) = t;
            var (broken, field) = rule switch
            {
                0 => (valid with { To = valid.To![..^1] + "x" }, "to"),
                1 => (valid with { Category = "Promotional" }, "category"),
                2 => (valid with { TtlSeconds = MessageRules.MaxTtlSeconds + 1 }, "ttl_seconds"),
                3 => (valid with { TrackingData = new string('t', MessageRules.MaxTrackingDataLength + 1) }, "tracking_data"),
                4 => (valid with { Url = "http://acme.example/" }, "url"),
                5 => (valid with { Text = FuzzText.Repeat("😀", 2 * (MessageRules.MaxTextLength + 1)), Template = null }, "text"),
                _ => (valid with { Qr = "" }, "qr"),
            };
            var result = MessageRules.Validate(broken);
            Assert.False(result.IsValid);
            Assert.True(result.Errors?.ContainsKey(field), $"expected an error on {field}");
        }, 2_000);
}
