using System.Text.Json.Serialization;

namespace Herald.Client.Http;

/// <summary>
/// The wire format: snake_case, nulls left out. Unknown fields in answers are ignored, so a client keeps working
/// when a newer server adds fields.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    PropertyNameCaseInsensitive = false)]
[JsonSerializable(typeof(OutgoingMessage))]
[JsonSerializable(typeof(BatchRequest))]
[JsonSerializable(typeof(SendResult))]
[JsonSerializable(typeof(BatchResult))]
[JsonSerializable(typeof(MessageStatusInfo))]
[JsonSerializable(typeof(Template))]
[JsonSerializable(typeof(List<Template>))]
[JsonSerializable(typeof(TemplateRequest))]
[JsonSerializable(typeof(SenderProfile))]
[JsonSerializable(typeof(WebhookRequest))]
[JsonSerializable(typeof(WebhookSettings))]
[JsonSerializable(typeof(RotateSecretRequest))]
[JsonSerializable(typeof(RotatedWebhookSecret))]
[JsonSerializable(typeof(DailyStatsAnswer))]
[JsonSerializable(typeof(WebhookDeliveryLog))]
[JsonSerializable(typeof(WebhookTestEvent))]
[JsonSerializable(typeof(WebhookReplay))]
[JsonSerializable(typeof(BusinessInfo))]
[JsonSerializable(typeof(List<BusinessInfo>))]
[JsonSerializable(typeof(BusinessChanges))]
[JsonSerializable(typeof(IssuedApiKey))]
[JsonSerializable(typeof(KeyRequest))]
[JsonSerializable(typeof(List<ApiKeyInfo>))]
[JsonSerializable(typeof(RejectRequest))]
[JsonSerializable(typeof(PolicyRequest))]
[JsonSerializable(typeof(CountryPolicy))]
[JsonSerializable(typeof(List<CountryPolicy>))]
[JsonSerializable(typeof(List<AuditRecord>))]
[JsonSerializable(typeof(List<OperatorInfo>))]
[JsonSerializable(typeof(OperatorInvitation))]
[JsonSerializable(typeof(IssuedOperatorLink))]
[JsonSerializable(typeof(OperatorTokenRequest))]
[JsonSerializable(typeof(IssuedOperatorToken))]
[JsonSerializable(typeof(List<OperatorTokenInfo>))]
[JsonSerializable(typeof(CampaignRequest))]
[JsonSerializable(typeof(StartRequest))]
[JsonSerializable(typeof(Campaign))]
[JsonSerializable(typeof(List<Campaign>))]
[JsonSerializable(typeof(AudienceReport))]
[JsonSerializable(typeof(Problem))]
[JsonSerializable(typeof(WebhookPayload))]
[JsonSerializable(typeof(SignInCodeRequest))]
[JsonSerializable(typeof(SignInRequest))]
[JsonSerializable(typeof(DeviceSignIn))]
[JsonSerializable(typeof(DeviceOutFrame))]
[JsonSerializable(typeof(ReadyFrame))]
[JsonSerializable(typeof(MessageFrame))]
[JsonSerializable(typeof(ReplySentFrame))]
[JsonSerializable(typeof(AckedFrame))]
[JsonSerializable(typeof(ErrorFrame))]
internal sealed partial class ClientJson : JsonSerializerContext;

internal sealed record BatchRequest(IReadOnlyList<OutgoingMessage> Messages);
internal sealed record TemplateRequest(string Name, string Text);
internal sealed record WebhookRequest(string Url);
internal sealed record RotateSecretRequest(int? OverlapSeconds);
internal sealed record DailyStatsAnswer(IReadOnlyList<DailyStats> Days);
internal sealed record RejectRequest(string Reason);
internal sealed record PolicyRequest(bool TransactionalRequiresTemplate);
internal sealed record SignInCodeRequest(string Phone);
internal sealed record SignInRequest(string Phone, string Code);
internal sealed record CampaignRequest(string Name, CampaignMessage Message, int? RatePerSecond);
internal sealed record StartRequest(DateTimeOffset? StartAt);

/// <summary>RFC 9457 problem+json with Herald's <c>code</c>.</summary>
internal sealed record Problem(string? Code, string? Title, string? Detail, Dictionary<string, string>? Errors);
