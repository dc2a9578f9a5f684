using System.CommandLine;
using Spectre.Console;

namespace Herald.Cli;

/// <summary><c>herald key issue|list|revoke</c> (operator).</summary>
internal static class KeyCommands
{
    public static Command Build()
    {
        var key = new Command("key", "Issue and revoke businesses' API keys (operator)");
        var business = new Argument<string>("business_id");

        var issue = new Command("issue", "Issue an API key; it is shown this once") { business };
        issue.Run(async (cli, cancel) =>
        {
            var issued = await cli.Operator().IssueKeyAsync(cli.Parsed.GetValue(business)!, cancel);
            cli.Out.Show(issued, k => new Rows(
                Output.Fields(("key_id", k.KeyId), ("api_key", k.ApiKey), ("created", Output.Time(k.CreatedAt))),
                new Markup("[yellow]Store the API key now: Herald keeps only its hash and cannot show it again.[/]")));
            return ExitCodes.Ok;
        });
        key.Subcommands.Add(issue);

        var listBusiness = new Argument<string>("business_id");
        var list = new Command("list", "A business's key ids and dates (never the keys)") { listBusiness };
        list.Run(async (cli, cancel) =>
        {
            cli.Out.Show(await cli.Operator().ListKeysAsync(cli.Parsed.GetValue(listBusiness)!, cancel), keys =>
            {
                var table = Output.Table("key_id", "created", "revoked");
                foreach (var k in keys)
                    Output.Row(table, k.KeyId, Output.Time(k.CreatedAt), Output.Time(k.RevokedAt));
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
