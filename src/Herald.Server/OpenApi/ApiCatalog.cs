using Herald.Core.Campaigns;
using Herald.Core.Messages;
using Herald.Server.Campaigns;
using Herald.Server.BusinessApi;
using Herald.Server.Consumer;
using Herald.Server.Operator;
using Herald.Storage;

namespace Herald.Server.OpenApi;

/// <summary>
/// Every public endpoint, with the records it reads and writes. The OpenAPI document is generated from this list and
/// those records' JSON shapes; a test checks the list against the endpoints actually mapped, so neither can drift.
/// </summary>
public static class ApiCatalog
{
    private static readonly string[] s_business = ["unauthorized", "ip_not_allowed"];
    private static readonly string[] s_send = [.. s_business, "invalid_request", "content_not_allowed_for_category", "template_required",
        "template_not_approved", "rate_limited", "idempotency_conflict", "payload_too_large"];
    private static readonly string[] s_operator = ["unauthorized"];
    private static readonly string[] s_device = ["unauthorized"];

    /// <summary>Fields a request must carry (the records are all-optional so validation can name every missing field).</summary>
    public static IReadOnlyDictionary<Type, string[]> RequiredFields { get; } = new Dictionary<Type, string[]>
    {
        [typeof(SendMessageRequest)] = ["to", "category"],
        [typeof(BatchRequest)] = ["messages"],
        [typeof(CreateCampaignRequest)] = ["name", "message"],
        [typeof(TemplateRequest)] = ["name", "text"],
        [typeof(WebhookRequest)] = ["url"],
        [typeof(RejectRequest)] = ["reason"],
        [typeof(PolicyRequest)] = ["transactional_requires_template"],
        [typeof(CodeRequest)] = ["phone"],
        [typeof(SignInRequest)] = ["phone", "code"],
        [typeof(RestrictionRequest)] = ["restricted"],
    };

    public static IReadOnlyList<ApiOperation> Operations { get; } =
    [
        new("POST", "/v1/messages", "sendMessage", Caller.Business, "Send one message", typeof(SendMessageRequest), 202, typeof(AcceptedMessage), s_send,
            Description: "Honours `Idempotency-Key`: the same key with the same body within 24 h returns the first answer; with another body, 409."),
        new("POST", "/v1/messages/batch", "sendBatch", Caller.Business, "Send up to 1000 messages", typeof(BatchRequest), 200, typeof(BatchResponse),
            [.. s_business, "invalid_request", "rate_limited", "idempotency_conflict", "payload_too_large"],
            Description: "Each message gets its own result, in order: a `message_id` or an `error`. Only the valid ones are stored."),
        new("GET", "/v1/messages/{messageId}", "getMessageStatus", Caller.Business, "A message's status and times (never its content)", null, 200,
            typeof(MessageStatusView), [.. s_business, "not_found"]),
        new("POST", "/v1/templates", "submitTemplate", Caller.Business, "Submit a template for review", typeof(TemplateRequest), 201, typeof(TemplateView),
            [.. s_business, "invalid_request"], Description: "`text` uses `{{placeholders}}`; the template is `pending` until the operator decides."),
        new("GET", "/v1/templates", "listTemplates", Caller.Business, "This business's templates", null, 200, typeof(List<TemplateView>), s_business),
        new("GET", "/v1/templates/{templateId}", "getTemplate", Caller.Business, "One of this business's templates", null, 200, typeof(TemplateView),
            [.. s_business, "not_found"]),
        new("GET", "/v1/profile", "getProfile", Caller.Business, "The sender profile as consumers see it", null, 200, typeof(SenderProfile), s_business),
        new("PUT", "/v1/webhook", "setWebhook", Caller.Business, "Set the callback URL", typeof(WebhookRequest), 200, typeof(WebhookView),
            [.. s_business, "invalid_request"], Description: "The answer carries the signing `secret`; it is kept when the URL changes."),
        new("POST", "/v1/webhook/secret/rotate", "rotateWebhookSecret", Caller.Business, "Issue a new webhook signing secret", typeof(RotateSecretRequest), 200,
            typeof(RotatedSecretView), [.. s_business, "invalid_request", "not_found"],
            Description: "The replaced secret keeps signing too (a second `v1,` signature in `webhook-signature`) until `previous_secret_expires_at`: "
                + "`overlap_seconds` in the optional body, 0 to 604800, default 86400. 404 when no webhook is set."),
        new("GET", "/v1/stats/daily", "getDailyStats", Caller.Business, "Delivery funnel per UTC day", null, 200, typeof(DailyStatsView),
            [.. s_business, "invalid_request"], [("days", "integer", "1 to 90 days, today included (default 14)")],
            "For the messages accepted each day: how many were delivered (seen included), seen, expired and failed so far."),
        new("GET", "/v1/webhook/deliveries", "getWebhookDeliveries", Caller.Business, "Webhook delivery log", null, 200, typeof(DeliveryLogView),
            [.. s_business, "invalid_request"],
            [("limit", "integer", "1 to 500 (default 50)"), ("before", "integer", "page back: the last `seq` seen")],
            "Callback events, newest first: `pending` ones with their attempts and next retry, `sent` and `abandoned` ones."),
        new("POST", "/v1/campaigns", "createCampaign", Caller.Business, "Create a campaign (a draft)", typeof(CreateCampaignRequest), 201, typeof(CampaignView),
            [.. s_business, "invalid_request", "content_not_allowed_for_category", "template_not_approved", "rate_above_limit"],
            Description: "`message` is the body of POST /v1/messages without `to`; with a template, each recipient's params come from the audience's columns. "
                + "`rate_per_second` defaults to, and may not exceed, the business's rate limit."),
        new("GET", "/v1/campaigns", "listCampaigns", Caller.Business, "This business's campaigns, newest first", null, 200, typeof(List<CampaignView>), s_business),
        new("GET", "/v1/campaigns/{campaignId}", "getCampaign", Caller.Business, "A campaign with its progress and funnel", null, 200, typeof(CampaignView),
            [.. s_business, "not_found"]),
        new("PUT", "/v1/campaigns/{campaignId}/audience", "uploadAudience", Caller.Business, "Upload a draft's audience (text/csv)", null, 200, typeof(AudienceReport),
            [.. s_business, "not_found", "invalid_request", "invalid_csv", "campaign_not_editable", "template_not_approved", "audience_too_large", "payload_too_large"],
            Description: "Body: CSV with a header row naming `phone` and, for a template campaign, one column per placeholder; up to 1,000,000 lines, "
                + "read as it streams. Replaces the previous audience. Bad lines are skipped and counted; the first 100 are listed with their line number and reason."),
        new("POST", "/v1/campaigns/{campaignId}/start", "startCampaign", Caller.Business, "Start a draft now, or at `start_at`", typeof(StartCampaignRequest), 200,
            typeof(CampaignView), [.. s_business, "not_found", "invalid_request", "audience_empty", "campaign_state_conflict"]),
        new("POST", "/v1/campaigns/{campaignId}/pause", "pauseCampaign", Caller.Business, "Pause a running or scheduled campaign", null, 200, typeof(CampaignView),
            [.. s_business, "not_found", "campaign_state_conflict"]),
        new("POST", "/v1/campaigns/{campaignId}/resume", "resumeCampaign", Caller.Business, "Resume a paused campaign", null, 200, typeof(CampaignView),
            [.. s_business, "not_found", "campaign_state_conflict"]),
        new("POST", "/v1/campaigns/{campaignId}/cancel", "cancelCampaign", Caller.Business, "Cancel a campaign; queued recipients are dropped", null, 200,
            typeof(CampaignView), [.. s_business, "not_found", "campaign_state_conflict"]),
        new("GET", "/v1/campaigns/{campaignId}/recipients.csv", "exportCampaignRecipients", Caller.Business, "Per-recipient statuses as CSV (metadata only)",
            null, 200, null, [.. s_business, "not_found"],
            Description: "text/csv: line, phone, message_id, status, reason, accepted_at, delivered_at, seen_at, ended_at."),

        new("POST", "/admin/v1/businesses", "createBusiness", Caller.Operator, "Create a business", typeof(BusinessInput), 201, typeof(BusinessView),
            [.. s_operator, "invalid_request", "conflict"]),
        new("GET", "/admin/v1/businesses", "listBusinesses", Caller.Operator, "Every business", null, 200, typeof(List<BusinessView>), s_operator),
        new("GET", "/admin/v1/businesses/{businessId}", "getBusiness", Caller.Operator, "One business", null, 200, typeof(BusinessView), [.. s_operator, "not_found"]),
        new("PATCH", "/admin/v1/businesses/{businessId}", "updateBusiness", Caller.Operator, "Change a business (fields present only)", typeof(BusinessInput), 200,
            typeof(BusinessView), [.. s_operator, "invalid_request", "not_found"]),
        new("POST", "/admin/v1/businesses/{businessId}/keys", "issueKey", Caller.Operator, "Issue an API key (shown this once)", null, 201, typeof(IssuedKey),
            [.. s_operator, "not_found"]),
        new("GET", "/admin/v1/businesses/{businessId}/keys", "listKeys", Caller.Operator, "A business's key ids and dates", null, 200, typeof(List<ApiKeyInfo>),
            [.. s_operator, "not_found"]),
        new("DELETE", "/admin/v1/businesses/{businessId}/keys/{keyId}", "revokeKey", Caller.Operator, "Revoke a key at once", null, 204, null, [.. s_operator, "not_found"]),
        new("GET", "/admin/v1/templates", "reviewQueue", Caller.Operator, "Templates to review", null, 200, typeof(List<TemplateView>), [.. s_operator, "invalid_request"],
            [("status", "string", "pending, approved or rejected"), ("business_id", "string", "one business only")]),
        new("POST", "/admin/v1/templates/{templateId}/approve", "approveTemplate", Caller.Operator, "Approve a pending template", null, 200, typeof(TemplateView),
            [.. s_operator, "not_found", "conflict"]),
        new("POST", "/admin/v1/templates/{templateId}/reject", "rejectTemplate", Caller.Operator, "Reject a pending template, with the reason", typeof(RejectRequest), 200,
            typeof(TemplateView), [.. s_operator, "invalid_request", "not_found", "conflict"]),
        new("GET", "/admin/v1/policies", "listPolicies", Caller.Operator, "Country policies", null, 200, typeof(List<CountryPolicy>), s_operator),
        new("PUT", "/admin/v1/policies/{callingCode}", "setPolicy", Caller.Operator, "Set a country policy", typeof(PolicyRequest), 200, typeof(CountryPolicy),
            [.. s_operator, "invalid_request"]),
        new("GET", "/admin/v1/audit", "auditLog", Caller.Operator, "Audit log, newest first", null, 200, typeof(List<AuditRecord>), [.. s_operator, "invalid_request"],
            [("limit", "integer", "1 to 1000 (default 100)"), ("before", "integer", "page back: the last `seq` seen")]),

        new("POST", "/consumer/v1/sign-in/code", "requestCode", Caller.Anyone, "Send a sign-in code to a phone", typeof(CodeRequest), 202, typeof(CodeSent),
            ["invalid_request", "code_delivery_unavailable"]),
        new("POST", "/consumer/v1/sign-in", "signIn", Caller.Anyone, "Sign in with the code: a new device", typeof(SignInRequest), 200, typeof(SignedIn),
            ["invalid_request", "invalid_code"]),
        new("DELETE", "/consumer/v1/devices/current", "signOut", Caller.Device, "Sign this device out", null, 204, null, s_device),
        new("GET", "/consumer/v1/ws", "deviceSocket", Caller.Device, "The device WebSocket", null, 101, null, ["invalid_request", .. s_device],
            Description: "Upgrade to a WebSocket; frames are described in docs/protocol.md. Browsers send `{\"type\":\"auth\",\"token\"}` first instead of the header."),
        new("GET", "/consumer/v1/senders", "listSenders", Caller.Device, "Senders that messaged me, and those I blocked", null, 200, typeof(List<SenderView>), s_device),
        new("POST", "/consumer/v1/senders/{businessId}/block", "blockSender", Caller.Device, "Block a sender", null, 204, null, [.. s_device, "not_found"]),
        new("POST", "/consumer/v1/senders/{businessId}/unblock", "unblockSender", Caller.Device, "Unblock a sender", null, 204, null, [.. s_device, "not_found"]),
        new("GET", "/consumer/v1/settings", "getSettings", Caller.Device, "My opt-outs", null, 200, typeof(SettingsView), s_device),
        new("PUT", "/consumer/v1/settings", "saveSettings", Caller.Device, "Change my opt-outs", typeof(SettingsRequest), 200, typeof(SettingsView),
            [.. s_device, "invalid_request"]),
        new("GET", "/consumer/v1/me/export", "exportMe", Caller.Device, "Everything held about me (GDPR Art. 15/20)", null, 200, typeof(ConsumerExport), s_device),
        new("DELETE", "/consumer/v1/me", "eraseMe", Caller.Device, "Erase me (GDPR Art. 17)", null, 204, null, s_device),
        new("PUT", "/consumer/v1/me/restriction", "restrictMe", Caller.Device, "Stop or resume processing (GDPR Art. 18)", typeof(RestrictionRequest), 200,
            typeof(RestrictionRequest), [.. s_device, "invalid_request"]),

        new("GET", "/health/live", "liveness", Caller.Anyone, "Live: the process and its writer loop run (503 when not)", null, 200, null, []),
        new("GET", "/health/ready", "readiness", Caller.Anyone,
            "Ready: the database answers, the writer is not stalled, NATS is connected, disk space is left (503 when not)", null, 200, null, []),
        new("GET", "/healthz", "health", Caller.Anyone, "The same as /health/ready (kept for existing probes)", null, 200, null, []),
        new("GET", "/metrics", "metrics", Caller.Operator, "Prometheus metrics (docs/operations.md lists them)", null, 200, null, s_operator),
        new("GET", "/openapi/v1.json", "openApi", Caller.Anyone, "This document", null, 200, null, []),
    ];
}
