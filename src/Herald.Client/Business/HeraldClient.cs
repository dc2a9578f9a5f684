using System.Globalization;
using Herald.Client.Http;

namespace Herald.Client;

/// <summary>
/// The business API (<c>/v1</c>) with an API key: send messages, read their status, manage templates and the
/// webhook, read the delivery funnel and the webhook delivery log. Thread-safe; keep one per key.
/// </summary>
public sealed partial class HeraldClient : IDisposable
{
    private readonly ApiTransport _api;
    private readonly HttpClient? _owned;

    /// <summary>A client with its own <see cref="HttpClient"/>.</summary>
    public HeraldClient(HeraldClientOptions options)
        : this(new HttpClient(), options) => _owned = _api.Http;

    /// <summary>A client over your <see cref="HttpClient"/> (from IHttpClientFactory, say); its BaseAddress is set from the options.</summary>
    public HeraldClient(HttpClient http, HeraldClientOptions options) =>
        _api = new ApiTransport(http, options);

    /// <summary>
    /// Sends one message. Without <paramref name="idempotencyKey"/> a fresh key is made, so retries inside this call
    /// never send twice; pass your own (your order id, say) to make repeated calls safe too.
    /// </summary>
    /// <exception cref="HeraldApiException">the message was refused (invalid, not allowed, rate limited …)</exception>
    public Task<SendResult> SendAsync(OutgoingMessage message, string? idempotencyKey = null, CancellationToken cancel = default) =>
        _api.Send(HttpMethod.Post, "v1/messages", ApiTransport.Json(message, ClientJson.Default.OutgoingMessage), ClientJson.Default.SendResult,
            cancel, idempotencyKey ?? NewKey());

    /// <summary>Sends up to 1000 messages in one request; each gets its own result, in order.</summary>
    public Task<BatchResult> SendBatchAsync(IReadOnlyList<OutgoingMessage> messages, string? idempotencyKey = null, CancellationToken cancel = default) =>
        _api.Send(HttpMethod.Post, "v1/messages/batch", ApiTransport.Json(new BatchRequest(messages), ClientJson.Default.BatchRequest),
            ClientJson.Default.BatchResult, cancel, idempotencyKey ?? NewKey());

    /// <summary>The status and times of one of this business's messages.</summary>
    public Task<MessageStatusInfo> GetStatusAsync(string messageId, CancellationToken cancel = default) =>
        _api.Send(HttpMethod.Get, "v1/messages/" + Uri.EscapeDataString(messageId), null, ClientJson.Default.MessageStatusInfo, cancel);

    /// <summary>Submits a template for the operator's review.</summary>
    public Task<Template> SubmitTemplateAsync(string name, string text, CancellationToken cancel = default) =>
        _api.Send(HttpMethod.Post, "v1/templates", ApiTransport.Json(new TemplateRequest(name, text), ClientJson.Default.TemplateRequest),
            ClientJson.Default.Template, cancel);

    /// <summary>This business's templates, with their review status.</summary>
    public Task<List<Template>> ListTemplatesAsync(CancellationToken cancel = default) =>
        _api.Send(HttpMethod.Get, "v1/templates", null, ClientJson.Default.ListTemplate, cancel);

    /// <summary>One of this business's templates.</summary>
    public Task<Template> GetTemplateAsync(string templateId, CancellationToken cancel = default) =>
        _api.Send(HttpMethod.Get, "v1/templates/" + Uri.EscapeDataString(templateId), null, ClientJson.Default.Template, cancel);

    /// <summary>The sender profile as consumers see it.</summary>
    public Task<SenderProfile> GetProfileAsync(CancellationToken cancel = default) =>
        _api.Send(HttpMethod.Get, "v1/profile", null, ClientJson.Default.SenderProfile, cancel);

    /// <summary>Sets the callback URL; the answer carries the signing secret.</summary>
    public Task<WebhookSettings> SetWebhookAsync(Uri url, CancellationToken cancel = default) =>
        _api.Send(HttpMethod.Put, "v1/webhook", ApiTransport.Json(new WebhookRequest(url.ToString()), ClientJson.Default.WebhookRequest),
            ClientJson.Default.WebhookSettings, cancel);

    /// <summary>
    /// Issues a new webhook signing secret. The replaced one keeps signing too (a second signature) for
    /// <paramref name="overlap"/> (default 24 hours, at most a week; zero stops it at once, for a leaked secret), so a
    /// receiver can switch secrets without refusing a callback. Not retried after a lost answer: a second rotation
    /// would end the first secret's overlap.
    /// </summary>
    public Task<RotatedWebhookSecret> RotateWebhookSecretAsync(TimeSpan? overlap = null, CancellationToken cancel = default) =>
        _api.Send(HttpMethod.Post, "v1/webhook/secret/rotate",
            ApiTransport.Json(new RotateSecretRequest(overlap is { } o ? (int)o.TotalSeconds : null), ClientJson.Default.RotateSecretRequest),
            ClientJson.Default.RotatedWebhookSecret, cancel);

    /// <summary>
    /// Queues a <c>webhook.test</c> event for the webhook: it is signed, batched, retried and logged like every event,
    /// so a receiver that takes it takes the real ones. Throws <see cref="HeraldApiException"/> <c>not_found</c> when no
    /// webhook is set.
    /// </summary>
    public Task<WebhookTestEvent> SendWebhookTestEventAsync(CancellationToken cancel = default) =>
        _api.Send(HttpMethod.Post, "v1/webhook/test", null, ClientJson.Default.WebhookTestEvent, cancel);

    /// <summary>
    /// Sends an event from the webhook delivery log again, in a new POST (new <c>webhook-id</c>, same <c>event_id</c>).
    /// Throws <see cref="HeraldApiException"/> <c>not_found</c>, <c>replay_pending</c> or <c>content_gone</c>.
    /// </summary>
    public Task<WebhookReplay> ReplayWebhookDeliveryAsync(string eventId, CancellationToken cancel = default) =>
        _api.Send(HttpMethod.Post, "v1/webhook/deliveries/" + Uri.EscapeDataString(eventId) + "/replay", null, ClientJson.Default.WebhookReplay, cancel);

    /// <summary>The delivery funnel for the last <paramref name="days"/> UTC days (today included), oldest first.</summary>
    public async Task<IReadOnlyList<DailyStats>> GetDailyStatsAsync(int days = 14, MessageCategory? category = null, CancellationToken cancel = default) =>
        (await _api.Send(HttpMethod.Get, "v1/stats/daily?days=" + days.ToString(CultureInfo.InvariantCulture)
            + (category is { } only ? "&category=" + only.ToString().ToLowerInvariant() : ""), null, ClientJson.Default.DailyStatsAnswer, cancel)).Days;

    /// <summary>The webhook delivery log, newest first; pass the last <see cref="WebhookDelivery.Seq"/> as <paramref name="before"/> to page back.</summary>
    public Task<WebhookDeliveryLog> GetWebhookDeliveriesAsync(int limit = 50, long? before = null, CancellationToken cancel = default)
    {
        var query = "v1/webhook/deliveries?limit=" + limit.ToString(CultureInfo.InvariantCulture)
            + (before is { } b ? "&before=" + b.ToString(CultureInfo.InvariantCulture) : "");
        return _api.Send(HttpMethod.Get, query, null, ClientJson.Default.WebhookDeliveryLog, cancel);
    }

    private static string NewKey() => "sdk-" + Guid.NewGuid().ToString("N");

    /// <summary>Disposes the HttpClient if this client made it.</summary>
    public void Dispose() => _owned?.Dispose();
}
