using System.Text.RegularExpressions;
using Herald.Core.Network;

namespace Herald.Server.Operator;

/// <summary>
/// The operator's create/update body for a business. On update only the fields present change. The business API
/// has no way to send this: <c>verified</c>, <c>allowed_ips</c> and the rate limit are the operator's alone.
/// </summary>
public sealed partial record BusinessInput
{
    public string? BusinessId { get; init; }
    public string? Name { get; init; }
    public string? LogoUrl { get; init; }
    public string? Description { get; init; }
    public string? LearnMoreUrl { get; init; }
    public bool? Verified { get; init; }
    public List<string>? AllowedIps { get; init; }
    public bool? TwoWay { get; init; }
    public int? RateLimitPerSecond { get; init; }

    public Dictionary<string, string> Validate(bool creating)
    {
        var errors = new Dictionary<string, string>();
        if (creating && string.IsNullOrWhiteSpace(Name))
            errors["name"] = "required";
        if (Name is { Length: > 100 } || Name is not null && string.IsNullOrWhiteSpace(Name))
            errors["name"] = "1 to 100 characters";
        if (BusinessId is not null && !IdPattern().IsMatch(BusinessId))
            errors["business_id"] = "3 to 64 characters: lower-case letters, digits, '-' and '_'";
        if (Description is { Length: > 1000 })
            errors["description"] = "at most 1000 characters";
        CheckUrl(LogoUrl, "logo_url", errors);
        CheckUrl(LearnMoreUrl, "learn_more_url", errors);
        if (AllowedIps is not null)
        {
            IpAllowlist.Parse(AllowedIps, out var invalid);
            if (invalid.Count > 0)
                errors["allowed_ips"] = $"not an IP address or CIDR range (host names are not accepted): {string.Join(", ", invalid)}";
            else if (AllowedIps.Count > 1000)
                errors["allowed_ips"] = "at most 1000 entries";
        }
        if (RateLimitPerSecond is < 1 or > 1_000_000)
            errors["rate_limit_per_second"] = "1 to 1000000";
        return errors;
    }

    private static void CheckUrl(string? value, string field, Dictionary<string, string> errors)
    {
        if (value is not null && (value.Length > 2048 || !Urls.TryParseAbsolute(value, out var uri) || uri.Scheme != Uri.UriSchemeHttps))
            errors[field] = "must be an absolute https:// URL";
    }

    [GeneratedRegex("^[a-z0-9_-]{3,64}$")]
    private static partial Regex IdPattern();
}
