using Herald.Server.BusinessApi;
using Herald.Server.Http;
using Herald.Server.OpenApi;
using Herald.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Herald.Server.Consumer;

public static class SenderEndpoints
{
    public static void MapSenderEndpoints(this RouteGroupBuilder me)
    {
        me.MapGet("/senders", ListSenders).Answers<List<SenderView>>("listSenders", "Senders that messaged me, and those I blocked")
            .WithDescription("Each sender's profile as consumers see it, with `blocked` and `muted`.");
        me.MapPost("/senders/{businessId}/block", (string businessId, HttpContext context, ConsumerChoices choices, TimeProvider time) =>
            SetBlocked(businessId, true, context, choices, time))
            .AnswersEmpty("blockSender", "Block a sender")
            .WithDescription("Messages from that sender stop; waiting ones fail as `blocked` and the sender gets an `unsubscribed` callback.").Errors("not_found");
        me.MapPost("/senders/{businessId}/unblock", (string businessId, HttpContext context, ConsumerChoices choices, TimeProvider time) =>
            SetBlocked(businessId, false, context, choices, time))
            .AnswersEmpty("unblockSender", "Unblock a sender")
            .WithDescription("The sender may message again and gets a `subscribed` callback.").Errors("not_found");
        me.MapPost("/senders/{businessId}/mute", (string businessId, HttpContext context, ConsumerChoices choices, SenderProfiles profiles, TimeProvider time) =>
            SetMuted(businessId, true, context, choices, profiles, time))
            .Answers<SenderView>("muteSender", "Mute a sender")
            .WithDescription("Its messages still arrive, with no notification; separate from blocking. The answer is the sender's entry.").Errors("not_found");
        me.MapPost("/senders/{businessId}/unmute", (string businessId, HttpContext context, ConsumerChoices choices, SenderProfiles profiles, TimeProvider time) =>
            SetMuted(businessId, false, context, choices, profiles, time))
            .Answers<SenderView>("unmuteSender", "Unmute a sender")
            .WithDescription("Notifications for its messages again. The answer is the sender's entry.").Errors("not_found");
        me.MapGet("/settings", (HttpContext context, ConsumerChoices choices) => TypedResults.Json(SettingsView.Of(choices.Settings(DeviceAuth.Current(context).ConsumerId)), ApiJson.Options))
            .Answers<SettingsView>("getSettings", "My opt-outs")
            .WithDescription("`business_messages` and `promotional` opt-outs, and whether processing is `restricted`.");
        me.MapPut("/settings", SaveSettings).Reads<SettingsRequest>().Answers<SettingsView>("saveSettings", "Change my opt-outs")
            .WithDescription("Fields left out keep their value.").Errors("invalid_request");
    }

    private static IResult ListSenders(HttpContext context, ConsumerChoices choices, SenderProfiles profiles)
    {
        var senders = choices.Senders(DeviceAuth.Current(context).ConsumerId)
            .Select(s => profiles.Get(s.BusinessId) is { } profile ? new SenderView(profile, s.Blocked, s.Muted) : null)
            .OfType<SenderView>();
        return TypedResults.Json(senders, ApiJson.Options);
    }

    private static async Task<IResult> SetBlocked(string businessId, bool blocked, HttpContext context, ConsumerChoices choices, TimeProvider time)
    {
        var device = DeviceAuth.Current(context);
        if (!await choices.SetBlocked(device.ConsumerId, device.Phone, businessId, blocked, time.GetUtcNow()))
            return Problems.NotFound("sender");
        return TypedResults.NoContent();
    }

    /// <summary>Mute (no notifications; messages still arrive) or unmute; the business is not told. Answers the sender's entry.</summary>
    private static async Task<IResult> SetMuted(string businessId, bool muted, HttpContext context, ConsumerChoices choices, SenderProfiles profiles, TimeProvider time)
    {
        var consumerId = DeviceAuth.Current(context).ConsumerId;
        if (!await choices.SetMuted(consumerId, businessId, muted, time.GetUtcNow()) || profiles.Get(businessId) is not { } profile)
            return Problems.NotFound("sender");
        var entry = choices.Senders(consumerId).FirstOrDefault(s => s.BusinessId == businessId);
        return TypedResults.Json(new SenderView(profile, entry.Blocked, muted), ApiJson.Options);
    }

    /// <summary>Both settings at once; a field left out keeps its value.</summary>
    private static async Task<IResult> SaveSettings(HttpContext context, ConsumerChoices choices)
    {
        var (request, problem) = await JsonBody.Read(context, ApiJson.Type<SettingsRequest>());
        if (problem is not null)
            return problem;
        var consumerId = DeviceAuth.Current(context).ConsumerId;
        var current = choices.Settings(consumerId);
        await choices.SaveSettings(consumerId, request!.BusinessMessages ?? current.BusinessMessages, request.Promotional ?? current.Promotional);
        return TypedResults.Json(SettingsView.Of(choices.Settings(consumerId)), ApiJson.Options);
    }
}

/// <summary>A sender in the consumer's list: its profile as every message shows it, and whether it is blocked or muted.</summary>
public sealed record SenderView(
    string BusinessId, string Name, string? LogoUrl, string? Description, string? LearnMoreUrl, bool Verified, bool TwoWay, bool Blocked, bool Muted)
{
    public SenderView(SenderProfile p, bool blocked, bool muted)
        : this(p.BusinessId, p.Name, p.LogoUrl, p.Description, p.LearnMoreUrl, p.Verified, p.TwoWay, blocked, muted)
    {
    }
}

public sealed record SettingsRequest(bool? BusinessMessages, bool? Promotional);

public sealed record SettingsView(bool BusinessMessages, bool Promotional, bool Restricted)
{
    public static SettingsView Of(ConsumerSettings s) => new(s.BusinessMessages, s.Promotional, s.Restricted);
}
