using Herald.Core.Businesses;
using System.ComponentModel.DataAnnotations;
using System.Globalization;
using Herald.Core.Callbacks;
using Herald.Core.Messages;
using Herald.Server.Http;
using Herald.Server.OpenApi;
using Herald.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Herald.Server.BusinessApi;

/// <summary>
/// A business's view of its own traffic, for the Console and the CLI: the delivery funnel per day and the webhook
/// delivery log. Both read metadata only (never content) and only the calling business's rows.
/// </summary>
public static class ReportEndpoints
{
    private const int MaxDeliveries = 500;
    private const int MaxDays = 90; // metadata is kept 30 days by default; an operator may keep it longer

    public static void MapReportEndpoints(this RouteGroupBuilder v1)
    {
        v1.MapGet("/stats/daily", DailyStats).Answers<DailyStatsView>("getDailyStats", "Delivery funnel per UTC day")
            .WithDescription($"`days`: 1 to {MaxDays}, today included (default 14); `category`: only that category's messages. For the messages accepted each day: how many were delivered (seen included), seen, expired and failed so far.")
            .Errors("invalid_request")
            .RequiresScope(ApiScopes.Status);
        v1.MapGet("/webhook/deliveries", Deliveries).Answers<DeliveryLogView>("getWebhookDeliveries", "Webhook delivery log")
            .WithDescription("Callback events, newest first: `pending` ones with their attempts and next retry, `sent` and `abandoned` ones. `limit` 1 to 500 (default 50); `before`: the last `seq` seen, to page back.")
            .Errors("invalid_request")
            .RequiresScope(ApiScopes.Webhook);
    }

    /// <summary>
    /// <c>GET /v1/stats/daily?days=14&amp;category=session</c>: one entry per UTC day, oldest first, today included; days
    /// without sends count zero. With <c>category</c>, only that category's messages.
    /// </summary>
    private static IResult DailyStats([Range(1, MaxDays)] int? days, [WireValues(WireSet.Category)] string? category, HttpContext context, BusinessReports reports, TimeProvider time)
    {
        if (days is < 1 or > MaxDays)
            return Problems.Invalid("days", $"1 to {MaxDays}");
        if (category is not null && !WireNames.TryParseCategory(category, out _))
            return Problems.Invalid("category", $"one of {string.Join(", ", WireNames.Values(WireSet.Category))}");
        var count = days ?? 14;
        var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        var first = today.AddDays(1 - count);
        var found = reports.DailyFunnel(BusinessAuth.Current(context).Id, new DateTimeOffset(first.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero), category)
            .ToDictionary(d => d.Date);
        var series = Enumerable.Range(0, count).Select(i => first.AddDays(i)).Select(date =>
        {
            var d = found.GetValueOrDefault(date) ?? new DayFunnel(date, 0, 0, 0, 0, 0);
            return new DailyStatsDay(date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), d.Accepted, d.Delivered, d.Seen, d.Expired, d.Failed);
        });
        return TypedResults.Json(new DailyStatsView([.. series]), ApiJson.Options);
    }

    /// <summary><c>GET /v1/webhook/deliveries?limit=50&amp;before=SEQ</c>: the callback URL and the newest events with their delivery state.</summary>
    private static IResult Deliveries([Range(1, MaxDeliveries)] int? limit, long? before, HttpContext context, BusinessReports reports, BusinessStore businesses)
    {
        if (limit is < 1 or > MaxDeliveries)
            return Problems.Invalid("limit", $"1 to {MaxDeliveries}");
        var business = BusinessAuth.Current(context);
        var rows = reports.DeliveryLog(business.Id, limit ?? 50, before).Select(DeliveryView.Of).ToList();
        // The cached business may be seconds old; the URL is read fresh so a just-set webhook shows at once.
        return TypedResults.Json(new DeliveryLogView(businesses.Get(business.Id)?.CallbackUrl, rows), ApiJson.Options);
    }
}

public sealed record DailyStatsView(IReadOnlyList<DailyStatsDay> Days);

/// <param name="Date">the UTC day the messages were accepted</param>
/// <param name="Delivered">delivered to a device, seen ones included</param>
public sealed record DailyStatsDay(string Date, int Accepted, int Delivered, int Seen, int Expired, int Failed);

public sealed record DeliveryLogView(string? Url, IReadOnlyList<DeliveryView> Deliveries);

/// <param name="Status">pending (still being tried), sent (acknowledged) or abandoned (retries ran out)</param>
/// <param name="WebhookId">the webhook-id of the POST that carried the event (none before its first try)</param>
public sealed record DeliveryView(
    long Seq, string EventId, [property: WireValues(WireSet.CallbackEventType)] string Type, string? MessageId,
    [property: WireValues(WireSet.DeliveryState)] string Status, int Attempts, DateTimeOffset CreatedAt,
    DateTimeOffset? NextAttemptAt, DateTimeOffset? SentAt, DateTimeOffset? AbandonedAt, string? LastError, string? WebhookId)
{
    public static DeliveryView Of(DeliveryLogRow r) => new(
        r.Seq, r.EventId, r.Type, r.MessageId, r.SentAt is not null ? DeliveryStates.Sent : r.AbandonedAt is not null ? DeliveryStates.Abandoned : DeliveryStates.Pending,
        r.Attempts, r.CreatedAt, r.SentAt is null && r.AbandonedAt is null ? r.NextAttemptAt : null, r.SentAt, r.AbandonedAt, r.LastError, r.WebhookId);
}
