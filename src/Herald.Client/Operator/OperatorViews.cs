namespace Herald.Client;

/// <summary>A business as the operator sees it (the webhook secret is never shown).</summary>
/// <param name="BusinessId">its id</param>
/// <param name="Name">display name</param>
/// <param name="LogoUrl">logo</param>
/// <param name="Description">short description</param>
/// <param name="LearnMoreUrl">where "Learn more" leads</param>
/// <param name="Verified">whether consumers see the verified tick</param>
/// <param name="AllowedIps">addresses and CIDR ranges its API keys may be used from</param>
/// <param name="TwoWay">whether consumers can reply</param>
/// <param name="RateLimitPerSecond">its own send limit, or null for the server's default</param>
/// <param name="CallbackUrl">its webhook, when set</param>
/// <param name="CreatedAt">created</param>
/// <param name="UpdatedAt">last changed</param>
public sealed record BusinessInfo(
    string BusinessId, string Name, string? LogoUrl, string? Description, string? LearnMoreUrl, bool Verified,
    IReadOnlyList<string> AllowedIps, bool TwoWay, int? RateLimitPerSecond, string? CallbackUrl, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

/// <summary>Fields to create a business with, or to change; null fields are left out (and, on update, keep their value).</summary>
public sealed record BusinessChanges
{
    /// <summary>On create only: 3–64 of <c>a-z0-9_-</c>; generated when absent.</summary>
    public string? BusinessId { get; init; }

    /// <summary>Display name (required on create).</summary>
    public string? Name { get; init; }

    /// <summary>An https:// logo.</summary>
    public string? LogoUrl { get; init; }

    /// <summary>Up to 1000 characters.</summary>
    public string? Description { get; init; }

    /// <summary>An https:// page about the business.</summary>
    public string? LearnMoreUrl { get; init; }

    /// <summary>The verified tick.</summary>
    public bool? Verified { get; init; }

    /// <summary>IP addresses and CIDR ranges; an empty list admits nobody.</summary>
    public IReadOnlyList<string>? AllowedIps { get; init; }

    /// <summary>Whether consumers can reply.</summary>
    public bool? TwoWay { get; init; }

    /// <summary>Sends per second, 1 to 1000000.</summary>
    public int? RateLimitPerSecond { get; init; }
}

/// <summary>A new API key. <see cref="ApiKey"/> is shown this once: Herald keeps only its hash.</summary>
/// <param name="KeyId">the key's id, to revoke it later</param>
/// <param name="ApiKey">the key itself</param>
/// <param name="Name">its name, if given</param>
/// <param name="Scopes">what it may do (send, status, templates, webhook, campaigns, inbox)</param>
/// <param name="CreatedAt">issued</param>
/// <param name="ExpiresAt">when it stops working, if ever</param>
public sealed record IssuedApiKey(string KeyId, string ApiKey, string? Name, IReadOnlyList<string> Scopes, DateTimeOffset CreatedAt, DateTimeOffset? ExpiresAt);

/// <summary>What to issue a key with; null fields take the default (all scopes, never expires).</summary>
public sealed record KeyRequest
{
    /// <summary>A name to tell keys apart (up to 100 characters).</summary>
    public string? Name { get; init; }

    /// <summary>Some of send, status, templates, webhook, campaigns, inbox; null for all.</summary>
    public IReadOnlyList<string>? Scopes { get; init; }

    /// <summary>When the key stops working (401); null for never.</summary>
    public DateTimeOffset? ExpiresAt { get; init; }
}

/// <summary>An API key's name, scopes and dates (never the key).</summary>
/// <param name="KeyId">its id</param>
/// <param name="Name">its name, if given</param>
/// <param name="Scopes">what it may do</param>
/// <param name="CreatedAt">issued</param>
/// <param name="ExpiresAt">when it stops working, if ever</param>
/// <param name="LastUsedAt">last used (at most a minute behind), if ever</param>
/// <param name="RevokedAt">revoked, if it was</param>
public sealed record ApiKeyInfo(string KeyId, string? Name, IReadOnlyList<string> Scopes, DateTimeOffset CreatedAt, DateTimeOffset? ExpiresAt,
    DateTimeOffset? LastUsedAt, DateTimeOffset? RevokedAt);

/// <summary>The operator's rule for numbers starting with a country calling code.</summary>
/// <param name="CallingCode">1 to 3 digits, such as 44</param>
/// <param name="TransactionalRequiresTemplate">whether transactional messages there must use an approved template</param>
/// <param name="UpdatedAt">last set</param>
public sealed record CountryPolicy(string CallingCode, bool TransactionalRequiresTemplate, DateTimeOffset UpdatedAt);

/// <summary>One operator action in the audit log.</summary>
/// <param name="Seq">its place in the log; pass it as <c>before</c> to page back</param>
/// <param name="At">when</param>
/// <param name="Actor">the operator token's id (never the token)</param>
/// <param name="Action">business.create, key.issue, template.approve, policy.set, …</param>
/// <param name="Target">what it acted on</param>
/// <param name="Details">JSON of what changed</param>
public sealed record AuditRecord(long Seq, DateTimeOffset At, string Actor, string Action, string Target, string? Details);
