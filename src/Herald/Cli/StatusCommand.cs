using System.CommandLine;
using Herald.Client;
using Spectre.Console.Rendering;

namespace Herald.Cli;

/// <summary><c>herald status ID [--watch]</c> (business).</summary>
internal static class StatusCommand
{
    private static readonly string[] s_final = ["seen", "expired", "failed"];

    public static Command Build()
    {
        var id = new Argument<string>("message_id");
        var watch = new Option<bool>("--watch", "-w") { Description = "Print each change until the message is seen, expired or failed" };
        var command = new Command("status", "A message's status and times (business)") { id, watch };
        command.Run(async (cli, cancel) =>
        {
            var client = cli.Business();
            var status = await client.GetStatusAsync(cli.Parsed.GetValue(id)!, cancel);
            if (!cli.Parsed.GetValue(watch))
            {
                cli.Out.Show(status, Describe);
                return ExitCodes.Ok;
            }
            cli.Out.Line(status, Describe);
            while (!s_final.Contains(status.Status))
            {
                await Task.Delay(TimeSpan.FromSeconds(1), cancel);
                var next = await client.GetStatusAsync(status.MessageId, cancel);
                if (next.Status != status.Status)
                    cli.Out.Line(next, Describe);
                status = next;
            }
            return ExitCodes.Ok;
        });
        return command;
    }

    private static IRenderable Describe(MessageStatusInfo s) => Output.Fields(
        ("message_id", s.MessageId), ("to", s.To), ("category", s.Category),
        ("status", s.Reason is null ? s.Status : $"{s.Status} ({s.Reason})"),
        ("accepted", Output.Time(s.AcceptedAt)), ("delivered", Output.Time(s.DeliveredAt)), ("seen", Output.Time(s.SeenAt)),
        ("expired", Output.Time(s.ExpiredAt)), ("failed", Output.Time(s.FailedAt)), ("expires", Output.Time(s.ExpiresAt)));
}
