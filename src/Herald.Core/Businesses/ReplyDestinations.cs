namespace Herald.Core.Businesses;

/// <summary>
/// Where a business's replies go. Each destination gets every reply once: the webhook as a signed <c>reply</c> event
/// (at least once, de-duplicated by its <c>event_id</c>), the Console's inbox by the inbox taking it.
/// </summary>
public enum ReplyDestinations
{
    Webhook,
    Inbox,
    Both,
}

public static class ReplyDestinationNames
{
    public static readonly IReadOnlyList<string> All = ["webhook", "inbox", "both"];

    public static string Of(ReplyDestinations value) => All[(int)value];

    public static bool TryParse(string? value, out ReplyDestinations destinations)
    {
        var index = value is null ? -1 : All.ToList().IndexOf(value);
        destinations = index < 0 ? ReplyDestinations.Webhook : (ReplyDestinations)index;
        return index >= 0;
    }

    public static ReplyDestinations Parse(string value) =>
        TryParse(value, out var destinations) ? destinations : throw new ArgumentOutOfRangeException(nameof(value), value, "unknown reply destination");

    public static bool ToWebhook(this ReplyDestinations value) => value != ReplyDestinations.Inbox;

    public static bool ToInbox(this ReplyDestinations value) => value != ReplyDestinations.Webhook;
}
