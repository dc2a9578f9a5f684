using Herald.Core.Json;
using Herald.Core.Messages;
using Herald.Core.Security;
using Herald.Server.Delivery;
using Herald.Server.Http;
using Herald.Storage.Sqlite;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Herald.Server.Business;

public static class MessageEndpoints
{
    public static void MapMessageEndpoints(this RouteGroupBuilder v1)
    {
        v1.MapPost("/messages", Send);
        v1.MapGet("/messages/{messageId}", GetStatus);
    }

    private static async Task<IResult> Send(HttpContext context, MessageAcceptor acceptor)
    {
        var (request, problem) = await JsonBody.Read(context, CoreJson.Default.SendMessageRequest);
        if (problem is not null)
            return problem;
        var result = await acceptor.Accept(BusinessAuth.Current(context), request!);
        return result.Problem ?? TypedResults.Json(new AcceptedMessage(result.MessageId!, "accepted"), ApiJson.Options, statusCode: 202);
    }

    private static IResult GetStatus(string messageId, HttpContext context, MessageStore messages)
    {
        var state = messages.Get(BusinessAuth.Current(context).Id, messageId);
        if (state is null)
            return Problems.NotFound("message");
        return TypedResults.Json(new MessageStatusView(
            state.Id, state.To, WireNames.Of(state.Category), WireNames.Of(state.Status),
            state.Reason is { } reason ? WireNames.Of(reason) : null,
            state.AcceptedAt, state.ExpiresAt, state.DeliveredAt, state.SeenAt,
            state.Status == MessageStatus.Expired ? state.EndedAt : null,
            state.Status == MessageStatus.Failed ? state.EndedAt : null), ApiJson.Options);
    }
}

public sealed record AcceptedMessage(string MessageId, string Status);

/// <summary>Status and times of a message. Never its content.</summary>
public sealed record MessageStatusView(
    string MessageId, string To, string Category, string Status, string? Reason,
    DateTimeOffset AcceptedAt, DateTimeOffset ExpiresAt, DateTimeOffset? DeliveredAt, DateTimeOffset? SeenAt,
    DateTimeOffset? ExpiredAt, DateTimeOffset? FailedAt);
