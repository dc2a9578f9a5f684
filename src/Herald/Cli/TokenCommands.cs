using System.CommandLine;
using Herald.Client;
using Spectre.Console;

namespace Herald.Cli;

/// <summary><c>herald token create|list|revoke</c>: named operator tokens for automation (operator).</summary>
internal static class TokenCommands
{
    public static Command Build()
    {
        var command = new Command("token", "Named operator tokens for scripts and CI, each with a role (operator)");

        var name = new Argument<string>("name") { Description = "1 to 64 of a-z, 0-9, '.' and '-'; the audit log shows token:NAME" };
        var role = OperatorCommands.RoleOption("What the token may do, never more than your own role");
        var expires = new Option<DateTimeOffset?>("--expires") { Description = "When the token stops working, e.g. 2027-06-30T00:00:00Z (default: never)" };
        var create = new Command("create", "Create a token; it is shown this once") { name, role, expires };
        create.Run(async (cli, cancel) =>
        {
            var request = new OperatorTokenRequest { Name = cli.Parsed.GetValue(name)!, Role = cli.Parsed.GetValue(role)!, ExpiresAt = cli.Parsed.GetValue(expires) };
            var created = await cli.Operator().CreateTokenAsync(request, cancel);
            cli.Out.Show(created, t => new Rows(
                Output.Fields(("token_id", t.TokenId), ("name", t.Name), ("role", t.Role), ("token", t.Token),
                    ("created", Output.Time(t.CreatedAt)), ("expires", Output.Time(t.ExpiresAt))),
                new Markup("[yellow]Store the token now: Herald keeps only its hash and cannot show it again.[/]")));
            return ExitCodes.Ok;
        });
        command.Subcommands.Add(create);

        var list = new Command("list", "Every token: name, role, creator and dates (never a token)");
        list.Run(async (cli, cancel) =>
        {
            cli.Out.Show(await cli.Operator().ListTokensAsync(cancel), tokens =>
            {
                var table = Output.Table("name", "role", "created by", "created", "expires", "last used", "revoked", "token_id");
                foreach (var t in tokens)
                    Output.Row(table, t.Name, t.Role, t.CreatedBy ?? "", Output.Time(t.CreatedAt), Output.Time(t.ExpiresAt),
                        Output.Time(t.LastUsedAt), Output.Time(t.RevokedAt), t.TokenId);
                return table;
            });
            return ExitCodes.Ok;
        });
        command.Subcommands.Add(list);

        var which = new Argument<string>("name-or-id");
        var revoke = new Command("revoke", "Revoke a token at once") { which };
        revoke.Run(async (cli, cancel) =>
        {
            await cli.Operator().RevokeTokenAsync(cli.Parsed.GetValue(which)!, cancel);
            cli.Out.Show(new { token = cli.Parsed.GetValue(which), revoked = true }, t => new Text($"Revoked {t.token}.\n"));
            return ExitCodes.Ok;
        });
        command.Subcommands.Add(revoke);
        return command;
    }
}
