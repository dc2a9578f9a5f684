using System.CommandLine;
using Herald.Cli;

var root = new RootCommand("Herald: self-hosted business messaging. `herald serve` runs the server; the other commands talk to one.")
{
    ServeCommand.Build(),
    BusinessCommands.Build(),
    KeyCommands.Build(),
    OperatorCommands.Build(),
    TokenCommands.Build(),
    TemplateCommands.Build(),
    CampaignCommands.Build(),
    SendCommand.Build(),
    StatusCommand.Build(),
    StatsCommand.Build(),
    WebhookCommands.Build(),
    BackupCommands.Backup(),
    BackupCommands.Restore(),
};
GlobalOptions.AddTo(root);

var parsed = root.Parse(args);
if (parsed.Errors.Count > 0)
{
    // Usage mistakes get their own exit code (2), so a script can tell them from a refusal by the server (1).
    foreach (var error in parsed.Errors)
        Console.Error.WriteLine($"error: {error.Message}");
    Console.Error.WriteLine("Run 'herald --help' (or 'herald COMMAND --help') for usage.");
    return ExitCodes.Usage;
}
return await parsed.InvokeAsync();
