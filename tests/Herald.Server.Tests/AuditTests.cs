using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Herald.Server.Tests.Infrastructure;

namespace Herald.Server.Tests;

/// <summary>Every operator action leaves a record: who (token id, never the token), what, when.</summary>
public sealed class AuditTests
{
    [Fact]
    public async Task Operator_actions_are_in_the_audit_log_newest_first_without_secrets()
    {
        await using var host = await HeraldHost.Start();
        var business = await host.CreateBusiness();
        using var admin = host.Operator();
        await admin.PatchAsJsonAsync($"/admin/v1/businesses/{business.Id}", new { verified = false });
        await admin.DeleteAsync($"/admin/v1/businesses/{business.Id}/keys/{business.KeyId}");
        await admin.PutAsJsonAsync("/admin/v1/policies/44", new { transactional_requires_template = true });
        var template = await TemplateTests.Submit(await host.CreateBusiness(name: "Two"), "t", "Hello {{name}}");
        await admin.PostAsJsonAsync($"/admin/v1/templates/{template.GetProperty("id").GetString()}/reject", new { reason = "no" });

        var response = await admin.GetAsync("/admin/v1/audit");
        var text = await response.Content.ReadAsStringAsync();
        var entries = JsonDocument.Parse(text).RootElement.EnumerateArray().ToList();
        Assert.Equal(
            ["template.reject", "key.issue", "business.create", "policy.set", "key.revoke", "business.update", "key.issue", "business.create"],
            entries.Select(e => e.GetProperty("action").GetString()));
        Assert.All(entries, e =>
        {
            Assert.Equal("token:bootstrap", e.GetProperty("actor").GetString());
            Assert.True(e.GetProperty("at").GetDateTimeOffset() > DateTimeOffset.UtcNow.AddMinutes(-5));
        });
        Assert.Equal(business.Id, entries[5].GetProperty("target").GetString());
        Assert.Contains("\"verified\":false", entries[5].GetProperty("details").GetString());
        Assert.DoesNotContain(HeraldHost.OperatorToken, text, StringComparison.Ordinal);
        Assert.DoesNotContain(business.ApiKey, text, StringComparison.Ordinal);

        var page = await admin.GetFromJsonAsync<JsonElement>($"/admin/v1/audit?limit=2&before={entries[1].GetProperty("seq").GetInt64()}");
        Assert.Equal(["business.create", "policy.set"], page.EnumerateArray().Select(e => e.GetProperty("action").GetString()));
    }

    [Fact]
    public async Task Failed_operator_actions_and_reads_leave_no_record()
    {
        await using var host = await HeraldHost.Start();
        using var admin = host.Operator();
        await admin.PostAsJsonAsync("/admin/v1/businesses", new { name = "" });
        await admin.DeleteAsync("/admin/v1/businesses/nope/keys/nope");
        await admin.GetAsync("/admin/v1/businesses");
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/admin/v1/audit")).StatusCode);
        Assert.Empty((await admin.GetFromJsonAsync<JsonElement>("/admin/v1/audit")).EnumerateArray());
    }
}
