using System.Text.Json.Nodes;
using E = Herald.Core.Callbacks.CallbackEventTypes;
using Herald.Core.Callbacks;
using Herald.Core.Messages;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Herald.Server.OpenApi;

/// <summary>
/// The callbacks Herald POSTs to a business's webhook URL, in the document's <c>webhooks</c>: one entry and one
/// schema per event type (<see cref="CallbackEventTypes"/>), with the fields the stores fill for that type.
/// </summary>
public static class Webhooks
{
    private static readonly string[] s_message = ["message_id", "to", "category"];

    /// <summary>The fields each event type carries beyond <c>event_id</c>, <c>type</c> and <c>timestamp</c> (required, optional).</summary>
    private static (string[] Required, string[] Optional, string Description) Fields(string type) => type switch
    {
        E.Delivered => (s_message, ["tracking_data", "campaign_id"], "The message reached one of the consumer's devices."),
        E.Seen => (s_message, ["tracking_data", "campaign_id"], "The consumer opened the message."),
        E.Expired => (s_message, ["tracking_data", "campaign_id"], "The message's TTL passed before delivery."),
        E.Failed => ([.. s_message, "reason"], ["tracking_data", "campaign_id"], "The message will not be delivered; `reason` says why."),
        E.Reply => (["to", "text"], ["message_id"], "A consumer replied (two-way businesses only); `message_id` is the message replied to."),
        E.Unsubscribed => (["to"], [], "The consumer blocked this sender."),
        E.Subscribed => (["to"], [], "The consumer unblocked this sender."),
        E.TemplateApproved => (["template_id"], [], "The operator approved a template."),
        E.TemplateRejected => (["template_id", "reason"], [], "The operator rejected a template; `reason` is the operator's."),
        E.WebhookTest => ([], [], "A test event the business asked for with `POST /v1/webhook/test`: it comes the way every event comes."),
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "no schema for this callback event type"),
    };

    public static Task Add(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancel)
    {
        document.Components ??= new OpenApiComponents();
        document.Components.Schemas ??= new Dictionary<string, IOpenApiSchema>();
        document.Webhooks = new Dictionary<string, IOpenApiPathItem>();
        foreach (var type in CallbackEventTypes.All)
        {
            var (required, optional, description) = Fields(type);
            var name = SchemaName(type);
            document.Components.Schemas[name] = EventSchema(type, required, optional, description);
            document.Webhooks[type] = new OpenApiPathItem
            {
                Operations = new Dictionary<HttpMethod, OpenApiOperation> { [HttpMethod.Post] = Callback(type, name, description) },
            };
        }
        return Task.CompletedTask;
    }

    public static string SchemaName(string type) =>
        string.Concat(type.Split('_', '.').Select(part => char.ToUpperInvariant(part[0]) + part[1..])) + "Event";

    private static OpenApiOperation Callback(string type, string schema, string description) => new()
    {
        OperationId = "callback" + schema,
        Summary = $"`{type}` events",
        Description = description + " One POST carries `{\"events\":[…]}`, batched, and may mix types; this entry describes the "
            + $"`{type}` ones. Signed the Standard Webhooks way (`webhook-id`, `webhook-timestamp`, `webhook-signature`); any 2xx acknowledges.",
        Tags = new HashSet<OpenApiTagReference> { new(OpenApiSetup.BusinessTag) },
        Security = [], // Herald signs the POST (the headers below); the receiver is asked for no credential
        Parameters =
        [
            Header("webhook-id", "The POST's id (`wh_…`), the same on each retry: de-duplicate by it."),
            Header("webhook-timestamp", "When this attempt was signed, unix seconds."),
            Header("webhook-signature", "`v1,<base64 HMAC-SHA256>`; two, space-separated, during a secret rotation."),
        ],
        RequestBody = new OpenApiRequestBody
        {
            Required = true,
            Content = new Dictionary<string, OpenApiMediaType>
            {
                ["application/json"] = new()
                {
                    Schema = new OpenApiSchema
                    {
                        Type = JsonSchemaType.Object,
                        Required = new HashSet<string> { "events" },
                        Properties = new Dictionary<string, IOpenApiSchema>
                        {
                            ["events"] = new OpenApiSchema { Type = JsonSchemaType.Array, MinItems = 1, Items = new OpenApiSchemaReference(schema) },
                        },
                    },
                },
            },
        },
        Responses = new OpenApiResponses { ["200"] = new OpenApiResponse { Description = "Any 2xx acknowledges the POST; anything else is retried." } },
    };

    private static OpenApiSchema EventSchema(string type, string[] required, string[] optional, string description)
    {
        var properties = new Dictionary<string, IOpenApiSchema>
        {
            ["event_id"] = Text("Unique per event (`evt_…`): de-duplicate by it."),
            ["type"] = new OpenApiSchema { Type = JsonSchemaType.String, Const = type, Enum = [(JsonNode)type] },
            ["timestamp"] = new OpenApiSchema { Type = JsonSchemaType.String, Format = "date-time" },
        };
        foreach (var field in required.Concat(optional))
            properties[field] = Field(field, type);
        return new OpenApiSchema
        {
            Type = JsonSchemaType.Object,
            Description = description,
            Properties = properties,
            Required = new HashSet<string>(["event_id", "type", "timestamp", .. required]),
        };
    }

    private static OpenApiSchema Field(string name, string type) => name switch
    {
        "to" => new OpenApiSchema { Type = JsonSchemaType.String, Pattern = PhoneNumber.Pattern, Description = "The consumer's phone number (E.164)." },
        "reason" when type == E.Failed => new OpenApiSchema
        {
            Type = JsonSchemaType.String,
            Enum = [.. WireNames.Values(WireSet.FailureReason).Select(v => (JsonNode)v)],
        },
        "category" => new OpenApiSchema
        {
            Type = JsonSchemaType.String,
            Enum = [.. WireNames.Values(WireSet.Category).Select(v => (JsonNode)v)],
            Description = "The message's category.",
        },
        "campaign_id" => Text("The campaign that sent the message, when one did."),
        "tracking_data" => Text("The `tracking_data` the message was sent with."),
        "text" => Text("The reply's text."),
        _ => Text(null),
    };

    private static OpenApiSchema Text(string? description) => new() { Type = JsonSchemaType.String, Description = description };

    private static OpenApiParameter Header(string name, string description) => new()
    {
        Name = name,
        In = ParameterLocation.Header,
        Required = true,
        Description = description,
        Schema = new OpenApiSchema { Type = JsonSchemaType.String },
    };
}
