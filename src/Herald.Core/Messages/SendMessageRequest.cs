using System.ComponentModel.DataAnnotations;
namespace Herald.Core.Messages;

/// <summary>The body of <c>POST /v1/messages</c>, as the business sends it.</summary>
/// <remarks>
/// Every field is nullable so that <see cref="MessageRules"/>, not the parser, names each one that is missing. The
/// attributes only describe those rules in the OpenAPI document (nothing validates by them): keep them in step.
/// </remarks>
public sealed record SendMessageRequest
{
    [Required, RegularExpression(PhoneNumber.Pattern)] public string? To { get; init; }
    [Required, WireValues(WireSet.Category)] public string? Category { get; init; }
    [MaxLength(MessageRules.MaxTextLength)] public string? Text { get; init; }
    [Url, MaxLength(MessageRules.MaxUrlLength)] public string? Url { get; init; }
    [Url, MaxLength(MessageRules.MaxUrlLength)] public string? ImageUrl { get; init; }
    public MessageButton? Button { get; init; }
    [MinLength(1), MaxLength(MessageRules.MaxQrLength)] public string? Qr { get; init; }
    public TemplateReference? Template { get; init; }
    [Range(MessageRules.MinTtlSeconds, MessageRules.MaxTtlSeconds)] public int? TtlSeconds { get; init; }
    [MaxLength(MessageRules.MaxTrackingDataLength)] public string? TrackingData { get; init; }
}

public sealed record MessageButton
{
    [Required, MaxLength(MessageRules.MaxCaptionLength)] public string? Caption { get; init; }
    /// <summary>An https:// URL or an app deep link such as app://orders/42.</summary>
    [Required, Url, MaxLength(MessageRules.MaxUrlLength)] public string? Action { get; init; }
}

public sealed record TemplateReference
{
    [Required] public string? Id { get; init; }
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
