using Herald.Core.Campaigns;
using Herald.Core.Messages;
using Herald.Storage;

namespace Herald.Server.Campaigns;

/// <summary>A campaign as the API shows it; <see cref="Progress"/> and <see cref="Funnel"/> only when one campaign is asked for.</summary>
public sealed record CampaignView(
    string Id, string Name, string Category, string? TemplateId, int RatePerSecond, string State, DateTimeOffset? StartAt,
    long Recipients, long BadRows, DateTimeOffset CreatedAt, DateTimeOffset? StartedAt, DateTimeOffset? EndedAt,
    CampaignProgress? Progress, CampaignFunnel? Funnel)
{
    public static CampaignView Of(Campaign c, CampaignCounts? counts) => new(
        c.Id, c.Name, WireNames.Of(c.Category), c.TemplateId, c.RatePerSecond, CampaignStates.Of(c.State), c.StartAt,
        c.Recipients, c.BadRows, c.CreatedAt, c.StartedAt, c.EndedAt,
        counts is null ? null : new CampaignProgress(Get(counts.Recipients, "queued"), Get(counts.Recipients, "accepted"),
            Get(counts.Recipients, "refused"), Get(counts.Recipients, "cancelled"), counts.Refused),
        counts is null ? null : new CampaignFunnel(Get(counts.Messages, "accepted"), Get(counts.Messages, "delivered") + Get(counts.Messages, "seen"),
            Get(counts.Messages, "seen"), Get(counts.Messages, "expired"), Get(counts.Messages, "failed"), counts.Failed));

    private static long Get(IReadOnlyDictionary<string, long> counts, string key) => counts.GetValueOrDefault(key);
}

/// <summary>Where the recipients are: still queued, accepted by the send path (a message was stored), refused by it (by problem code), or cancelled.</summary>
public sealed record CampaignProgress(long Queued, long Accepted, long Refused, long Cancelled, IReadOnlyDictionary<string, long> RefusedByCode);

/// <summary>The campaign's messages: waiting for a device, delivered (seen included), seen, expired, failed (by reason).</summary>
public sealed record CampaignFunnel(long Waiting, long Delivered, long Seen, long Expired, long Failed, IReadOnlyDictionary<string, long> FailedByReason);
