using System.ComponentModel.DataAnnotations;
using System.Text.RegularExpressions;
using Herald.Core.Messages;
using Herald.Core.Network;

namespace Herald.Server.Operator;

/// <summary>
/// The operator's create/update body for a business. On update only the fields present change. The business API
/// has no way to send this: <c>verified</c>, <c>allowed_ips</c> and the rate limit are the operator's alone.
/// </summary>
/// <remarks>The attributes describe <see cref="Validate"/>'s rules in the OpenAPI document; nothing validates by them.</remarks>
public sealed partial record BusinessInput
{
    public const string IdPatternText = "^[a-z0-9_-]{3,64}$";
    public const int MaxNameLength = 100;
    public const int MaxDescriptionLength = 1000;
    public const int MaxAllowedIps = 1000;
    public const int MaxRateLimit = 1_000_000;

    [RegularExpression(IdPatternText)] public string? BusinessId { get; init; }
    [MinLength(1), MaxLength(MaxNameLength)] public string? Name { get; init; }
    [MaxLength(MessageRules.MaxUrlLength)] public string? LogoUrl { get; init; }
    [MaxLength(MaxDescriptionLength)] public string? Description { get; init; }
    [MaxLength(MessageRules.MaxUrlLength)] public string? LearnMoreUrl { get; init; }
    public bool? Verified { get; init; }
    [MaxLength(MaxAllowedIps)] public List<string>? AllowedIps { get; init; }
    public bool? TwoWay { get; init; }
    [Range(1, MaxRateLimit)] public int? RateLimitPerSecond { get; init; }

    public Dictionary<string, string> Validate(bool creating)
    {
        var errors = new Dictionary<string, string>();
        if (creating && string.IsNullOrWhiteSpace(Name))
            errors["name"] = "required";
        if (Name is { Length: > MaxNameLength } || Name is not null && string.IsNullOrWhiteSpace(Name))
            errors["name"] = $"1 to {MaxNameLength} characters";
        if (BusinessId is not null && !IdPattern().IsMatch(BusinessId))
            errors["business_id"] = "3 to 64 characters: lower-case letters, digits, '-' and '_'";
        if (Description is { Length: > MaxDescriptionLength })
            errors["description"] = $"at most {MaxDescriptionLength} characters";
        CheckUrl(LogoUrl, "logo_url", errors);
        CheckUrl(LearnMoreUrl, "learn_more_url", errors);
        if (AllowedIps is not null)
        {
            IpAllowlist.Parse(AllowedIps, out var invalid);
            if (invalid.Count > 0)
                errors["allowed_ips"] = $"not an IP address or CIDR range (host names are not accepted): {string.Join(", ", invalid)}";
            else if (AllowedIps.Count > MaxAllowedIps)
                errors["allowed_ips"] = $"at most {MaxAllowedIps} entries";
        }
        if (RateLimitPerSecond is < 1 or > MaxRateLimit)
            errors["rate_limit_per_second"] = $"1 to {MaxRateLimit}";
        return errors;
    }

    private static void CheckUrl(string? value, string field, Dictionary<string, string> errors)
    {
        if (value is not null && (value.Length > MessageRules.MaxUrlLength || !Urls.TryParseAbsolute(value, out var uri) || uri.Scheme != Uri.UriSchemeHttps))
            errors[field] = "must be an absolute https:// URL";
    }

    [GeneratedRegex(IdPatternText)]
    private static partial Regex IdPattern();
}
