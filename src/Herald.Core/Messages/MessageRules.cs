using Herald.Core.Network;

namespace Herald.Core.Messages;

/// <summary>Validates a send request against the spec's field and category rules.</summary>
public static class MessageRules
{
    public const int MaxTextLength = 1000;
    public const int MaxCaptionLength = 30;
    public const int MaxTrackingDataLength = 4096;
    public const int MaxUrlLength = 2048;
    public const int MaxQrLength = 2048; // a version-40 QR code holds at most ~2.9 KB; 2 KB keeps it scannable
    public const int MinTtlSeconds = 30;
    public const int MaxTtlSeconds = 1_209_600; // 14 days
    public const int DefaultTtlSeconds = 86_400;

    public static ValidationResult Validate(SendMessageRequest request)
    {
        var errors = new Dictionary<string, string>();
        if (string.IsNullOrEmpty(request.To))
            errors["to"] = "required";
        else if (!PhoneNumber.IsValid(request.To))
            errors["to"] = "must be an E.164 phone number such as +447700900123";

        if (!WireNames.TryParseCategory(request.Category, out var category))
            errors["category"] = "must be 'transactional', 'promotional' or 'session'";

        var hasBody = !string.IsNullOrEmpty(request.Text) || request.Template is not null
            || request.ImageUrl is not null || request.Button is not null || request.Qr is not null;
        if (!hasBody)
            errors["text"] = "a message needs text, a template, an image, a button or a QR payload";
        if (request.Text is not null && Characters(request.Text) > MaxTextLength)
            errors["text"] = $"at most {MaxTextLength} characters";
        if (!string.IsNullOrEmpty(request.Text) && request.Template is not null)
            errors["template"] = "send either text or a template, not both";
        if (request.Template is { } template && string.IsNullOrEmpty(template.Id))
            errors["template.id"] = "required";

        CheckHttpsUrl(request.Url, "url", errors);
        CheckHttpsUrl(request.ImageUrl, "image_url", errors);
        if (request.Button is { } button)
        {
            if (string.IsNullOrWhiteSpace(button.Caption))
                errors["button.caption"] = "required";
            else if (Characters(button.Caption) > MaxCaptionLength)
                errors["button.caption"] = $"at most {MaxCaptionLength} characters";
            if (!IsButtonAction(button.Action))
                errors["button.action"] = "must be an https:// URL or an app deep link such as app://orders/42";
        }
        if (request.Qr is not null && (request.Qr.Length == 0 || request.Qr.Length > MaxQrLength))
            errors["qr"] = $"1 to {MaxQrLength} characters";
        if (request.TtlSeconds is { } ttl && ttl is < MinTtlSeconds or > MaxTtlSeconds)
            errors["ttl_seconds"] = $"must be between {MinTtlSeconds} and {MaxTtlSeconds}";
        if (request.TrackingData is { Length: > MaxTrackingDataLength })
            errors["tracking_data"] = $"at most {MaxTrackingDataLength} characters";

        if (errors.Count > 0)
            return ValidationResult.Invalid(errors);

        if (category == MessageCategory.Transactional)
        {
            var rich = new List<string>();
            if (request.ImageUrl is not null) rich.Add("image_url");
            if (request.Button is not null) rich.Add("button");
            if (request.Qr is not null) rich.Add("qr");
            if (rich.Count > 0)
                return ValidationResult.NotAllowedForCategory(rich);
            if (request.Text is null && request.Template is null)
                return ValidationResult.Invalid(new() { ["text"] = "a transactional message needs text or a template" });
        }
        return ValidationResult.Valid(category);
    }

    /// <summary>Characters as a person counts them: an emoji is one, not the two UTF-16 units .NET strings use.</summary>
    public static int Characters(string text) => text.EnumerateRunes().Count();

    private static void CheckHttpsUrl(string? value, string field, Dictionary<string, string> errors)
    {
        if (value is null)
            return;
        if (value.Length > MaxUrlLength || !Urls.TryParseAbsolute(value, out var uri)
            || uri.Scheme != Uri.UriSchemeHttps || string.IsNullOrEmpty(uri.Host))
            errors[field] = "must be an absolute https:// URL";
    }

    private static bool IsButtonAction(string? value)
    {
        if (string.IsNullOrEmpty(value) || value.Length > MaxUrlLength
            || !Urls.TryParseAbsolute(value, out var uri))
            return false;
        // Deep links use the app's own scheme; script-ish schemes would run in the Messenger and are refused.
        return uri.Scheme == Uri.UriSchemeHttps
            || (uri.Scheme is not ("http" or "javascript" or "data" or "file" or "vbscript" or "blob") && value.Contains("://", StringComparison.Ordinal));
    }
}

public sealed record ValidationResult(
    MessageCategory Category,
    IReadOnlyDictionary<string, string>? Errors,
    IReadOnlyList<string>? NotAllowedFields)
{
    public bool IsValid => Errors is null && NotAllowedFields is null;

    public static ValidationResult Valid(MessageCategory category) => new(category, null, null);
    public static ValidationResult Invalid(Dictionary<string, string> errors) => new(default, errors, null);
    public static ValidationResult NotAllowedForCategory(List<string> fields) => new(default, null, fields);
}
