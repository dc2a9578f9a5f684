namespace Herald.Core.Businesses;

/// <summary>
/// What an API key may do. Every business route names exactly one scope (docs/api.md lists them); a key issued
/// without scopes, and every key issued before scopes existed, holds them all.
/// </summary>
public static class ApiScopes
{
    /// <summary>Send messages: <c>POST /v1/messages</c> and <c>/v1/messages/batch</c>.</summary>
    public const string Send = "send";
    /// <summary>Read message status, daily stats and the sender profile.</summary>
    public const string Status = "status";
    /// <summary>Submit and read templates.</summary>
    public const string Templates = "templates";
    /// <summary>Set the webhook, rotate its secret, test it, read and replay its deliveries.</summary>
    public const string Webhook = "webhook";
    /// <summary>Create, fill, run and read campaigns.</summary>
    public const string Campaigns = "campaigns";
    /// <summary>Where replies go, and taking replies from the inbox.</summary>
    public const string Inbox = "inbox";

    public static readonly IReadOnlyList<string> All = [Send, Status, Templates, Webhook, Campaigns, Inbox];

    /// <summary>The scopes as stored: null (all) or a space-separated list, like OAuth's <c>scope</c>.</summary>
    public static IReadOnlyList<string> Parse(string? stored) =>
        stored is null ? All : stored.Split(' ', StringSplitOptions.RemoveEmptyEntries);

    public static string? Format(IReadOnlyList<string>? scopes) =>
        scopes is null || All.All(scopes.Contains) ? null : string.Join(' ', All.Where(scopes.Contains));

    /// <returns>the names that are not scopes</returns>
    public static List<string> Unknown(IEnumerable<string> scopes) => scopes.Where(s => !All.Contains(s)).Distinct().ToList();
}
