namespace Herald.Core.Callbacks;

/// <summary>One event in a webhook POST's <c>{"events":[…]}</c>. Null fields are left out of the JSON.</summary>
public sealed record CallbackEvent
{
    public required string EventId { get; init; }
    [Herald.Core.Messages.WireValues(Herald.Core.Messages.WireSet.CallbackEventType)] public required string Type { get; init; }
    public string? MessageId { get; init; }
    /// <summary>The message's category, on its status events (so a session answer's events say <c>session</c>).</summary>
    public string? Category { get; init; }
    public string? TemplateId { get; init; }
    public string? To { get; init; }
    public required DateTimeOffset Timestamp { get; init; }
    public string? Reason { get; init; }
    public string? TrackingData { get; init; }
    public string? Text { get; init; }
    /// <summary>The campaign that sent the message, on its status events.</summary>
    public string? CampaignId { get; init; }
}

public sealed record CallbackBatch(IReadOnlyList<CallbackEvent> Events);
