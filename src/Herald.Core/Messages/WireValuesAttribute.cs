namespace Herald.Core.Messages;

/// <summary>The closed sets of strings the API speaks; <see cref="WireNames.Values"/> lists each.</summary>
public enum WireSet
{
    Category,
    MessageStatus,
    FailureReason,
    TemplateStatus,
    CallbackEventType,
    DeliveryState,
    ReplyDestinations,
}

/// <summary>Marks a string field that only ever holds one of a <see cref="WireSet"/>'s values (its schema's <c>enum</c>).</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter)]
public sealed class WireValuesAttribute(WireSet set) : Attribute
{
    public WireSet Set { get; } = set;
}
