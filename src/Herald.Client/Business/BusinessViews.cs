namespace Herald.Client;

/// <summary>A template: text with <c>{{placeholders}}</c>, usable once the operator approves it.</summary>
/// <param name="Id">the template's id (<c>tpl_…</c>)</param>
/// <param name="BusinessId">the business it belongs to</param>
/// <param name="Name">its name</param>
/// <param name="Text">its text</param>
/// <param name="Params">the placeholders a send must fill</param>
/// <param name="Status">pending, approved or rejected</param>
/// <param name="Reason">why it was rejected</param>
/// <param name="CreatedAt">when it was submitted</param>
/// <param name="DecidedAt">when the operator decided</param>
public sealed record Template(
    string Id, string BusinessId, string Name, string Text, IReadOnlyList<string> Params, string Status, string? Reason,
    DateTimeOffset CreatedAt, DateTimeOffset? DecidedAt);

/// <summary>A sender as consumers see it on every message.</summary>
/// <param name="BusinessId">the sender's id</param>
/// <param name="Name">its display name</param>
/// <param name="LogoUrl">its logo</param>
/// <param name="Description">a short description</param>
/// <param name="LearnMoreUrl">where "Learn more" leads</param>
/// <param name="Verified">set by the operator only</param>
/// <param name="TwoWay">whether consumers can reply</param>
public sealed record SenderProfile(
    string BusinessId, string Name, string? LogoUrl, string? Description, string? LearnMoreUrl, bool Verified, bool TwoWay);

/// <summary>The callback URL and the secret that signs every callback (see <see cref="WebhookVerifier"/>).</summary>
/// <param name="Url">where callbacks go</param>
/// <param name="Secret">the signing secret; it stays the same when the URL changes</param>
public sealed record WebhookSettings(string Url, string Secret);

/// <summary>A new webhook signing secret (see <see cref="HeraldClient.RotateWebhookSecretAsync"/>).</summary>
/// <param name="Url">where callbacks go</param>
/// <param name="Secret">the new signing secret: it signs every callback from now on</param>
/// <param name="PreviousSecretExpiresAt">until when the replaced secret signs too</param>
public sealed record RotatedWebhookSecret(string Url, string Secret, DateTimeOffset PreviousSecretExpiresAt);

/// <summary>A test event queued for the webhook (see <see cref="HeraldClient.SendWebhookTestEventAsync"/>).</summary>
/// <param name="EventId">the event's <c>event_id</c>, as the receiver and the delivery log will show it</param>
/// <param name="Type">always <c>webhook.test</c></param>
public sealed record WebhookTestEvent(string EventId, string Type);

/// <summary>An event queued again (see <see cref="HeraldClient.ReplayWebhookDeliveryAsync"/>).</summary>
public sealed record WebhookReplay(string EventId);

/// <summary>One UTC day of sends: how many were accepted, and what has become of them so far.</summary>
/// <param name="Date">the UTC day the messages were accepted, <c>yyyy-MM-dd</c></param>
/// <param name="Accepted">every message accepted that day</param>
/// <param name="Delivered">of those, delivered to a device (seen ones included)</param>
/// <param name="Seen">of those, opened by the consumer</param>
/// <param name="Expired">of those, expired before delivery</param>
/// <param name="Failed">of those, failed (not registered, blocked, opted out, restricted)</param>
public sealed record DailyStats(string Date, int Accepted, int Delivered, int Seen, int Expired, int Failed);

/// <summary>The webhook delivery log: recent callback events and how their delivery went.</summary>
/// <param name="Url">the callback URL now set, or null</param>
/// <param name="Deliveries">newest first</param>
public sealed record WebhookDeliveryLog(string? Url, IReadOnlyList<WebhookDelivery> Deliveries);

/// <summary>One callback event in the delivery log. Its payload is not kept once delivered.</summary>
/// <param name="Seq">its place in the log; pass the last one seen as <c>before</c> to page back</param>
/// <param name="EventId">the event's id, as in the callback</param>
/// <param name="Type">delivered, seen, expired, failed, reply, …</param>
/// <param name="MessageId">the message it is about, when there is one</param>
/// <param name="Status">pending (still being tried), sent (acknowledged) or abandoned (retries ran out)</param>
/// <param name="Attempts">POSTs tried so far</param>
/// <param name="CreatedAt">when the event happened</param>
/// <param name="NextAttemptAt">for pending events: when the next try is due</param>
/// <param name="SentAt">when the receiver acknowledged it</param>
/// <param name="AbandonedAt">when Herald gave up</param>
/// <param name="LastError">what went wrong on the last failed try</param>
/// <param name="WebhookId">the <c>webhook-id</c> of the POST that carried the event (none before its first try)</param>
public sealed record WebhookDelivery(
    long Seq, string EventId, string Type, string? MessageId, string Status, int Attempts, DateTimeOffset CreatedAt,
    DateTimeOffset? NextAttemptAt, DateTimeOffset? SentAt, DateTimeOffset? AbandonedAt, string? LastError, string? WebhookId = null);
