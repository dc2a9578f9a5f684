using System.Net.Http.Headers;
using Herald.Client.Http;

namespace Herald.Client;

/// <summary>Campaigns (<c>/v1/campaigns</c>): one message or template to an uploaded audience, at a chosen rate.</summary>
public sealed partial class HeraldClient
{
    /// <summary>Creates a draft campaign. <paramref name="ratePerSecond"/> defaults to (and may not exceed) the business's rate limit.</summary>
    public Task<Campaign> CreateCampaignAsync(string name, CampaignMessage message, int? ratePerSecond = null, CancellationToken cancel = default) =>
        _api.Send(HttpMethod.Post, "v1/campaigns", ApiTransport.Json(new CampaignRequest(name, message, ratePerSecond), ClientJson.Default.CampaignRequest),
            ClientJson.Default.Campaign, cancel);

    /// <summary>The business's campaigns, newest first (up to 200), without progress or funnel.</summary>
    public Task<List<Campaign>> ListCampaignsAsync(CancellationToken cancel = default) =>
        _api.Send(HttpMethod.Get, "v1/campaigns", null, ClientJson.Default.ListCampaign, cancel);

    /// <summary>A campaign with its progress and funnel.</summary>
    public Task<Campaign> GetCampaignAsync(string campaignId, CancellationToken cancel = default) =>
        _api.Send(HttpMethod.Get, CampaignPath(campaignId), null, ClientJson.Default.Campaign, cancel);

    /// <summary>
    /// Uploads a draft's audience: CSV with a <c>phone</c> column and one column per template placeholder. The stream
    /// is sent as it is read, never held in memory, so it is sent once (no retries): on a failed connection, upload
    /// again — another upload replaces the audience.
    /// </summary>
    public Task<AudienceReport> UploadAudienceAsync(string campaignId, Stream csv, CancellationToken cancel = default)
    {
        var body = new StreamContent(csv);
        body.Headers.ContentType = new MediaTypeHeaderValue("text/csv") { CharSet = "utf-8" };
        return _api.SendStreamed(HttpMethod.Put, CampaignPath(campaignId) + "/audience", body, ClientJson.Default.AudienceReport, cancel);
    }

    /// <summary>Starts a draft now, or schedules it for <paramref name="startAt"/> (at most 90 days ahead).</summary>
    public Task<Campaign> StartCampaignAsync(string campaignId, DateTimeOffset? startAt = null, CancellationToken cancel = default) =>
        _api.Send(HttpMethod.Post, CampaignPath(campaignId) + "/start", ApiTransport.Json(new StartRequest(startAt), ClientJson.Default.StartRequest),
            ClientJson.Default.Campaign, cancel);

    /// <summary>Pauses a running or scheduled campaign; it takes effect before the next batch.</summary>
    public Task<Campaign> PauseCampaignAsync(string campaignId, CancellationToken cancel = default) => Act(campaignId, "pause", cancel);

    /// <summary>Resumes a paused campaign from where it stopped.</summary>
    public Task<Campaign> ResumeCampaignAsync(string campaignId, CancellationToken cancel = default) => Act(campaignId, "resume", cancel);

    /// <summary>Cancels a campaign: recipients not yet messaged never are.</summary>
    public Task<Campaign> CancelCampaignAsync(string campaignId, CancellationToken cancel = default) => Act(campaignId, "cancel", cancel);

    /// <summary>
    /// Writes the per-recipient statuses (CSV: <c>line,phone,message_id,status,reason,accepted_at,delivered_at,seen_at,ended_at</c>)
    /// to <paramref name="destination"/> as they arrive.
    /// </summary>
    public Task ExportCampaignRecipientsAsync(string campaignId, Stream destination, CancellationToken cancel = default) =>
        _api.Download(CampaignPath(campaignId) + "/recipients.csv", destination, cancel);

    private Task<Campaign> Act(string campaignId, string action, CancellationToken cancel) =>
        _api.Send(HttpMethod.Post, CampaignPath(campaignId) + "/" + action, null, ClientJson.Default.Campaign, cancel);

    private static string CampaignPath(string campaignId) => "v1/campaigns/" + Uri.EscapeDataString(campaignId);
}
