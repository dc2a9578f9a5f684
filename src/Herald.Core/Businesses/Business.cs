namespace Herald.Core.Businesses;

/// <summary>A sender. <see cref="Verified"/> is set by the operator only.</summary>
public sealed record Business
{
    public required string Id { get; init; }
    public required string Name { get; init; }
    public string? LogoUrl { get; init; }
    public string? Description { get; init; }
    public string? LearnMoreUrl { get; init; }
    public bool Verified { get; init; }
    public IReadOnlyList<string> AllowedIps { get; init; } = [];
    public bool TwoWay { get; init; }
    /// <summary>Sends per second; null means the operator's default.</summary>
    public int? RateLimitPerSecond { get; init; }
    public string? CallbackUrl { get; init; }
    public string? WebhookSecret { get; init; }
    /// <summary>The secret a rotation replaced: it signs too (a second signature) until <see cref="WebhookPreviousUntil"/>.</summary>
    public string? WebhookPreviousSecret { get; init; }
    public DateTimeOffset? WebhookPreviousUntil { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }

    /// <summary>The secrets that sign a callback sent at <paramref name="now"/>: the current one first, then a rotated-out one still in its overlap.</summary>
    public IReadOnlyList<string> SigningSecrets(DateTimeOffset now) =>
        WebhookSecret is null ? []
        : WebhookPreviousSecret is not null && WebhookPreviousUntil > now ? [WebhookSecret, WebhookPreviousSecret]
        : [WebhookSecret];
}
