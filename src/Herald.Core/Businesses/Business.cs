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
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }
}
