namespace Herald.Core.Callbacks;

/// <summary>The <c>type</c> of a callback event (SPEC: Callbacks), in one place.</summary>
public static class CallbackEventTypes
{
    public const string Delivered = "delivered";
    public const string Seen = "seen";
    public const string Expired = "expired";
    public const string Failed = "failed";
    public const string Reply = "reply";
    public const string Unsubscribed = "unsubscribed";
    public const string Subscribed = "subscribed";
    public const string TemplateApproved = "template_approved";
    public const string TemplateRejected = "template_rejected";
    /// <summary>A test event the business asked for (<c>POST /v1/webhook/test</c>).</summary>
    public const string WebhookTest = "webhook.test";

    public static readonly IReadOnlyList<string> All =
        [Delivered, Seen, Expired, Failed, Reply, Unsubscribed, Subscribed, TemplateApproved, TemplateRejected, WebhookTest];
}
