using System.CommandLine;
using Herald.Client;
using Spectre.Console;

namespace Herald.Cli;

/// <summary><c>herald webhook set|test|tail</c> (business).</summary>
internal static class WebhookCommands
{
    public static Command Build()
    {
        var webhook = new Command("webhook", "The callback URL and its delivery log (business)");

        var url = new Argument<string>("url");
        var set = new Command("set", "Set the callback URL; prints the signing secret") { url };
        set.Run(async (cli, cancel) =>
        {
            if (!Uri.TryCreate(cli.Parsed.GetValue(url), UriKind.Absolute, out var target))
                throw new UsageException("The callback URL must be absolute, such as https://example.com/herald.");
            cli.Out.Show(await cli.Business().SetWebhookAsync(target, cancel), w => Output.Fields(("url", w.Url), ("secret", w.Secret)));
            return ExitCodes.Ok;
        });
        webhook.Subcommands.Add(set);
        var test = new Command("test", "Send a webhook.test event through the normal signed, retried path; prints its event id");
        test.Run(async (cli, cancel) =>
        {
            cli.Out.Show(await cli.Business().SendWebhookTestEventAsync(cancel), t => Output.Fields(("event_id", t.EventId), ("type", t.Type)));
            return ExitCodes.Ok;
        });
        webhook.Subcommands.Add(test);
        var eventId = new Argument<string>("event_id") { Description = "The event's id, from the delivery log (webhook tail)" };
        var replay = new Command("replay", "Send an event from the delivery log again, in a new POST (new webhook-id, same event_id)") { eventId };
        replay.Run(async (cli, cancel) =>
        {
            cli.Out.Show(await cli.Business().ReplayWebhookDeliveryAsync(cli.Parsed.GetValue(eventId)!, cancel), r => Output.Fields(("event_id", r.EventId), ("queued", "yes")));
            return ExitCodes.Ok;
        });
        webhook.Subcommands.Add(replay);
        webhook.Subcommands.Add(Tail());
        return webhook;
    }

    /// <summary>
    /// The delivery log, oldest of the last <c>--limit</c> first; with <c>--follow</c> it keeps polling and prints each
    /// new event and each change of an event's delivery (a retry, a success, giving up), like <c>tail -f</c>.
    /// </summary>
    private static Command Tail()
    {
        var limit = new Option<int>("--limit", "-n") { Description = "How many recent events to show first (1 to 500)", DefaultValueFactory = _ => 20 };
        var follow = new Option<bool>("--follow", "-f") { Description = "Keep watching for new events and retries (Ctrl+C stops)" };
        var interval = new Option<double>("--interval") { Description = "Seconds between polls with --follow", DefaultValueFactory = _ => 2 };
        var command = new Command("tail", "Show the webhook delivery log: events, attempts, next retry, errors") { limit, follow, interval };
        command.Run(async (cli, cancel) =>
        {
            var client = cli.Business();
            var log = await client.GetWebhookDeliveriesAsync(cli.Parsed.GetValue(limit), cancel: cancel);
            if (!cli.Parsed.GetValue(follow))
            {
                cli.Out.Show(log, l => Table(l));
                return ExitCodes.Ok;
            }
            if (!cli.Out.IsJson)
                cli.Out.Errors.MarkupLineInterpolated($"[grey]Webhook: {log.Url ?? "not set"}. Following; Ctrl+C stops.[/]");
            var seen = new Dictionary<long, WebhookDelivery>();
            var delay = TimeSpan.FromSeconds(Math.Max(0.2, cli.Parsed.GetValue(interval)));
            while (true)
            {
                foreach (var d in log.Deliveries.OrderBy(d => d.Seq))
                {
                    if (seen.TryGetValue(d.Seq, out var before) && before.Status == d.Status && before.Attempts == d.Attempts)
                        continue;
                    seen[d.Seq] = d;
                    cli.Out.Line(d, x => new Text(Line(x) + "\n"));
                }
                await Task.Delay(delay, cancel);
                log = await client.GetWebhookDeliveriesAsync(500, cancel: cancel);
            }
        });
        return command;
    }

    private static Table Table(WebhookDeliveryLog log)
    {
        var table = Output.Table("event", "type", "message", "status", "attempts", "next retry", "last error").Caption($"webhook: {log.Url ?? "not set"}");
        foreach (var d in log.Deliveries.OrderBy(d => d.Seq))
            Output.Row(table, d.EventId, d.Type, d.MessageId, d.Status, d.Attempts.ToString(System.Globalization.CultureInfo.InvariantCulture),
                d.NextAttemptAt is null ? null : Output.Time(d.NextAttemptAt), d.LastError);
        return table;
    }

    private static string Line(WebhookDelivery d) =>
        $"{Output.Time(d.CreatedAt)}  {d.Type,-17} {d.MessageId ?? d.EventId}  {d.Status} after {d.Attempts} attempt(s)"
        + (d.NextAttemptAt is { } next ? $", next {Output.Time(next)}" : "")
        + (d.LastError is { } error ? $"  [{error}]" : "");
}
