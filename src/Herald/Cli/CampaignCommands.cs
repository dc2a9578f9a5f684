using System.CommandLine;
using System.Globalization;
using Herald.Client;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Herald.Cli;

/// <summary>
/// <c>herald campaign create|audience|start|pause|resume|cancel|show|list|export</c>: a business's campaigns, from a
/// draft with its audience CSV to the per-recipient export.
/// </summary>
internal static class CampaignCommands
{
    public static Command Build()
    {
        var campaign = new Command("campaign", "Send one message or template to an uploaded audience (business)");

        var name = new Option<string>("--name") { Description = "The campaign's name", Required = true };
        var rate = new Option<int?>("--rate") { Description = "Recipients a second (default and maximum: your rate limit)" };
        var content = new ContentOptions();
        var create = new Command("create", "Create a draft: content, or --template whose params come from the audience's columns") { name, rate };
        content.AddTo(create);
        create.Run(async (cli, cancel) =>
        {
            var p = cli.Parsed;
            var message = content.Fill(p, new CampaignMessage
            {
                Category = default,
                Template = p.GetValue(content.Template) is { } id ? new CampaignTemplate(id) : null,
            });
            cli.Out.Show(await cli.Business().CreateCampaignAsync(p.GetValue(name)!, message, p.GetValue(rate), cancel), Describe);
            return ExitCodes.Ok;
        });
        campaign.Subcommands.Add(create);

        var audienceId = new Argument<string>("campaign_id");
        var csv = new Argument<string>("csv_file") { Description = "A CSV file ('-' for stdin): a phone column, and one column per template param" };
        var audience = new Command("audience", "Upload a draft's audience, streamed from a CSV file; another upload replaces it") { audienceId, csv };
        audience.Run(async (cli, cancel) =>
        {
            var path = cli.Parsed.GetValue(csv)!;
            await using var file = Open(path);
            var report = await cli.Business().UploadAudienceAsync(cli.Parsed.GetValue(audienceId)!, file, cancel);
            cli.Out.Show(report, Describe);
            return ExitCodes.Ok;
        });
        campaign.Subcommands.Add(audience);

        var startId = new Argument<string>("campaign_id");
        var at = new Option<DateTimeOffset?>("--at") { Description = "Schedule it for this time (ISO 8601, at most 90 days ahead) instead of now" };
        var start = new Command("start", "Start a draft now, or schedule it with --at") { startId, at };
        start.Run(async (cli, cancel) =>
        {
            cli.Out.Show(await cli.Business().StartCampaignAsync(cli.Parsed.GetValue(startId)!, cli.Parsed.GetValue(at), cancel), Describe);
            return ExitCodes.Ok;
        });
        campaign.Subcommands.Add(start);

        campaign.Subcommands.Add(Move("pause", "Pause a running or scheduled campaign", (c, id, cancel) => c.PauseCampaignAsync(id, cancel)));
        campaign.Subcommands.Add(Move("resume", "Resume a paused campaign from where it stopped", (c, id, cancel) => c.ResumeCampaignAsync(id, cancel)));
        campaign.Subcommands.Add(Move("cancel", "Cancel a campaign: recipients not yet messaged never are", (c, id, cancel) => c.CancelCampaignAsync(id, cancel)));
        campaign.Subcommands.Add(Move("show", "A campaign's progress and funnel", (c, id, cancel) => c.GetCampaignAsync(id, cancel)));

        var list = new Command("list", "Your campaigns, newest first");
        list.Run(async (cli, cancel) =>
        {
            cli.Out.Show(await cli.Business().ListCampaignsAsync(cancel), Table);
            return ExitCodes.Ok;
        });
        campaign.Subcommands.Add(list);

        var exportId = new Argument<string>("campaign_id");
        var output = new Option<string?>("--output", "-o") { Description = "Write the CSV to this file (default: standard output)" };
        var export = new Command("export", "Per-recipient statuses as CSV (metadata only, never content)") { exportId, output };
        export.Run(async (cli, cancel) =>
        {
            var path = cli.Parsed.GetValue(output);
            await using var destination = path is null ? Console.OpenStandardOutput() : File.Create(path);
            await cli.Business().ExportCampaignRecipientsAsync(cli.Parsed.GetValue(exportId)!, destination, cancel);
            return ExitCodes.Ok;
        });
        campaign.Subcommands.Add(export);
        return campaign;
    }

    private static Command Move(string verb, string description, Func<HeraldClient, string, CancellationToken, Task<Campaign>> act)
    {
        var id = new Argument<string>("campaign_id");
        var command = new Command(verb, description) { id };
        command.Run(async (cli, cancel) =>
        {
            cli.Out.Show(await act(cli.Business(), cli.Parsed.GetValue(id)!, cancel), Describe);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Stream Open(string path)
    {
        if (path == "-")
            return Console.OpenStandardInput();
        try
        {
            return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024, useAsync: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"Cannot read {path}: {ex.Message}");
        }
    }

    private static Table Table(List<Campaign> campaigns)
    {
        var table = Output.Table("id", "name", "state", "recipients", "rate/s", "created");
        foreach (var c in campaigns)
            Output.Row(table, c.Id, c.Name, c.State, Count(c.Recipients), Count(c.RatePerSecond), Output.Time(c.CreatedAt));
        return table;
    }

    private static IRenderable Describe(Campaign c)
    {
        var rows = new List<(string, string?)>
        {
            ("id", c.Id), ("name", c.Name), ("state", c.State), ("category", c.Category), ("template", c.TemplateId),
            ("rate/s", Count(c.RatePerSecond)), ("recipients", Count(c.Recipients)), ("bad rows", Count(c.BadRows)),
            ("starts", Output.Time(c.StartAt)), ("started", Output.Time(c.StartedAt)), ("ended", Output.Time(c.EndedAt)),
        };
        if (c.Progress is { } p)
            rows.Add(("progress", $"queued {Count(p.Queued)}, accepted {Count(p.Accepted)}, refused {Count(p.Refused)}{ByReason(p.RefusedByCode)}, cancelled {Count(p.Cancelled)}"));
        if (c.Funnel is { } f)
            rows.Add(("funnel", $"waiting {Count(f.Waiting)}, delivered {Count(f.Delivered)}, seen {Count(f.Seen)}, expired {Count(f.Expired)}, failed {Count(f.Failed)}{ByReason(f.FailedByReason)}"));
        return Output.Fields([.. rows]);
    }

    private static IRenderable Describe(AudienceReport r)
    {
        var rows = new List<IRenderable> { new Text($"{Count(r.Recipients)} recipients kept, {Count(r.BadRows)} bad lines\n") };
        if (r.Errors.Count > 0)
        {
            var table = Output.Table("line", "reason");
            foreach (var e in r.Errors)
                Output.Row(table, Count(e.Line), e.Reason);
            rows.Add(table);
        }
        return new Rows(rows);
    }

    private static string ByReason(IReadOnlyDictionary<string, long> counts) =>
        counts.Count == 0 ? "" : " (" + string.Join(", ", counts.OrderByDescending(c => c.Value).Select(c => $"{c.Key} {Count(c.Value)}")) + ")";

    private static string Count(long n) => n.ToString("N0", CultureInfo.InvariantCulture);
}
