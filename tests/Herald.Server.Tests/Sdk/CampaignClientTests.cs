using System.Net;
using System.Text;
using Herald.Client;
using Herald.Server.Tests.Campaigns;
using Herald.Server.Tests.Infrastructure;

namespace Herald.Server.Tests.Sdk;

/// <summary>The SDK's campaign calls against a real server: a template campaign from a CSV file to its export.</summary>
public sealed class CampaignClientTests
{
    [Fact]
    public async Task A_business_runs_a_template_campaign_from_a_csv_file_and_exports_its_statuses()
    {
        await using var host = await HeraldHost.Start();
        var business = await host.CreateBusiness();
        using var admin = new HeraldOperatorClient(new HeraldClientOptions { BaseAddress = host.BaseAddress, Credential = HeraldHost.OperatorToken });
        using var client = new HeraldClient(new HeraldClientOptions { BaseAddress = host.BaseAddress, Credential = business.ApiKey });
        var onDevice = CampaignApi.Phone(1);
        await using var device = await host.Connect(await host.SignIn(onDevice));
        await device.Next("ready");

        var template = await client.SubmitTemplateAsync("greeting", "Hello {{name}}, your code is {{code}}");
        await admin.ApproveTemplateAsync(template.Id);
        var campaign = await client.CreateCampaignAsync("Codes", new CampaignMessage
        {
            Category = MessageCategory.Transactional, Template = new CampaignTemplate(template.Id), TrackingData = "codes-1",
        }, ratePerSecond: 50);
        Assert.Equal(("draft", "Codes", template.Id, 50), (campaign.State, campaign.Name, campaign.TemplateId, campaign.RatePerSecond));

        var file = Path.Combine(Path.GetTempPath(), $"herald-audience-{Guid.NewGuid():N}.csv");
        await File.WriteAllTextAsync(file, $"phone,name,code\n{onDevice},Ann,4711\nnot-a-phone,Bob,1\n{CampaignApi.Phone(2)},\"Cy, Jr.\",4712\n{CampaignApi.Phone(3)},Di,4713\n");
        AudienceReport report;
        await using (var csv = File.OpenRead(file))
            report = await client.UploadAudienceAsync(campaign.Id, csv);
        File.Delete(file);
        Assert.Equal((3L, 1L), (report.Recipients, report.BadRows));
        Assert.Equal(3, Assert.Single(report.Errors).Line);

        var scheduled = await client.StartCampaignAsync(campaign.Id, DateTimeOffset.UtcNow.AddHours(1));
        Assert.Equal("scheduled", scheduled.State);
        Assert.Equal("paused", (await client.PauseCampaignAsync(campaign.Id)).State);
        var notEditable = await Assert.ThrowsAsync<HeraldApiException>(() => client.UploadAudienceAsync(campaign.Id, new MemoryStream("phone\n+447700900001\n"u8.ToArray())));
        Assert.Equal((HttpStatusCode.Conflict, "campaign_not_editable"), (notEditable.Status, notEditable.Code));
        Assert.Equal("running", (await client.ResumeCampaignAsync(campaign.Id)).State);

        var message = await device.Next("message", TimeSpan.FromSeconds(20));
        Assert.Equal("Hello Ann, your code is 4711", message.GetProperty("message").GetProperty("text").GetString());
        await device.Ack("delivered", message.GetProperty("message").GetProperty("message_id").GetString()!);
        Campaign done = null!;
        await Wait.Until(async () => (done = await client.GetCampaignAsync(campaign.Id)) is { State: "completed", Funnel.Delivered: 1 },
            TimeSpan.FromSeconds(20), "completed, one delivered");
        Assert.Equal((0L, 3L, 0L), (done.Progress!.Queued, done.Progress.Accepted, done.Progress.Refused));
        Assert.Equal(2, done.Funnel!.FailedByReason["not_registered"]);
        Assert.Contains(await client.ListCampaignsAsync(), c => c.Id == campaign.Id && c.Progress is null);

        using var export = new MemoryStream();
        await client.ExportCampaignRecipientsAsync(campaign.Id, export);
        var lines = Encoding.UTF8.GetString(export.ToArray()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries); // RFC 4180 line ends
        Assert.Equal("line,phone,message_id,status,reason,accepted_at,delivered_at,seen_at,ended_at", lines[0]);
        Assert.Equal(["2,delivered", "4,failed", "5,failed"], lines.Skip(1).Select(l => string.Join(',', l.Split(',')[0], l.Split(',')[3])));
        Assert.DoesNotContain("Ann", string.Join('\n', lines), StringComparison.Ordinal); // metadata only

        // A draft cancelled; another business's campaign is not found, whatever the call.
        var other = await client.CreateCampaignAsync("Later", new CampaignMessage { Category = MessageCategory.Promotional, Text = "Sale" });
        Assert.Equal("cancelled", (await client.CancelCampaignAsync(other.Id)).State);
        using var stranger = new HeraldClient(new HeraldClientOptions { BaseAddress = host.BaseAddress, Credential = (await host.CreateBusiness(name: "Stranger")).ApiKey });
        var notFound = await Assert.ThrowsAsync<HeraldApiException>(() => stranger.ExportCampaignRecipientsAsync(campaign.Id, Stream.Null));
        Assert.Equal((HttpStatusCode.NotFound, "not_found"), (notFound.Status, notFound.Code));
        Assert.Equal("not_found", (await Assert.ThrowsAsync<HeraldApiException>(() => stranger.PauseCampaignAsync(campaign.Id))).Code);
        var tooFast = await Assert.ThrowsAsync<HeraldApiException>(() =>
            client.CreateCampaignAsync("Fast", new CampaignMessage { Category = MessageCategory.Promotional, Text = "Sale" }, ratePerSecond: 1_000_000));
        Assert.Equal("rate_above_limit", tooFast.Code);
    }
}
