using System.CommandLine;
using Herald.Client;
using Spectre.Console.Rendering;

namespace Herald.Cli;

/// <summary><c>herald business create|list|show|update|verify</c> (operator).</summary>
internal static class BusinessCommands
{
    public static Command Build()
    {
        var business = new Command("business", "Create, list and verify businesses (operator)");
        business.Subcommands.Add(Create());
        business.Subcommands.Add(List());
        business.Subcommands.Add(Show());
        business.Subcommands.Add(Update());
        business.Subcommands.Add(Verify());
        return business;
    }

    private sealed record ProfileOptions(Option<string?> Name, Option<string?> Logo, Option<string?> Description, Option<string?> LearnMore,
        Option<string[]> AllowIp, Option<bool?> TwoWay, Option<int?> RateLimit)
    {
        public static ProfileOptions AddTo(Command command)
        {
            var options = new ProfileOptions(
                new Option<string?>("--name") { Description = "Display name consumers see" },
                new Option<string?>("--logo-url") { Description = "An https:// logo" },
                new Option<string?>("--description") { Description = "Up to 1000 characters" },
                new Option<string?>("--learn-more-url") { Description = "An https:// page about the business" },
                new Option<string[]>("--allow-ip") { Description = "An address or CIDR range its API keys may be used from (repeat for more)", AllowMultipleArgumentsPerToken = true },
                new Option<bool?>("--two-way") { Description = "Whether consumers can reply (true/false)" },
                new Option<int?>("--rate-limit") { Description = "Sends per second" });
            command.Options.Add(options.Name);
            command.Options.Add(options.Logo);
            command.Options.Add(options.Description);
            command.Options.Add(options.LearnMore);
            command.Options.Add(options.AllowIp);
            command.Options.Add(options.TwoWay);
            command.Options.Add(options.RateLimit);
            return options;
        }

        public BusinessChanges Read(ParseResult parsed) => new()
        {
            Name = parsed.GetValue(Name),
            LogoUrl = parsed.GetValue(Logo),
            Description = parsed.GetValue(Description),
            LearnMoreUrl = parsed.GetValue(LearnMore),
            AllowedIps = parsed.GetResult(AllowIp) is null ? null : parsed.GetValue(AllowIp),
            TwoWay = parsed.GetValue(TwoWay),
            RateLimitPerSecond = parsed.GetValue(RateLimit),
        };
    }

    private static Command Create()
    {
        var id = new Option<string?>("--id") { Description = "The business_id (3–64 of a-z 0-9 _ -); generated when left out" };
        var verified = new Option<bool>("--verified") { Description = "Create it verified" };
        var command = new Command("create", "Create a business") { id, verified };
        var profile = ProfileOptions.AddTo(command);
        command.Run(async (cli, cancel) =>
        {
            var changes = profile.Read(cli.Parsed) with { BusinessId = cli.Parsed.GetValue(id), Verified = cli.Parsed.GetValue(verified) };
            if (changes.Name is null)
                throw new UsageException("--name is required.");
            cli.Out.Show(await cli.Operator().CreateBusinessAsync(changes, cancel), Describe);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command List()
    {
        var command = new Command("list", "List every business");
        command.Run(async (cli, cancel) =>
        {
            cli.Out.Show(await cli.Operator().ListBusinessesAsync(cancel), businesses =>
            {
                var table = Output.Table("business_id", "name", "verified", "two-way", "allowed ips", "webhook");
                foreach (var b in businesses)
                    Output.Row(table, b.BusinessId, b.Name, b.Verified ? "yes" : "no", b.TwoWay ? "yes" : "no",
                        b.AllowedIps.Count == 0 ? "nobody" : string.Join(", ", b.AllowedIps), b.CallbackUrl);
                return table;
            });
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Show()
    {
        var id = new Argument<string>("business_id");
        var command = new Command("show", "Show one business") { id };
        command.Run(async (cli, cancel) =>
        {
            cli.Out.Show(await cli.Operator().GetBusinessAsync(cli.Parsed.GetValue(id)!, cancel), Describe);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Update()
    {
        var id = new Argument<string>("business_id");
        var command = new Command("update", "Change a business's profile, allowlist, mode or rate limit (only the flags given)") { id };
        var profile = ProfileOptions.AddTo(command);
        command.Run(async (cli, cancel) =>
        {
            cli.Out.Show(await cli.Operator().UpdateBusinessAsync(cli.Parsed.GetValue(id)!, profile.Read(cli.Parsed), cancel), Describe);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Verify()
    {
        var id = new Argument<string>("business_id");
        var undo = new Option<bool>("--undo") { Description = "Take the verified tick away instead" };
        var command = new Command("verify", "Mark a business verified (consumers see the tick)") { id, undo };
        command.Run(async (cli, cancel) =>
        {
            var changes = new BusinessChanges { Verified = !cli.Parsed.GetValue(undo) };
            cli.Out.Show(await cli.Operator().UpdateBusinessAsync(cli.Parsed.GetValue(id)!, changes, cancel), Describe);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static IRenderable Describe(BusinessInfo b) => Output.Fields(
        ("business_id", b.BusinessId), ("name", b.Name), ("verified", b.Verified ? "yes" : "no"), ("two-way", b.TwoWay ? "yes" : "no"),
        ("logo", b.LogoUrl), ("description", b.Description), ("learn more", b.LearnMoreUrl),
        ("allowed ips", b.AllowedIps.Count == 0 ? "nobody (set --allow-ip)" : string.Join(", ", b.AllowedIps)),
        ("rate limit", b.RateLimitPerSecond is { } r ? $"{r}/s" : "server default"), ("webhook", b.CallbackUrl),
        ("created", Output.Time(b.CreatedAt)), ("updated", Output.Time(b.UpdatedAt)));
}
