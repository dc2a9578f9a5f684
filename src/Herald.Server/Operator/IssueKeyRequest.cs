using System.ComponentModel.DataAnnotations;
using Herald.Core.Businesses;

namespace Herald.Server.Operator;

/// <summary>
/// The optional body of <c>POST /admin/v1/businesses/{id}/keys</c>. Without <c>scopes</c> the key holds every scope;
/// without <c>expires_at</c> it never expires.
/// </summary>
public sealed record IssueKeyRequest
{
    public const int MaxNameLength = 100;

    [MaxLength(MaxNameLength)] public string? Name { get; init; }
    /// <summary>Some of <c>send</c>, <c>status</c>, <c>templates</c>, <c>webhook</c>, <c>campaigns</c>, <c>inbox</c>.</summary>
    public List<string>? Scopes { get; init; }
    public DateTimeOffset? ExpiresAt { get; init; }

    public Dictionary<string, string> Validate(DateTimeOffset now)
    {
        var errors = new Dictionary<string, string>();
        if (Name is not null && (string.IsNullOrWhiteSpace(Name) || Name.Length > MaxNameLength))
            errors["name"] = $"1 to {MaxNameLength} characters";
        if (Scopes is { Count: 0 })
            errors["scopes"] = $"at least one of: {string.Join(", ", ApiScopes.All)} (leave the field out for all)";
        else if (Scopes is not null && ApiScopes.Unknown(Scopes) is { Count: > 0 } unknown)
            errors["scopes"] = $"unknown scope {string.Join(", ", unknown)}; scopes are {string.Join(", ", ApiScopes.All)}";
        if (ExpiresAt <= now)
            errors["expires_at"] = "must be in the future";
        return errors;
    }
}
