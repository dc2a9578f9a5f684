using System.CommandLine;
using Spectre.Console;

namespace Herald.Cli;

/// <summary><c>herald operator invite|list|remove</c>: the people on the operator team (operator).</summary>
internal static class OperatorCommands
{
    public static Command Build()
    {
        var command = new Command("operator", "The operator team: the people who sign in to the Console (operator)");

        var email = new Argument<string>("email");
        var role = RoleOption("The person's role");
        var invite = new Command("invite", "Invite a person; prints a single-use link to hand over (Herald sends no e-mail)") { email, role };
        invite.Run(async (cli, cancel) =>
        {
            var link = await cli.Operator().InviteOperatorAsync(cli.Parsed.GetValue(email)!, cli.Parsed.GetValue(role)!, cancel);
            cli.Out.Show(link, l => new Rows(
                Output.Fields(("account_id", l.AccountId), ("email", l.Email), ("role", l.Role), ("url", l.Url), ("expires", Output.Time(l.ExpiresAt))),
                new Markup("[yellow]The link works once and is shown only now: pass it on yourself.[/]")));
            return ExitCodes.Ok;
        });
        command.Subcommands.Add(invite);

        var list = new Command("list", "Everyone on the team, with role and status");
        list.Run(async (cli, cancel) =>
        {
            cli.Out.Show(await cli.Operator().ListOperatorsAsync(cancel), people =>
            {
                var table = Output.Table("email", "role", "status", "authenticator", "since", "account_id");
                foreach (var p in people)
                    Output.Row(table, p.Email, p.Role, p.Status, p.SecondFactor ? "yes" : "no", Output.Time(p.CreatedAt), p.AccountId);
                return table;
            });
            return ExitCodes.Ok;
        });
        command.Subcommands.Add(list);

        var removeEmail = new Argument<string>("email");
        var remove = new Command("remove", "Remove a person from the team; their sessions end at once") { removeEmail };
        remove.Run(async (cli, cancel) =>
        {
            var client = cli.Operator();
            var wanted = cli.Parsed.GetValue(removeEmail)!.Trim();
            var person = (await client.ListOperatorsAsync(cancel)).FirstOrDefault(p => string.Equals(p.Email, wanted, StringComparison.OrdinalIgnoreCase))
                ?? throw new UsageException($"No one on the team has the e-mail {wanted}.");
            await client.RemoveOperatorAsync(person.AccountId, cancel);
            cli.Out.Show(new { email = person.Email, removed = true }, p => new Text($"Removed {p.email}.\n"));
            return ExitCodes.Ok;
        });
        command.Subcommands.Add(remove);
        return command;
    }

    /// <summary>A required <c>--role</c> of the operator team's roles.</summary>
    public static Option<string> RoleOption(string description)
    {
        var role = new Option<string>("--role") { Description = description, Required = true };
        role.AcceptOnlyFromAmong("owner", "admin", "reviewer", "viewer");
        return role;
    }
}
