namespace Herald.Core.Messages;

/// <summary>
/// A consumer's reply opens a conversation window with that business, as Viber's two-way and WhatsApp's customer
/// service window do: for 24 hours after the consumer's latest reply the business may answer free-form (category
/// <c>session</c>, with the rich content a promotional message may carry) without a template. Outside the window the
/// category and template rules apply as before.
/// </summary>
public static class Sessions
{
    public static readonly TimeSpan Window = TimeSpan.FromHours(24);

    /// <summary>Whether a session is open at <paramref name="now"/>, given the consumer's latest reply to the business.</summary>
    public static bool IsOpen(DateTimeOffset? lastReplyAt, DateTimeOffset now) =>
        lastReplyAt is { } at && now - at < Window;
}
