using System.CommandLine;
using Herald.Client;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Herald.Cli;

/// <summary>
/// <c>herald template list|approve|reject</c>: the operator's review queue; with only an API key, <c>list</c> shows
/// the business's own templates and <c>submit</c> adds one.
/// </summary>
internal static class TemplateCommands
{
    public static Command Build()
    {
        var template = new Command("template", "Review templates (operator) or submit and list your own (business)");

        var status = new Option<string?>("--status") { Description = "pending, approved or rejected (operator)" };
        var business = new Option<string?>("--business") { Description = "Only this business's templates (operator)" };
        var list = new Command("list", "The review queue with an operator token, else your own templates") { status, business };
        list.Run(async (cli, cancel) =>
        {
            var templates = cli.HasOperatorToken
                ? await cli.Operator().ListTemplatesAsync(cli.Parsed.GetValue(status), cli.Parsed.GetValue(business), cancel)
                : await cli.Business().ListTemplatesAsync(cancel);
            cli.Out.Show(templates, Table);
            return ExitCodes.Ok;
        });
        template.Subcommands.Add(list);

        var approveId = new Argument<string>("template_id");
        var approve = new Command("approve", "Approve a pending template (operator)") { approveId };
        approve.Run(async (cli, cancel) =>
        {
            cli.Out.Show(await cli.Operator().ApproveTemplateAsync(cli.Parsed.GetValue(approveId)!, cancel), Describe);
            return ExitCodes.Ok;
        });
        template.Subcommands.Add(approve);

        var rejectId = new Argument<string>("template_id");
        var reason = new Option<string>("--reason") { Description = "Why: the business is told", Required = true };
        var reject = new Command("reject", "Reject a pending template, with the reason (operator)") { rejectId, reason };
        reject.Run(async (cli, cancel) =>
        {
            cli.Out.Show(await cli.Operator().RejectTemplateAsync(cli.Parsed.GetValue(rejectId)!, cli.Parsed.GetValue(reason)!, cancel), Describe);
            return ExitCodes.Ok;
        });
        template.Subcommands.Add(reject);

        var name = new Option<string>("--name") { Description = "The template's name", Required = true };
        var text = new Option<string>("--text") { Description = "Its text, with {{placeholders}}", Required = true };
        var submit = new Command("submit", "Submit a template for review (business)") { name, text };
        submit.Run(async (cli, cancel) =>
        {
            cli.Out.Show(await cli.Business().SubmitTemplateAsync(cli.Parsed.GetValue(name)!, cli.Parsed.GetValue(text)!, cancel), Describe);
            return ExitCodes.Ok;
        });
        template.Subcommands.Add(submit);
        return template;
    }

    private static Table Table(List<Template> templates)
    {
        var table = Output.Table("id", "business", "name", "status", "text");
        foreach (var t in templates)
            Output.Row(table, t.Id, t.BusinessId, t.Name, t.Status + (t.Reason is null ? "" : $" ({t.Reason})"), t.Text);
        return table;
    }

    private static IRenderable Describe(Template t) => Output.Fields(
        ("id", t.Id), ("business", t.BusinessId), ("name", t.Name), ("status", t.Status), ("reason", t.Reason), ("text", t.Text),
        ("params", string.Join(", ", t.Params)), ("submitted", Output.Time(t.CreatedAt)), ("decided", Output.Time(t.DecidedAt)));
}
