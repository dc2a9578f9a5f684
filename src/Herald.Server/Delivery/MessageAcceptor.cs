using Herald.Core.Businesses;
using Herald.Core.Messages;
using Herald.Core.Security;
using Herald.Core.Templates;
using Herald.Server.Consumer;
using Herald.Server.Http;
using Herald.Server.Telemetry;
using Herald.Storage;

namespace Herald.Server.Delivery;

/// <summary>
/// Turns send requests into stored messages: validation, templates and country policies (<see cref="Prepare"/>),
/// then one durable write for a whole request (<see cref="Store"/>), then waking the devices and the callback sender.
/// </summary>
public sealed class MessageAcceptor(
    MessageStore messages, TemplateStore templates, CountryPolicies policies, DeviceConnections devices, Push.PushSender pushes,
    TimeProvider time)
{
    /// <summary>Checks one message and builds what will be stored, or says what is wrong with it.</summary>
    /// <param name="approved">approved templates already looked up in this request, by id</param>
    public (NewMessage? Message, ApiError? Error) Prepare(Business business, SendMessageRequest request, Dictionary<string, Template?> approved)
    {
        var validation = MessageRules.Validate(request);
        if (validation.Errors is not null)
            return (null, ApiError.Invalid(validation.Errors));
        if (validation.NotAllowedFields is not null)
            return (null, new ApiError(400, "content_not_allowed_for_category", "Transactional messages carry text and at most one link.",
                $"Not allowed in a transactional message: {string.Join(", ", validation.NotAllowedFields)}. Send it as promotional, or drop them."));

        if (validation.Category == MessageCategory.Session && !Sessions.IsOpen(messages.LastReplyAt(business.Id, request.To!), time.GetUtcNow()))
            return (null, new ApiError(400, "session_closed", "No session is open with this consumer.",
                $"A session answer may be sent only within {Sessions.Window.TotalHours:0} hours of the consumer's latest reply. Send it as transactional (with a template where the country requires one) or promotional."));

        var text = request.Text;
        if (request.Template is { Id: { } templateId } reference)
        {
            if (!approved.TryGetValue(templateId, out var template))
                approved[templateId] = template = templates.Get(templateId, business.Id) is { Status: TemplateStatuses.Approved } t ? t : null;
            if (template is null)
                return (null, new ApiError(400, "template_not_approved", "The template is not approved.",
                    $"{business.Name} has no approved template '{templateId}'. Submit it with POST /v1/templates and wait for the operator's approval."));
            var (rendered, errors) = TemplateText.Render(template.Text, reference.Params);
            if (rendered is null)
                return (null, ApiError.Invalid(errors));
            text = rendered;
        }
        else if (validation.Category == MessageCategory.Transactional && policies.TransactionalRequiresTemplate(request.To!))
        {
            return (null, new ApiError(400, "template_required", "Transactional messages to this country must use an approved template.",
                "The operator's policy for this calling code requires templates. Send {\"template\":{\"id\",\"params\"}} instead of text."));
        }

        var now = time.GetUtcNow();
        return (new NewMessage(
            Secrets.NewId("msg"), business.Id, request.To!, validation.Category,
            new MessageContent { Text = text, Url = request.Url, ImageUrl = request.ImageUrl, Button = request.Button, Qr = request.Qr },
            request.TrackingData, now, now.AddSeconds(request.TtlSeconds ?? MessageRules.DefaultTtlSeconds)), null);
    }

    /// <summary>
    /// Stores the messages durably in one transaction (with <paramref name="sameTransaction"/>'s writes, see
    /// <see cref="MessageStore.Accept"/>), then pushes them to connected devices and queues Web Pushes.
    /// </summary>
    public async Task Store(IReadOnlyList<NewMessage> batch, IdempotencyRecord? idempotency,
        Action<System.Data.Common.DbConnection, System.Data.Common.DbTransaction>? sameTransaction = null)
    {
        using var accept = MessageTracing.StartAccept(batch.Count, batch.Count == 1 ? batch[0].Id : null);
        string?[] consumers;
        using (MessageTracing.StartStore())
            consumers = await messages.Accept(batch, idempotency, sameTransaction);
        if (accept is not null)
        {
            foreach (var m in batch)
                MessageTracing.Remember(accept, m.Id);
        }
        for (var i = 0; i < batch.Count; i++)
        {
            var m = batch[i];
            if (consumers[i] is { } consumerId)
            {
                var waiting = new WaitingMessage(m.Id, m.BusinessId, m.Category, m.Content, m.AcceptedAt, m.ExpiresAt);
                devices.Notify(consumerId, waiting);
                pushes.Offer(consumerId, waiting); // for their devices that are not connected but have a push subscription
            }
            // else it failed at once (blocked, unknown consumer): its failed event wakes the callback dispatcher after the commit
        }
    }
}
