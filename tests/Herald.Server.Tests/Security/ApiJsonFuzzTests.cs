using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Herald.Core.Messages;
using Herald.Core.Templates;
using Herald.Fuzzing;
using Herald.Server.BusinessApi;
using Herald.Server.Consumer;
using Herald.Server.Http;
using Herald.Server.Operator;

namespace Herald.Server.Tests.Security;

/// <summary>
/// API4/API8, in process and fast: every request type read with the server's JSON options from mutated bodies. JsonBody
/// answers a <see cref="JsonException"/> with 400 and nothing else, so that is the only exception allowed; what does
/// parse then goes through the endpoint's own checks, which must refuse odd values rather than throw (a 500).
/// </summary>
public sealed class ApiJsonFuzzTests
{
    private static void Fuzz<T>(JsonTypeInfo<T> type, Action<T> check, params string[] seeds) =>
        JsonMutations.Of(seeds).Fuzz(json =>
        {
            T? value;
            try
            {
                value = JsonSerializer.Deserialize(json, type);
            }
            catch (JsonException)
            {
                return;
            }
            if (value is not null)
                check(value);
        }, 1_500, FuzzText.Hex);

    [Fact]
    public void Batches_parse_or_fail_as_JSON_and_every_item_validates() =>
        Fuzz(ApiJson.Type<BatchRequest>(), batch =>
        {
            foreach (var item in batch.Messages ?? [])
            {
                if (item is not null)
                    MessageRules.Validate(item);
            }
        }, """{"messages":[{"to":"+447700900123","category":"transactional","text":"Hi","template":{"id":"tpl_1","params":{"a":"b"}}},null]}""");

    [Fact]
    public void Business_input_parses_or_fails_as_JSON_and_validates() =>
        Fuzz(ApiJson.Type<BusinessInput>(), input =>
        {
            input.Validate(creating: true);
            input.Validate(creating: false);
        }, """
            {"business_id":"acme","name":"Acme","logo_url":"https://acme.example/l.png","description":"d","learn_more_url":"https://acme.example/",
             "verified":true,"allowed_ips":["127.0.0.1","10.0.0.0/8","::1"],"two_way":false,"rate_limit_per_second":100}
            """);

    [Fact]
    public void Device_frames_parse_or_fail_as_JSON() =>
        Fuzz(ApiJson.Type<DeviceFrame>(), frame => _ = frame.MessageIds?.Count,
            """{"type":"delivered","message_ids":["msg_1","msg_2"]}""", """{"type":"auth","token":"hdt_x"}""",
            """{"type":"reply","business_id":"biz_1","message_id":"msg_1","text":"Thanks 😀","ref":"r1"}""");

    [Fact]
    public void Consumer_and_operator_bodies_parse_or_fail_as_JSON_and_validate()
    {
        Fuzz(ApiJson.Type<SignInRequest>(), r => PhoneNumber.IsValid(r.Phone), """{"phone":"+447700900123","code":"123456"}""");
        Fuzz(ApiJson.Type<CodeRequest>(), r => PhoneNumber.IsValid(r.Phone), """{"phone":"+447700900123"}""");
        Fuzz(ApiJson.Type<TemplateRequest>(), r => TemplateText.Validate(r.Text), """{"name":"welcome","text":"Hi {{name}}"}""");
        Fuzz(ApiJson.Type<SettingsRequest>(), _ => { }, """{"business_messages":true,"promotional":false}""");
        Fuzz(ApiJson.Type<RestrictionRequest>(), _ => { }, """{"restricted":true}""");
        Fuzz(ApiJson.Type<PolicyRequest>(), _ => { }, """{"transactional_requires_template":true}""");
        Fuzz(ApiJson.Type<RejectRequest>(), _ => { }, """{"reason":"Misleading"}""");
        Fuzz(ApiJson.Type<WebhookRequest>(), _ => { }, """{"url":"https://acme.example/hook"}""");
    }
}
