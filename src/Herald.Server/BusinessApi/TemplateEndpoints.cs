using Herald.Core.Businesses;
using System.ComponentModel.DataAnnotations;
using Herald.Core.Messages;
using Herald.Core.Security;
using Herald.Core.Templates;
using Herald.Server.Http;
using Herald.Server.OpenApi;
using Herald.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Herald.Server.BusinessApi;

public static class TemplateEndpoints
{
    public static void MapTemplateEndpoints(this RouteGroupBuilder v1)
    {
        v1.MapPost("/templates", Submit).Reads<TemplateRequest>().Answers<TemplateView>("submitTemplate", "Submit a template for review", 201)
            .WithDescription("`text` uses `{{placeholders}}`; the template is `pending` until the operator decides.").Errors("invalid_request")
            .RequiresScope(ApiScopes.Templates);
        v1.MapGet("/templates", (HttpContext context, TemplateStore templates) =>
            TypedResults.Json(templates.List(BusinessAuth.Current(context).Id, null).Select(TemplateView.Of), ApiJson.Options))
            .Answers<List<TemplateView>>("listTemplates", "This business's templates")
            .WithDescription("Every template this business submitted, whatever its status, with its placeholders in `params`.")
            .RequiresScope(ApiScopes.Templates);
        v1.MapGet("/templates/{templateId}", (string templateId, HttpContext context, TemplateStore templates) =>
            templates.Get(templateId, BusinessAuth.Current(context).Id) is { } t ? TypedResults.Json(TemplateView.Of(t), ApiJson.Options) : Problems.NotFound("template"))
            .Answers<TemplateView>("getTemplate", "One of this business's templates")
            .WithDescription("404 `not_found` for an id that is not this business's.").Errors("not_found")
            .RequiresScope(ApiScopes.Templates);
    }

    /// <summary>Submits a template for the operator's review; it can be used once approved.</summary>
    private static async Task<IResult> Submit(HttpContext context, TemplateStore templates, TimeProvider time)
    {
        var (request, problem) = await JsonBody.Read(context, ApiJson.Type<TemplateRequest>());
        if (problem is not null)
            return problem;
        var errors = new Dictionary<string, string>();
        if (string.IsNullOrWhiteSpace(request!.Name) || request.Name.Length > 100)
            errors["name"] = "1 to 100 characters";
        if (TemplateText.Validate(request.Text) is { } textError)
            errors["text"] = textError;
        if (errors.Count > 0)
            return Problems.Invalid(errors);

        var template = new Template(Secrets.NewId("tpl"), BusinessAuth.Current(context).Id, request.Name!.Trim(), request.Text!, TemplateStatuses.Pending, null, time.GetUtcNow(), null);
        await templates.Insert(template);
        return TypedResults.Json(TemplateView.Of(template), ApiJson.Options, statusCode: 201);
    }
}

public sealed record TemplateRequest([property: Required] string? Name, [property: Required] string? Text);

public sealed record TemplateView(
    string Id, string BusinessId, string Name, string Text, IReadOnlyCollection<string> Params, [property: WireValues(WireSet.TemplateStatus)] string Status, string? Reason,
    DateTimeOffset CreatedAt, DateTimeOffset? DecidedAt)
{
    public static TemplateView Of(Template t) =>
        new(t.Id, t.BusinessId, t.Name, t.Text, [.. TemplateText.Placeholders(t.Text).Order(StringComparer.Ordinal)], t.Status, t.Reason, t.CreatedAt, t.DecidedAt);
}
