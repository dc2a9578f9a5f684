using System.ComponentModel.DataAnnotations;
using Herald.Server.Http;
using Herald.Server.OpenApi;
using Herald.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Herald.Server.Operator;

public static class AuditEndpoints
{
    private const int MaxLimit = 1000;

    /// <summary><c>GET /admin/v1/audit?limit=100&amp;before=SEQ</c>: newest first; pass the last <c>seq</c> as <c>before</c> for the next page.</summary>
    public static void MapAuditEndpoints(this RouteGroupBuilder admin) =>
        admin.MapGet("/audit", ([Range(1, MaxLimit)] int? limit, long? before, AuditLog audit) =>
            limit is < 1 or > MaxLimit
                ? Problems.Invalid("limit", $"1 to {MaxLimit}")
                : TypedResults.Json(audit.List(limit ?? 100, before), ApiJson.Options))
            .Answers<List<AuditRecord>>("auditLog", "Audit log, newest first")
            .WithDescription("`limit` 1 to 1000 (default 100); `before`: the last `seq` seen, to page back.").Errors("invalid_request");
}
