namespace Herald.Client;

/// <summary>
/// What a campaign sends (the body of <c>POST /v1/messages</c> without <c>to</c>): content, or an approved template
/// whose params come from the audience's columns. Leave out what you do not use.
/// </summary>
public sealed record CampaignMessage : MessageContent
{
    /// <summary>An approved template instead of <see cref="MessageContent.Text"/>; each recipient's params come from the audience CSV.</summary>
    public CampaignTemplate? Template { get; init; }
}

/// <summary>The approved template a campaign fills per recipient.</summary>
/// <param name="Id">the template's id (<c>tpl_…</c>)</param>
public sealed record CampaignTemplate(string Id);

/// <summary>A campaign (<c>GET /v1/campaigns/{id}</c>).</summary>
/// <param name="Id">its id (<c>cmp_…</c>)</param>
/// <param name="Name">its name</param>
/// <param name="Category">transactional or promotional</param>
/// <param name="TemplateId">the template it fills, if any</param>
/// <param name="RatePerSecond">how many recipients a second it sends to</param>
/// <param name="State">draft, scheduled, running, paused, completed or cancelled</param>
/// <param name="StartAt">when a scheduled campaign starts</param>
/// <param name="Recipients">good lines of the uploaded audience</param>
/// <param name="BadRows">bad lines of the uploaded audience</param>
/// <param name="CreatedAt">when it was created</param>
/// <param name="StartedAt">when it started running</param>
/// <param name="EndedAt">when it completed or was cancelled</param>
/// <param name="Progress">where the recipients are (only when one campaign is asked for)</param>
/// <param name="Funnel">what became of its messages (only when one campaign is asked for)</param>
public sealed record Campaign(
    string Id, string Name, string Category, string? TemplateId, int RatePerSecond, string State, DateTimeOffset? StartAt,
    long Recipients, long BadRows, DateTimeOffset CreatedAt, DateTimeOffset? StartedAt, DateTimeOffset? EndedAt,
    CampaignProgress? Progress, CampaignFunnel? Funnel);

/// <summary>The recipients: still queued, accepted (a message was stored), refused by the send path (by problem code), cancelled.</summary>
public sealed record CampaignProgress(long Queued, long Accepted, long Refused, long Cancelled, IReadOnlyDictionary<string, long> RefusedByCode);

/// <summary>The campaign's messages: waiting for a device, delivered (seen included), seen, expired, failed (by reason).</summary>
public sealed record CampaignFunnel(long Waiting, long Delivered, long Seen, long Expired, long Failed, IReadOnlyDictionary<string, long> FailedByReason);

/// <summary>What an audience upload kept: the good lines, how many were bad, and the first 100 bad ones.</summary>
public sealed record AudienceReport(long Recipients, long BadRows, IReadOnlyList<AudienceError> Errors);

/// <summary>A bad line of an audience file: its physical line number (the header is line 1) and why.</summary>
public sealed record AudienceError(long Line, string Reason);
