using System.Text.Json.Serialization;

namespace Herald.Client;

/// <summary>What a message is for; it decides which content it may carry.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<MessageCategory>))]
public enum MessageCategory
{
    /// <summary>Text (or a template) and at most one link: no image, button or QR code.</summary>
    [JsonStringEnumMemberName("transactional")]
    Transactional,

    /// <summary>May carry text, an image, a button and a QR code.</summary>
    [JsonStringEnumMemberName("promotional")]
    Promotional,

    /// <summary>
    /// A free-form answer within 24 hours of the consumer's latest reply: the content a promotional message may carry,
    /// no template needed. Refused with <c>session_closed</c> outside the window.
    /// </summary>
    [JsonStringEnumMemberName("session")]
    Session,
}

/// <summary>What a message carries, for one recipient (<see cref="OutgoingMessage"/>) or a campaign's (<see cref="CampaignMessage"/>).</summary>
public abstract record MessageContent
{
    /// <summary>Transactional or promotional.</summary>
    public required MessageCategory Category { get; init; }

    /// <summary>Up to 1000 characters.</summary>
    public string? Text { get; init; }

    /// <summary>An optional https:// link.</summary>
    public string? Url { get; init; }

    /// <summary>An https:// image (promotional only).</summary>
    public string? ImageUrl { get; init; }

    /// <summary>A button (promotional only).</summary>
    public MessageButton? Button { get; init; }

    /// <summary>A payload the consumer's app shows as a QR code (promotional only).</summary>
    public string? Qr { get; init; }

    /// <summary>How long Herald tries to deliver: 30 to 1209600 seconds (default 86400).</summary>
    public int? TtlSeconds { get; init; }

    /// <summary>Up to 4096 characters of your own, echoed in every callback about the message.</summary>
    public string? TrackingData { get; init; }
}

/// <summary>A message to send (<c>POST /v1/messages</c>). Leave out what you do not use.</summary>
public sealed record OutgoingMessage : MessageContent
{
    /// <summary>The recipient's E.164 phone number, such as <c>+447700900123</c>.</summary>
    public required string To { get; init; }

    /// <summary>An approved template and its parameters, instead of <see cref="MessageContent.Text"/>.</summary>
    public TemplateUse? Template { get; init; }
}

/// <summary>A button under a promotional message.</summary>
/// <param name="Caption">up to 30 characters</param>
/// <param name="Action">an https:// URL or an app deep link such as <c>app://orders/42</c></param>
public sealed record MessageButton(string Caption, string Action);

/// <summary>Which template to render and with what.</summary>
/// <param name="Id">an approved template of the sender</param>
/// <param name="Params">a value for every <c>{{placeholder}}</c> in the template</param>
public sealed record TemplateUse(string Id, IReadOnlyDictionary<string, string> Params);
