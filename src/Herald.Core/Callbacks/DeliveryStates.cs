namespace Herald.Core.Callbacks;

/// <summary>Where a callback event is in its delivery, as the webhook delivery log spells it.</summary>
public static class DeliveryStates
{
    /// <summary>Still being tried.</summary>
    public const string Pending = "pending";
    /// <summary>Acknowledged by the receiver (a 2xx).</summary>
    public const string Sent = "sent";
    /// <summary>Retries ran out.</summary>
    public const string Abandoned = "abandoned";

    public static readonly IReadOnlyList<string> All = [Pending, Sent, Abandoned];
}
