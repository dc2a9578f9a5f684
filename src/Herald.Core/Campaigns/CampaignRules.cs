using Herald.Core.Messages;

namespace Herald.Core.Campaigns;

/// <summary>Checks a new campaign: its name, its message (by the rules of a single send) and its rate.</summary>
public static class CampaignRules
{
    public const int MaxNameLength = 200;
    public const int MaxStartDays = 90;

    // The message is checked as a send request; each recipient's number comes from the audience, so a valid
    // stand-in (a number reserved for fiction) fills `to` while checking.
    private const string StandInPhone = "+447700900000";

    /// <summary>What is wrong with the request, keyed by field (empty when valid), and rich fields its category does not allow.</summary>
    public static (Dictionary<string, string> Errors, IReadOnlyList<string>? NotAllowedFields) Validate(CreateCampaignRequest request)
    {
        var errors = new Dictionary<string, string>();
        if (string.IsNullOrWhiteSpace(request.Name))
            errors["name"] = "required";
        else if (MessageRules.Characters(request.Name) > MaxNameLength)
            errors["name"] = $"at most {MaxNameLength} characters";
        if (request.RatePerSecond is < 1)
            errors["rate_per_second"] = "at least 1";
        if (request.Message is not { } message)
        {
            errors["message"] = "required";
            return (errors, null);
        }
        if (message.To is not null)
            errors["message.to"] = "leave it out: each recipient comes from the audience";
        if (message.Template?.Params is { Count: > 0 })
            errors["message.template.params"] = "leave them out: each recipient's params come from the audience's columns";
        var validation = MessageRules.Validate(message with { To = StandInPhone, Template = message.Template is { } t ? t with { Params = null } : null });
        foreach (var (field, error) in validation.Errors ?? new Dictionary<string, string>())
            errors[$"message.{field}"] = error;
        if (validation.Errors is null && validation.Category == MessageCategory.Session)
            errors["message.category"] = "a campaign is 'transactional' or 'promotional': session answers go to one consumer at a time";
        return (errors, validation.NotAllowedFields);
    }

    /// <summary>A campaign may not send faster than its business's rate limit.</summary>
    public static bool RateAllowed(int ratePerSecond, int businessRate) => ratePerSecond <= businessRate;

    /// <summary>What is wrong with a start time (null when fine): at most <see cref="MaxStartDays"/> days ahead.</summary>
    public static string? CheckStart(DateTimeOffset? startAt, DateTimeOffset now) =>
        startAt is { } at && at > now.AddDays(MaxStartDays) ? $"at most {MaxStartDays} days ahead" : null;
}
