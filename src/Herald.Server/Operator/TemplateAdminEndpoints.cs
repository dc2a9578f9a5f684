using System.ComponentModel.DataAnnotations;
using Herald.Core.Accounts;
using Herald.Core.Messages;
using Herald.Core.Templates;
using Herald.Server.Accounts;
using Herald.Server.BusinessApi;
using Herald.Server.Http;
using Herald.Server.OpenApi;
using Herald.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;

namespace Herald.Server.Operator;

public static class TemplateAdminEndpoints
{
    public static void MapTemplateAdminEndpoints(this RouteGroupBuilder admin)
    {
        admin.MapGet("/templates", ([WireValues(WireSet.TemplateStatus)] string? status, [FromQuery(Name = "business_id")] string? businessId, TemplateStore templates) =>
            status is not null && !TemplateStatuses.All.Contains(status)
                ? Problems.Invalid("status", "pending, approved or rejected")
                : TypedResults.Json(templates.List(businessId, status).Select(TemplateView.Of), ApiJson.Options))
            .Answers<List<TemplateView>>("reviewQueue", "Templates to review")
            .WithDescription("`status`: pending, approved or rejected; `business_id`: one business only.").Errors("invalid_request").Needs(Capability.ReadTemplates);
        admin.MapPost("/templates/{templateId}/approve", (string templateId, HttpContext context, TemplateStore templates, TimeProvider time) =>
            Decide(templateId, approve: true, reason: null, context, templates, time))
            .Answers<TemplateView>("approveTemplate", "Approve a pending template")
            .WithDescription("Decides once: 409 `conflict` when the template is not pending. The business gets a `template_approved` callback.").Errors("not_found", "conflict").Needs(Capability.ReviewTemplates);
        admin.MapPost("/templates/{templateId}/reject", Reject).Reads<RejectRequest>()
            .Answers<TemplateView>("rejectTemplate", "Reject a pending template, with the reason")
            .WithDescription("Decides once: 409 `conflict` when the template is not pending. The business gets a `template_rejected` callback with the reason.").Errors("invalid_request", "not_found", "conflict").Needs(Capability.ReviewTemplates);
    }

    private static async Task<IResult> Reject(string templateId, HttpContext context, TemplateStore templates, TimeProvider time)
    {
        var (request, problem) = await JsonBody.Read(context, ApiJson.Type<RejectRequest>());
        if (problem is not null)
            return problem;
        if (string.IsNullOrWhiteSpace(request!.Reason) || request.Reason.Length > 500)
            return Problems.Invalid("reason", "1 to 500 characters: the business is told why");
        return await Decide(templateId, approve: false, request.Reason.Trim(), context, templates, time);
    }

    private static async Task<IResult> Decide(string templateId, bool approve, string? reason, HttpContext context, TemplateStore templates,
        TimeProvider time)
    {
        var audit = OperatorAuth.Audit(context, time, approve ? "template.approve" : "template.reject", templateId, reason is null ? null : new { reason });
        var decided = await templates.Decide(templateId, approve, reason, audit);
        if (decided is null)
            return templates.Get(templateId, null) is null
                ? Problems.NotFound("template")
                : Problems.Create(409, "conflict", "The template has already been decided.", "Only pending templates can be approved or rejected.");
        return TypedResults.Json(TemplateView.Of(decided), ApiJson.Options);
    }
}

public sealed record RejectRequest([property: Required] string? Reason);
