using System.Net;
using Herald.Client;
using Herald.Server.Tests.Infrastructure;

namespace Herald.Server.Tests.Sdk;

/// <summary>The SDK's business and operator clients against a real server: typed answers, and refusals as typed errors.</summary>
public sealed class ClientTests
{
    private const string Phone = "+447700900123";

    [Fact]
    public async Task An_operator_sets_up_a_business_and_the_business_sends_reads_status_and_manages_templates()
    {
        await using var host = await HeraldHost.Start();
        using var admin = new HeraldOperatorClient(new HeraldClientOptions { BaseAddress = host.BaseAddress, Credential = HeraldHost.OperatorToken });
        var created = await admin.CreateBusinessAsync(new BusinessChanges
        {
            BusinessId = "acme", Name = "Acme Parcels", AllowedIps = ["127.0.0.1", "::1"], LogoUrl = "https://acme.example/logo.png",
        });
        Assert.Equal(("acme", false), (created.BusinessId, created.Verified));
        Assert.True((await admin.UpdateBusinessAsync("acme", new BusinessChanges { Verified = true })).Verified);
        var key = await admin.IssueKeyAsync("acme");
        Assert.StartsWith("hk_", key.ApiKey, StringComparison.Ordinal);
        Assert.Contains(await admin.ListKeysAsync("acme"), k => k.KeyId == key.KeyId && k.RevokedAt is null);

        using var client = new HeraldClient(new HeraldClientOptions { BaseAddress = host.BaseAddress, Credential = key.ApiKey });
        var profile = await client.GetProfileAsync();
        Assert.Equal(("acme", "Acme Parcels", true), (profile.BusinessId, profile.Name, profile.Verified));
        var webhook = await client.SetWebhookAsync(host.Receiver.WebhookUrl);
        Assert.StartsWith("whsec_", webhook.Secret, StringComparison.Ordinal);
        var rotated = await client.RotateWebhookSecretAsync(TimeSpan.FromHours(1));
        Assert.NotEqual(webhook.Secret, rotated.Secret);
        Assert.InRange(rotated.PreviousSecretExpiresAt, DateTimeOffset.UtcNow.AddMinutes(59), DateTimeOffset.UtcNow.AddMinutes(61));
        Assert.Equal(rotated.Secret, (await client.SetWebhookAsync(host.Receiver.WebhookUrl)).Secret);

        var sent = await client.SendAsync(new OutgoingMessage { To = "+447700900999", Category = MessageCategory.Transactional, Text = "hello", TrackingData = "t-1" });
        Assert.Equal("accepted", sent.Status);
        var status = await client.GetStatusAsync(sent.MessageId);
        Assert.Equal((sent.MessageId, "failed", "not_registered", "transactional"), (status.MessageId, status.Status, status.Reason, status.Category));
        Assert.NotNull(status.FailedAt);

        var template = await client.SubmitTemplateAsync("shipped", "Hi {{name}}, your parcel is on its way");
        Assert.Equal(["name"], template.Params);
        Assert.Equal("pending", (await client.GetTemplateAsync(template.Id)).Status);
        Assert.Contains(await admin.ListTemplatesAsync("pending"), t => t.Id == template.Id);
        var rejected = await admin.RejectTemplateAsync(template.Id, "Say who you are");
        Assert.Equal(("rejected", "Say who you are"), (rejected.Status, rejected.Reason));
        Assert.Equal("rejected", Assert.Single(await client.ListTemplatesAsync()).Status);

        await admin.SetPolicyAsync("44", transactionalRequiresTemplate: true);
        Assert.Contains(await admin.ListPoliciesAsync(), p => p.CallingCode == "44" && p.TransactionalRequiresTemplate);
        var refused = await Assert.ThrowsAsync<HeraldApiException>(() =>
            client.SendAsync(new OutgoingMessage { To = Phone, Category = MessageCategory.Transactional, Text = "no template" }));
        Assert.Equal("template_required", refused.Code);

        var audit = await admin.GetAuditLogAsync(10);
        Assert.Equal("policy.set", audit[0].Action);
        Assert.Contains(audit, a => a.Action == "key.issue" && a.Target == "acme");
        await admin.RevokeKeyAsync("acme", key.KeyId);
        var revoked = await Assert.ThrowsAsync<HeraldApiException>(() => client.GetProfileAsync());
        Assert.Equal((HttpStatusCode.Unauthorized, "unauthorized"), (revoked.Status, revoked.Code));
    }

    [Fact]
    public async Task A_batch_answers_per_message_in_order_and_invalid_sends_name_their_fields()
    {
        await using var host = await HeraldHost.Start();
        var business = await host.CreateBusiness();
        using var client = new HeraldClient(new HeraldClientOptions { BaseAddress = host.BaseAddress, Credential = business.ApiKey });

        var batch = await client.SendBatchAsync([
            new OutgoingMessage { To = Phone, Category = MessageCategory.Transactional, Text = "one" },
            new OutgoingMessage { To = Phone, Category = MessageCategory.Transactional, Text = "two", ImageUrl = "https://acme.example/a.png" },
            new OutgoingMessage { To = Phone, Category = MessageCategory.Promotional, Text = "three", Button = new MessageButton("Open", "app://orders/3") },
        ]);
        Assert.Equal(2, batch.Accepted);
        Assert.NotNull(batch.Results[0].MessageId);
        Assert.Equal("content_not_allowed_for_category", batch.Results[1].Error!.Code);
        Assert.NotNull(batch.Results[2].MessageId);

        var invalid = await Assert.ThrowsAsync<HeraldApiException>(() =>
            client.SendAsync(new OutgoingMessage { To = "0044", Category = MessageCategory.Transactional, Text = "x", TtlSeconds = 5 }));
        Assert.Equal((HttpStatusCode.BadRequest, "invalid_request"), (invalid.Status, invalid.Code));
        Assert.Contains("to", invalid.Errors.Keys);
        Assert.Contains("ttl_seconds", invalid.Errors.Keys);

        var missing = await Assert.ThrowsAsync<HeraldApiException>(() => client.GetStatusAsync("msg_nope"));
        Assert.Equal("not_found", missing.Code);
    }

    [Fact]
    public async Task Another_tenants_message_is_not_found_and_a_key_used_from_outside_the_allowlist_is_refused()
    {
        await using var host = await HeraldHost.Start();
        var acme = await host.CreateBusiness();
        var other = await host.CreateBusiness(name: "Other");
        var fenced = await host.CreateBusiness(allowedIps: ["203.0.113.0/24"], webhook: false);
        var id = await acme.SendOk(new { to = Phone, category = "transactional", text = "mine" });

        using var otherClient = new HeraldClient(new HeraldClientOptions { BaseAddress = host.BaseAddress, Credential = other.ApiKey });
        Assert.Equal("not_found", (await Assert.ThrowsAsync<HeraldApiException>(() => otherClient.GetStatusAsync(id))).Code);
        using var fencedClient = new HeraldClient(new HeraldClientOptions { BaseAddress = host.BaseAddress, Credential = fenced.ApiKey });
        var refused = await Assert.ThrowsAsync<HeraldApiException>(() => fencedClient.GetProfileAsync());
        Assert.Equal((HttpStatusCode.Forbidden, "ip_not_allowed"), (refused.Status, refused.Code));
        Assert.Contains("allowlist", refused.Message, StringComparison.Ordinal);
    }
}
