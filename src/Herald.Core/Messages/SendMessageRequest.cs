namespace Herald.Core.Messages;

/// <summary>The body of <c>POST /v1/messages</c>, as the business sends it.</summary>
public sealed record SendMessageRequest
{
    public string? To { get; init; }
    public string? Category { get; init; }
    public string? Text { get; init; }
    public string? Url { get; init; }
    public string? ImageUrl { get; init; }
    public MessageButton? Button { get; init; }
    public string? Qr { get; init; }
    public TemplateReference? Template { get; init; }
    public int? TtlSeconds { get; init; }
    public string? TrackingData { get; init; }
}

public sealed record MessageButton
{
    public string? Caption { get; init; }
    public string? Action { get; init; }
}

public sealed record TemplateReference
{
    public string? Id { get; init; }
    public Dictionary<string, string>? Params { get; init; }
}

/// <summary>What a consumer's device shows; the only part of a message that is content (encrypted, then purged).</summary>
public sealed record MessageContent
{
    public string? Text { get; init; }
    public string? Url { get; init; }
    public string? ImageUrl { get; init; }
    public MessageButton? Button { get; init; }
    public string? Qr { get; init; }
}
