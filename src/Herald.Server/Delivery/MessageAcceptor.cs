using Herald.Core.Messages;
using Herald.Core.Security;
using Herald.Server.Callbacks;
using Herald.Server.Consumer;
using Herald.Server.Http;
using Herald.Storage.Sqlite;
using Microsoft.AspNetCore.Http;

namespace Herald.Server.Delivery;

/// <summary>Validates a send, stores it durably, then wakes the devices (or the callback sender, for a failure).</summary>
public sealed class MessageAcceptor(MessageStore messages, DeviceConnections devices, CallbackSignal callbacks, TimeProvider time)
{
    public async Task<AcceptResult> Accept(Core.Businesses.Business business, SendMessageRequest request)
    {
        var validation = MessageRules.Validate(request);
        if (validation.Errors is not null)
            return new(null, Problems.Invalid(validation.Errors));
        if (validation.NotAllowedFields is not null)
            return new(null, Problems.Create(400, "content_not_allowed_for_category", "Transactional messages carry text and at most one link.",
                $"Not allowed in a transactional message: {string.Join(", ", validation.NotAllowedFields)}. Send it as promotional, or drop them."));
        if (request.Template is not null)
            return new(null, Problems.Create(400, "template_not_approved", "Templates are not available yet.", "This server does not have templates enabled."));

        var now = time.GetUtcNow();
        var message = new NewMessage(
            Secrets.NewId("msg"), business.Id, request.To!, validation.Category,
            new MessageContent { Text = request.Text, Url = request.Url, ImageUrl = request.ImageUrl, Button = request.Button, Qr = request.Qr },
            request.TrackingData, now, now.AddSeconds(request.TtlSeconds ?? MessageRules.DefaultTtlSeconds));
        var consumerId = await messages.Accept(message);
        if (consumerId is null)
            callbacks.Wake();
        else
            devices.Notify(consumerId, new WaitingMessage(message.Id, business.Id, message.Category, message.Content, message.AcceptedAt, message.ExpiresAt));
        return new(message.Id, null);
    }
}

public sealed record AcceptResult(string? MessageId, IResult? Problem);
