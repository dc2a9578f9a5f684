namespace Herald.Client;

/// <summary>
/// One event of a callback POST. Delivery is at least once: de-duplicate by <see cref="EventId"/>. For one message,
/// events arrive in lifecycle order.
/// </summary>
/// <param name="EventId">unique per event</param>
/// <param name="Type">delivered, seen, expired, failed, reply, unsubscribed, subscribed, template_approved, template_rejected, webhook.test</param>
/// <param name="MessageId">the message it is about</param>
/// <param name="TemplateId">the template it is about (template events)</param>
/// <param name="To">the consumer's number</param>
/// <param name="Timestamp">when it happened</param>
/// <param name="Reason">for failed: why; for template_rejected: the operator's reason</param>
/// <param name="TrackingData">what the send carried in <see cref="MessageContent.TrackingData"/></param>
/// <param name="Text">a reply's text</param>
/// <param name="Category">on a message's status events: transactional, promotional or session</param>
/// <param name="CampaignId">on a message's status events, when a campaign sent it</param>
public sealed record WebhookEvent(
    string EventId, string Type, string? MessageId, string? TemplateId, string? To, DateTimeOffset Timestamp,
    string? Reason, string? TrackingData, string? Text, string? Category = null, string? CampaignId = null);

/// <summary>The body of a callback POST.</summary>
/// <param name="Events">one or more events, oldest first</param>
public sealed record WebhookPayload(IReadOnlyList<WebhookEvent> Events);
