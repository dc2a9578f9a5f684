using Herald.Core.Messages;

namespace Herald.Core.Campaigns;

/// <summary>
/// The body of <c>POST /v1/campaigns</c>: a name, the message (the body of <c>POST /v1/messages</c> without
/// <c>to</c>; with a template, each recipient's params come from the audience's columns) and the send rate
/// (default: the business's rate limit).
/// </summary>
public sealed record CreateCampaignRequest
{
    public string? Name { get; init; }
    public SendMessageRequest? Message { get; init; }
    public int? RatePerSecond { get; init; }
}

/// <summary>The optional body of <c>POST /v1/campaigns/{id}/start</c>: a start time in the future schedules the campaign.</summary>
public sealed record StartCampaignRequest
{
    public DateTimeOffset? StartAt { get; init; }
}
