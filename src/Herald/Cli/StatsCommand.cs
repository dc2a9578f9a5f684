using System.CommandLine;
using Spectre.Console;

namespace Herald.Cli;

/// <summary><c>herald stats [--days N] [--category C]</c>: the delivery funnel per day (business).</summary>
internal static class StatsCommand
{
    public static Command Build()
    {
        var days = new Option<int>("--days") { Description = "How many UTC days, today included (1 to 90)", DefaultValueFactory = _ => 7 };
        var category = new Option<Herald.Client.MessageCategory?>("--category") { Description = "Only transactional, promotional or session messages" };
        var command = new Command("stats", "Delivery funnel per day: accepted, delivered, seen, expired, failed (business)") { days, category };
        command.Run(async (cli, cancel) =>
        {
            cli.Out.Show(await cli.Business().GetDailyStatsAsync(cli.Parsed.GetValue(days), cli.Parsed.GetValue(category), cancel), stats =>
            {
                var table = Output.Table("day", "accepted", "delivered", "seen", "expired", "failed");
                foreach (var d in stats)
                    Output.Row(table, [d.Date, .. new[] { d.Accepted, d.Delivered, d.Seen, d.Expired, d.Failed }.Select(n => n.ToString(System.Globalization.CultureInfo.InvariantCulture))]);
                return table;
            });
            return ExitCodes.Ok;
        });
        return command;
    }
}
