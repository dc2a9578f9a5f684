using Herald.Core.Businesses;
using System.Globalization;
using CsvHelper;
using Herald.Core.Campaigns;
using Herald.Core.Messages;
using Herald.Core.Security;
using Herald.Core.Templates;
using Herald.Server.BusinessApi;
using Herald.Server.Http;
using Herald.Server.OpenApi;
using Herald.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;

namespace Herald.Server.Campaigns;

/// <summary><c>/v1/campaigns</c>: create, upload the audience, start/pause/resume/cancel, progress and the per-recipient export.</summary>
public static class CampaignEndpoints
{
    /// <summary>A million lines with a few params each fit well within this.</summary>
    public const long AudienceBodyLimit = 512L * 1024 * 1024;

    public static void MapCampaignEndpoints(this RouteGroupBuilder v1)
    {
        v1.MapPost("/campaigns", Create).Reads<CreateCampaignRequest>().Answers<CampaignView>("createCampaign", "Create a campaign", StatusCodes.Status201Created)
            .WithDescription("A draft: `message` is the body of POST /v1/messages without `to` (or an approved template whose params come from the audience's columns); `rate_per_second` at most the business's rate limit.")
            .Errors("invalid_request", "template_not_approved", "rate_above_limit", "content_not_allowed_for_category")
            .RequiresScope(ApiScopes.Campaigns);
        v1.MapGet("/campaigns", (HttpContext context, CampaignStore campaigns) =>
            TypedResults.Json(campaigns.List(BusinessAuth.Current(context).Id, 200).Select(c => CampaignView.Of(c, null)), ApiJson.Options))
            .Answers<List<CampaignView>>("listCampaigns", "The business's campaigns").WithDescription("Newest first, up to 200.")
            .RequiresScope(ApiScopes.Campaigns);
        v1.MapGet("/campaigns/{campaignId}", (string campaignId, HttpContext context, CampaignStore campaigns) =>
            campaigns.Get(BusinessAuth.Current(context).Id, campaignId) is { } c
                ? TypedResults.Json(CampaignView.Of(c, campaigns.Counts(c.Id)), ApiJson.Options) : Problems.NotFound("campaign"))
            .Answers<CampaignView>("getCampaign", "A campaign with its progress and funnel")
            .WithDescription("Progress: queued, accepted, refused by reason; funnel: delivered, seen, expired, failed by reason.").Errors("not_found")
            .RequiresScope(ApiScopes.Campaigns);
        v1.MapPut("/campaigns/{campaignId}/audience", Upload).Accepts<string>("text/csv").Answers<AudienceReport>("uploadAudience", "Upload a draft's audience (CSV)")
            .WithDescription("A header row naming `phone` and any template params; up to 1,000,000 lines, streamed. Bad lines are counted and the first 100 reported by line number; good ones are kept.")
            .Errors("invalid_csv", "audience_too_large", "campaign_not_editable", "not_found")
            .RequiresScope(ApiScopes.Campaigns);
        v1.MapPost("/campaigns/{campaignId}/start", Start).Reads<StartCampaignRequest>().Answers<CampaignView>("startCampaign", "Start or schedule a campaign")
            .WithDescription("Optional body `{\"start_at\"}`: a time up to 90 days ahead schedules it; without, it starts now.")
            .Errors("invalid_request", "audience_empty", "campaign_state_conflict", "not_found")
            .RequiresScope(ApiScopes.Campaigns);
        v1.MapPost("/campaigns/{campaignId}/pause", (string campaignId, HttpContext context, CampaignStore campaigns, TimeProvider time) =>
            Move(campaignId, context, campaigns, time, CampaignStates.CanPause, CampaignState.Paused, "running or scheduled"))
            .Answers<CampaignView>("pauseCampaign", "Pause a campaign").WithDescription("Running or scheduled → paused; takes effect before the next batch.")
            .Errors("campaign_state_conflict", "not_found")
            .RequiresScope(ApiScopes.Campaigns);
        v1.MapPost("/campaigns/{campaignId}/resume", (string campaignId, HttpContext context, CampaignStore campaigns, TimeProvider time) =>
            Move(campaignId, context, campaigns, time, CampaignStates.CanResume, CampaignState.Running, "paused"))
            .Answers<CampaignView>("resumeCampaign", "Resume a paused campaign").WithDescription("Paused → running, from where it stopped.")
            .Errors("campaign_state_conflict", "not_found")
            .RequiresScope(ApiScopes.Campaigns);
        v1.MapPost("/campaigns/{campaignId}/cancel", (string campaignId, HttpContext context, CampaignStore campaigns, TimeProvider time) =>
            Move(campaignId, context, campaigns, time, CampaignStates.CanCancel, CampaignState.Cancelled, "not yet completed or cancelled"))
            .Answers<CampaignView>("cancelCampaign", "Cancel a campaign").WithDescription("Recipients not yet messaged never are.")
            .Errors("campaign_state_conflict", "not_found")
            .RequiresScope(ApiScopes.Campaigns);
        v1.MapGet("/campaigns/{campaignId}/recipients.csv", Export).WithName("exportCampaignRecipients").WithSummary("Per-recipient statuses (CSV)")
            .Produces<string>(StatusCodes.Status200OK, "text/csv")
            .WithDescription("line, phone, message_id, status, reason and times per recipient, in line order. Metadata only, never content.").Errors("not_found")
            .RequiresScope(ApiScopes.Campaigns);
    }

    private static async Task<IResult> Create(HttpContext context, CampaignStore campaigns, TemplateStore templates, SendRateLimiter limiter, TimeProvider time)
    {
        var business = BusinessAuth.Current(context);
        var (request, problem) = await JsonBody.Read(context, ApiJson.Type<CreateCampaignRequest>());
        if (problem is not null)
            return problem;
        var (errors, notAllowed) = CampaignRules.Validate(request!);
        if (errors.Count > 0)
            return Problems.Invalid(errors);
        if (notAllowed is not null)
            return Problems.Create(400, "content_not_allowed_for_category", "Transactional messages carry text and at most one link.",
                $"Not allowed in a transactional message: {string.Join(", ", notAllowed)}. Send it as promotional, or drop them.");
        var limit = limiter.RateOf(business);
        var rate = request!.RatePerSecond ?? limit;
        if (!CampaignRules.RateAllowed(rate, limit))
            return Problems.Create(400, "rate_above_limit", "The rate is above this business's limit.",
                $"{business.Name} may send {limit} messages a second; ask for at most that, or ask the operator for a higher limit.");
        var message = request.Message!;
        if (message.Template?.Id is { } templateId && templates.Get(templateId, business.Id) is not { Status: "approved" })
            return Problems.Create(400, "template_not_approved", "The template is not approved.",
                $"{business.Name} has no approved template '{templateId}'.");

        var campaign = new Campaign(Secrets.NewId("cmp"), business.Id, request.Name!.Trim(), WireNames.ParseCategory(message.Category!),
            message.Template?.Id, rate, CampaignState.Draft, null, 0, 0, time.GetUtcNow(), null, null);
        await campaigns.Insert(campaign, message);
        return TypedResults.Json(CampaignView.Of(campaign, null), ApiJson.Options, statusCode: 201);
    }

    /// <summary>Replaces a draft's audience with a CSV file, read as it streams in.</summary>
    private static async Task<IResult> Upload(string campaignId, HttpContext context, CampaignStore campaigns, TemplateStore templates)
    {
        var business = BusinessAuth.Current(context);
        if (campaigns.Get(business.Id, campaignId) is not { } campaign)
            return Problems.NotFound("campaign");
        if (!CampaignStates.CanEdit(campaign.State))
            return NotEditable(campaign.State);
        if (!(context.Request.ContentType?.StartsWith("text/csv", StringComparison.OrdinalIgnoreCase) ?? false))
            return Problems.Create(415, "unsupported_media_type", "The body must be CSV.", "Send Content-Type: text/csv with a header row naming a 'phone' column.");
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
            size.MaxRequestBodySize = AudienceBodyLimit;
        IReadOnlySet<string>? placeholders = null;
        if (campaign.TemplateId is { } templateId)
        {
            if (templates.Get(templateId, business.Id) is not { Status: "approved" } template)
                return Problems.Create(400, "template_not_approved", "The template is not approved.", $"The campaign's template '{templateId}' is no longer approved.");
            placeholders = TemplateText.Placeholders(template.Text);
        }
        try
        {
            var report = await AudienceUpload.Read(context.Request.Body, campaigns, campaign.Id, placeholders, context.RequestAborted);
            return TypedResults.Json(report, ApiJson.Options);
        }
        catch (AudienceRefusedException ex)
        {
            return Problems.Create(ex.Status, ex.Code, ex.Code == "audience_too_large" ? "The audience is too large." : "The file cannot be used.", ex.Message);
        }
        catch (CampaignNotEditableException)
        {
            return NotEditable(CampaignState.Running);
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            await campaigns.ClearAudience(campaign.Id);
            return Problems.TooLarge(AudienceBodyLimit);
        }
    }

    /// <summary>Starts a draft now, or schedules it when <c>start_at</c> is in the future.</summary>
    private static async Task<IResult> Start(string campaignId, HttpContext context, CampaignStore campaigns, TimeProvider time)
    {
        var business = BusinessAuth.Current(context);
        StartCampaignRequest? request = null;
        if (context.Request.ContentLength is > 0 || context.Request.Headers.TransferEncoding.Count > 0)
        {
            (request, var problem) = await JsonBody.Read(context, ApiJson.Type<StartCampaignRequest>());
            if (problem is not null)
                return problem;
        }
        var now = time.GetUtcNow();
        if (CampaignRules.CheckStart(request?.StartAt, now) is { } startError)
            return Problems.Invalid("start_at", startError);
        if (campaigns.Get(business.Id, campaignId) is not { } campaign)
            return Problems.NotFound("campaign");
        if (campaign.State == CampaignState.Draft && campaign.Recipients == 0)
            return Problems.Create(409, "audience_empty", "The campaign has no recipients.", "Upload its audience first: PUT /v1/campaigns/{id}/audience with a CSV file.");
        var scheduled = request?.StartAt is { } at && at > now;
        return await Move(campaignId, context, campaigns, time, CampaignStates.CanStart, scheduled ? CampaignState.Scheduled : CampaignState.Running, "a draft",
            scheduled ? request!.StartAt : null);
    }

    private static async Task<IResult> Move(string campaignId, HttpContext context, CampaignStore campaigns, TimeProvider time,
        Func<CampaignState, bool> allowed, CampaignState to, string from, DateTimeOffset? startAt = null)
    {
        var business = BusinessAuth.Current(context);
        var (found, moved) = await campaigns.Move(business.Id, campaignId, allowed, to, time.GetUtcNow(), startAt);
        if (found is null)
            return Problems.NotFound("campaign");
        if (!moved)
            return Problems.Create(409, "campaign_state_conflict", $"The campaign is {CampaignStates.Of(found.Value)}.",
                $"Only a campaign that is {from} can become {CampaignStates.Of(to)}.");
        var campaign = campaigns.Get(business.Id, campaignId)!;
        return TypedResults.Json(CampaignView.Of(campaign, campaigns.Counts(campaign.Id)), ApiJson.Options);
    }

    /// <summary>Every recipient's line, phone, message id, status, reason and times, as CSV, streamed. Never content.</summary>
    private static async Task<IResult> Export(string campaignId, HttpContext context, CampaignStore campaigns)
    {
        if (campaigns.Get(BusinessAuth.Current(context).Id, campaignId) is not { } campaign)
            return Problems.NotFound("campaign");
        context.Response.ContentType = "text/csv; charset=utf-8";
        context.Response.Headers.ContentDisposition = $"attachment; filename=\"{campaign.Id}-recipients.csv\"";
        await using var writer = new StreamWriter(context.Response.Body, new System.Text.UTF8Encoding(false));
        await using var csv = new CsvWriter(writer, CultureInfo.InvariantCulture);
        foreach (var column in (string[])["line", "phone", "message_id", "status", "reason", "accepted_at", "delivered_at", "seen_at", "ended_at"])
            csv.WriteField(column);
        await csv.NextRecordAsync();
        foreach (var r in campaigns.Statuses(campaign.Id))
        {
            csv.WriteField(r.Line);
            csv.WriteField(r.Phone);
            csv.WriteField(r.MessageId);
            csv.WriteField(r.Status);
            csv.WriteField(r.Reason);
            foreach (var at in (DateTimeOffset?[])[r.AcceptedAt, r.DeliveredAt, r.SeenAt, r.EndedAt])
                csv.WriteField(at?.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture));
            await csv.NextRecordAsync();
        }
        return Results.Empty;
    }

    private static IResult NotEditable(CampaignState state) =>
        Problems.Create(409, "campaign_not_editable", "The campaign's audience can no longer change.",
            $"The campaign is {CampaignStates.Of(state)}; only a draft takes an audience.");
}
