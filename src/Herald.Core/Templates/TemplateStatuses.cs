namespace Herald.Core.Templates;

/// <summary>A template's review state, as stored and as the API spells it.</summary>
public static class TemplateStatuses
{
    public const string Pending = "pending";
    public const string Approved = "approved";
    public const string Rejected = "rejected";

    public static readonly IReadOnlyList<string> All = [Pending, Approved, Rejected];
}
