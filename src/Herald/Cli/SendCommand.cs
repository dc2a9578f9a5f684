using System.CommandLine;
using Herald.Client;
using Spectre.Console;

namespace Herald.Cli;

/// <summary><c>herald send</c>: one message from flags, or many from a JSON file in batches with a progress bar.</summary>
internal static class SendCommand
{
    public static Command Build()
    {
        var to = new Option<string?>("--to") { Description = "The recipient, E.164 (+447700900123)" };
        var content = new ContentOptions();
        var param = new Option<string[]>("--param") { Description = "A template parameter, name=value (repeat for more)" };
        var file = new Option<string?>("--file", "-f") { Description = "Send the messages in this JSON file ('-' for stdin) instead of flags" };
        var batchSize = new Option<int>("--batch-size") { Description = "Messages per request when sending a file (1 to 1000)", DefaultValueFactory = _ => 250 };
        var idempotency = new Option<string?>("--idempotency-key") { Description = "Makes repeating this command safe: the same key and body send once" };
        var command = new Command("send", "Send a message (business)")
        {
            to, param, file, batchSize, idempotency,
        };
        content.AddTo(command);
        command.Run(async (cli, cancel) =>
        {
            var p = cli.Parsed;
            var client = cli.Business();
            if (p.GetValue(file) is { } path)
            {
                if (p.GetValue(to) is not null || p.GetValue(content.Text) is not null || p.GetValue(content.Template) is not null)
                    throw new UsageException("Give either --file or the message flags, not both.");
                return await SendFile(cli, client, MessageFile.Read(path), p.GetValue(batchSize), p.GetValue(idempotency), cancel);
            }
            if (p.GetValue(to) is not { } recipient)
                throw new UsageException("--to is required (or --file).");
            var message = content.Fill(p, new OutgoingMessage
            {
                To = recipient,
                Category = default,
                Template = p.GetValue(content.Template) is { } id ? new TemplateUse(id, Params(p.GetValue(param) ?? [])) : null,
            });
            var sent = await client.SendAsync(message, p.GetValue(idempotency), cancel);
            cli.Out.Show(sent, s => new Text($"Accepted {s.MessageId}\n"));
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Dictionary<string, string> Params(string[] pairs)
    {
        var result = new Dictionary<string, string>();
        foreach (var pair in pairs)
        {
            var split = pair.Split('=', 2);
            if (split.Length != 2 || split[0].Length == 0)
                throw new UsageException($"--param takes name=value, not '{pair}'.");
            result[split[0]] = split[1];
        }
        return result;
    }

    /// <summary>Batches in order; every message's result is kept in the order of the file.</summary>
    private static async Task<int> SendFile(CliContext cli, HeraldClient client, List<OutgoingMessage> messages, int batchSize, string? idempotencyKey,
        CancellationToken cancel)
    {
        if (batchSize is < 1 or > 1000)
            throw new UsageException("--batch-size is 1 to 1000.");
        var chunks = messages.Chunk(batchSize).ToList();
        var results = new List<BatchItemResult>(messages.Count);
        async Task SendAll(Action<int>? advance)
        {
            for (var i = 0; i < chunks.Count; i++)
            {
                // One key per chunk, derived from the caller's, so re-running the command repeats no chunk.
                var key = idempotencyKey is null ? null : $"{idempotencyKey}/{i}";
                var answer = await client.SendBatchAsync(chunks[i], key, cancel);
                results.AddRange(answer.Results);
                advance?.Invoke(chunks[i].Length);
            }
        }

        if (cli.Out.IsJson || messages.Count == 1)
            await SendAll(null);
        else
            await cli.Out.Errors.Progress().AutoClear(false).StartAsync(async progress =>
            {
                var task = progress.AddTask($"Sending {messages.Count} messages", maxValue: messages.Count);
                await SendAll(n => task.Increment(n));
            });

        var refused = results.Count(r => r.Error is not null);
        cli.Out.Show(new BatchResult(results), batch =>
        {
            var rows = new List<Spectre.Console.Rendering.IRenderable> { new Text($"{batch.Accepted} accepted, {refused} refused\n") };
            if (refused > 0)
            {
                var table = Output.Table("#", "to", "code", "problem");
                for (var i = 0; i < batch.Results.Count; i++)
                    if (batch.Results[i].Error is { } e)
                        Output.Row(table, (i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture), messages[i].To, e.Code,
                            e.Errors is { Count: > 0 } fields ? string.Join("; ", fields.Select(f => $"{f.Key}: {f.Value}")) : e.Detail ?? e.Title);
                rows.Add(table);
            }
            return new Rows(rows);
        });
        return refused > 0 ? ExitCodes.Refused : ExitCodes.Ok;
    }
}
