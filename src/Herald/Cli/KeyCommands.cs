using System.CommandLine;
using Herald.Client;
using Spectre.Console;

namespace Herald.Cli;

/// <summary><c>herald key issue|list|revoke</c> (operator).</summary>
internal static class KeyCommands
{
    public static Command Build()
    {
        var key = new Command("key", "Issue and revoke businesses' API keys (operator)");
        var business = new Argument<string>("business_id");

        var name = new Option<string>("--name") { Description = "A name to tell the key apart, e.g. 'CRM production'" };
        var scopes = new Option<string>("--scopes")
        {
            Description = "Comma-separated: send, status, templates, webhook, campaigns, inbox (default: all)",
        };
        var expires = new Option<DateTimeOffset?>("--expires") { Description = "When the key stops working, e.g. 2027-06-30T00:00:00Z (default: never)" };
        var issue = new Command("issue", "Issue an API key; it is shown this once") { business, name, scopes, expires };
        issue.Run(async (cli, cancel) =>
        {
            var request = new KeyRequest
            {
                Name = cli.Parsed.GetValue(name),
                Scopes = cli.Parsed.GetValue(scopes)?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
                ExpiresAt = cli.Parsed.GetValue(expires),
            };
            var issued = await cli.Operator().IssueKeyAsync(cli.Parsed.GetValue(business)!, request, cancel);
            cli.Out.Show(issued, k => new Rows(
                Output.Fields(("key_id", k.KeyId), ("name", k.Name ?? ""), ("scopes", string.Join(' ', k.Scopes)), ("api_key", k.ApiKey),
                    ("created", Output.Time(k.CreatedAt)), ("expires", Output.Time(k.ExpiresAt))),
                new Markup("[yellow]Store the API key now: Herald keeps only its hash and cannot show it again.[/]")));
            return ExitCodes.Ok;
        });
        key.Subcommands.Add(issue);

        var listBusiness = new Argument<string>("business_id");
        var list = new Command("list", "A business's keys: names, scopes and dates (never the keys)") { listBusiness };
        list.Run(async (cli, cancel) =>
        {
            cli.Out.Show(await cli.Operator().ListKeysAsync(cli.Parsed.GetValue(listBusiness)!, cancel), keys =>
            {
                var table = Output.Table("key_id", "name", "scopes", "created", "expires", "last used", "revoked");
                foreach (var k in keys)
                    Output.Row(table, k.KeyId, k.Name ?? "", string.Join(' ', k.Scopes), Output.Time(k.CreatedAt), Output.Time(k.ExpiresAt),
                        Output.Time(k.LastUsedAt), Output.Time(k.RevokedAt));
                return table;
            });
            return ExitCodes.Ok;
        });
        key.Subcommands.Add(list);

        var revokeBusiness = new Argument<string>("business_id");
        var keyId = new Argument<string>("key_id");
        var revoke = new Command("revoke", "Revoke a key at once") { revokeBusiness, keyId };
        revoke.Run(async (cli, cancel) =>
        {
            await cli.Operator().RevokeKeyAsync(cli.Parsed.GetValue(revokeBusiness)!, cli.Parsed.GetValue(keyId)!, cancel);
            cli.Out.Show(new { key_id = cli.Parsed.GetValue(keyId), revoked = true }, k => new Text($"Revoked {k.key_id}.\n"));
            return ExitCodes.Ok;
        });
        key.Subcommands.Add(revoke);
        return key;
    }
}
