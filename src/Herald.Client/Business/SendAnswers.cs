namespace Herald.Client;

/// <summary>A message Herald accepted; its fate arrives later at the webhook, or by <see cref="HeraldClient.GetStatusAsync"/>.</summary>
/// <param name="MessageId">Herald's id for the message (<c>msg_…</c>)</param>
/// <param name="Status">always <c>accepted</c> here</param>
public sealed record SendResult(string MessageId, string Status);

/// <summary>The answer to a batch: one result per message, in the order they were sent.</summary>
/// <param name="Results">the accepted ones carry a message id, the refused ones an error</param>
public sealed record BatchResult(IReadOnlyList<BatchItemResult> Results)
{
    /// <summary>How many of the messages were accepted.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public int Accepted => Results.Count(r => r.MessageId is not null);
}

/// <summary>One message of a batch: accepted with an id, or refused with an error.</summary>
/// <param name="MessageId">set when accepted</param>
/// <param name="Error">set when refused</param>
public sealed record BatchItemResult(string? MessageId, BatchItemError? Error);

/// <summary>Why one message of a batch was refused.</summary>
/// <param name="Code">the stable error code, as for single sends</param>
/// <param name="Title">a short summary</param>
/// <param name="Detail">more, when there is more</param>
/// <param name="Errors">per-field problems for <c>invalid_request</c></param>
public sealed record BatchItemError(string Code, string Title, string? Detail, IReadOnlyDictionary<string, string>? Errors);

/// <summary>Where a message is. Never its content, which Herald does not keep.</summary>
/// <param name="MessageId">the message</param>
/// <param name="To">the recipient</param>
/// <param name="Category">transactional or promotional</param>
/// <param name="Status">accepted, delivered, seen, expired or failed</param>
/// <param name="Reason">for failed: not_registered, blocked, opted_out or restricted</param>
/// <param name="AcceptedAt">when Herald accepted it</param>
/// <param name="ExpiresAt">when it expires unless delivered</param>
/// <param name="DeliveredAt">when a device of the consumer acknowledged it</param>
/// <param name="SeenAt">when the consumer opened it</param>
/// <param name="ExpiredAt">when it expired</param>
/// <param name="FailedAt">when it failed</param>
/// <param name="CampaignId">the campaign that sent it, if one did</param>
public sealed record MessageStatusInfo(
    string MessageId, string To, string Category, string Status, string? Reason, DateTimeOffset AcceptedAt, DateTimeOffset ExpiresAt,
    DateTimeOffset? DeliveredAt, DateTimeOffset? SeenAt, DateTimeOffset? ExpiredAt, DateTimeOffset? FailedAt, string? CampaignId = null);
