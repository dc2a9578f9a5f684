using System.ComponentModel.DataAnnotations;
using Herald.Core.Accounts;
using Herald.Server.Accounts;
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
    private const int MaxFilterLength = 320;

    /// <summary><c>GET /admin/v1/audit?limit=100&amp;before=SEQ&amp;actor=…&amp;action=…&amp;target=…</c>: newest first; pass the last <c>seq</c> as <c>before</c> for the next page.</summary>
    public static void MapAuditEndpoints(this RouteGroupBuilder admin) =>
        admin.MapGet("/audit", ([Range(1, MaxLimit)] int? limit, long? before, [MaxLength(MaxFilterLength)] string? actor,
                [MaxLength(MaxFilterLength)] string? action, [MaxLength(MaxFilterLength)] string? target, AuditLog audit) =>
            limit is < 1 or > MaxLimit ? Problems.Invalid("limit", $"1 to {MaxLimit}")
            : new[] { actor, action, target }.Any(f => f is { Length: > MaxFilterLength }) ? Problems.Invalid("filter", $"at most {MaxFilterLength} characters")
            : TypedResults.Json(audit.List(limit ?? 100, before, new AuditFilter(Blank(actor), Blank(action), Blank(target))), ApiJson.Options))
            .Answers<List<AuditRecord>>("auditLog", "Audit log, newest first")
            .WithDescription("`limit` 1 to 1000 (default 100); `before`: the last `seq` seen, to page back. `actor` (an e-mail or `token:NAME`), "
                + "`action` (e.g. `business.update`) and `target` (e.g. a business id) each keep only the entries that match exactly.")
            .Errors("invalid_request").Needs(Capability.Read);

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
