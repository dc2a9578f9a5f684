using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Herald.Server.Tests.Infrastructure;
using static Herald.Server.Tests.BusinessApiTests;

namespace Herald.Server.Tests;

/// <summary>Templates: submitted by the business, reviewed by the operator, required where a country's policy says so.</summary>
public sealed class TemplateTests
{
    private const string Phone = "+447700900123";

    [Fact]
    public async Task A_template_is_pending_until_approved_then_sends_with_its_params_filled_in()
    {
        await using var host = await HeraldHost.Start();
        var business = await host.CreateBusiness();
        var template = await Submit(business, "delivery", "Hi {{name}}, parcel {{parcel}} arrives today.");
        Assert.Equal("pending", template.GetProperty("status").GetString());
        Assert.Equal(["name", "parcel"], template.GetProperty("params").EnumerateArray().Select(p => p.GetString()));
        var id = template.GetProperty("id").GetString()!;

        var pending = await business.Send(new { to = Phone, category = "transactional", template = new { id, @params = new { name = "Ann", parcel = "42" } } });
        await AssertProblem(pending, HttpStatusCode.BadRequest, "template_not_approved");

        using var admin = host.Operator();
        var queue = await admin.GetFromJsonAsync<JsonElement>("/admin/v1/templates?status=pending");
        Assert.Contains(queue.EnumerateArray(), t => t.GetProperty("id").GetString() == id);
        var approved = await admin.PostAsync($"/admin/v1/templates/{id}/approve", null);
        Assert.Equal(HttpStatusCode.OK, approved.StatusCode);
        var events = await host.Receiver.WaitForEvents(e => e.Count >= 1);
        Assert.Equal("template_approved", events[0].GetProperty("type").GetString());
        Assert.Equal(id, events[0].GetProperty("template_id").GetString());

        var token = await host.SignIn(Phone);
        var messageId = await business.SendOk(new { to = Phone, category = "transactional", template = new { id, @params = new { name = "Ann", parcel = "42" } } });
        await using var device = await host.Connect(token);
        var message = (await device.Next("message")).GetProperty("message");
        Assert.Equal(messageId, message.GetProperty("message_id").GetString());
        Assert.Equal("Hi Ann, parcel 42 arrives today.", message.GetProperty("text").GetString());

        // Decided once: a second decision is a conflict, not a silent change.
        await AssertProblem(await admin.PostAsync($"/admin/v1/templates/{id}/approve", null), HttpStatusCode.Conflict, "conflict");
    }

    [Fact]
    public async Task A_rejection_carries_the_operators_reason_to_the_business()
    {
        await using var host = await HeraldHost.Start();
        var business = await host.CreateBusiness();
        var id = (await Submit(business, "promo", "WIN A PRIZE {{name}}!!!")).GetProperty("id").GetString()!;
        using var admin = host.Operator();
        await AssertProblem(await admin.PostAsJsonAsync($"/admin/v1/templates/{id}/reject", new { reason = "" }), HttpStatusCode.BadRequest, "invalid_request");
        var rejected = await admin.PostAsJsonAsync($"/admin/v1/templates/{id}/reject", new { reason = "Misleading prize claim" });
        Assert.Equal(HttpStatusCode.OK, rejected.StatusCode);

        var events = await host.Receiver.WaitForEvents(e => e.Count >= 1);
        Assert.Equal("template_rejected", events[0].GetProperty("type").GetString());
        Assert.Equal("Misleading prize claim", events[0].GetProperty("reason").GetString());
        using var client = business.Client();
        var view = await client.GetFromJsonAsync<JsonElement>($"/v1/templates/{id}");
        Assert.Equal("rejected", view.GetProperty("status").GetString());
        Assert.Equal("Misleading prize claim", view.GetProperty("reason").GetString());
        var send = await business.Send(new { to = Phone, category = "transactional", template = new { id, @params = new { name = "Ann" } } });
        await AssertProblem(send, HttpStatusCode.BadRequest, "template_not_approved");
    }

    [Fact]
    public async Task Where_the_country_requires_templates_transactional_text_is_refused_and_promotional_is_not()
    {
        await using var host = await HeraldHost.Start();
        var business = await host.CreateBusiness();
        using var admin = host.Operator();
        Assert.Equal(HttpStatusCode.OK, (await admin.PutAsJsonAsync("/admin/v1/policies/44", new { transactional_requires_template = true })).StatusCode);

        await AssertProblem(await business.Send(new { to = Phone, category = "transactional", text = "Your code is 1234" }), HttpStatusCode.BadRequest, "template_required");
        await business.SendOk(new { to = "+15550100999", category = "transactional", text = "other countries are free" });
        await business.SendOk(new { to = Phone, category = "promotional", text = "promotions are not covered by the policy" });

        var id = (await Submit(business, "otp", "Your code is {{code}}")).GetProperty("id").GetString()!;
        await admin.PostAsync($"/admin/v1/templates/{id}/approve", null);
        await business.SendOk(new { to = Phone, category = "transactional", template = new { id, @params = new { code = "1234" } } });

        Assert.Equal(HttpStatusCode.OK, (await admin.PutAsJsonAsync("/admin/v1/policies/44", new { transactional_requires_template = false })).StatusCode);
        await business.SendOk(new { to = Phone, category = "transactional", text = "free again" });
        var policies = await admin.GetFromJsonAsync<JsonElement>("/admin/v1/policies");
        Assert.False(Assert.Single(policies.EnumerateArray()).GetProperty("transactional_requires_template").GetBoolean());
    }

    [Theory]
    [InlineData("0", "calling_code")]
    [InlineData("1234", "calling_code")]
    [InlineData("4a", "calling_code")]
    public async Task Policies_need_a_real_calling_code(string code, string field)
    {
        await using var host = await HeraldHost.Start();
        using var admin = host.Operator();
        var problem = await AssertProblem(await admin.PutAsJsonAsync($"/admin/v1/policies/{code}", new { transactional_requires_template = true }), HttpStatusCode.BadRequest, "invalid_request");
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _));
        await AssertProblem(await admin.PutAsJsonAsync("/admin/v1/policies/44", new { }), HttpStatusCode.BadRequest, "invalid_request");
    }

    [Fact]
    public async Task Missing_and_unknown_params_are_named()
    {
        await using var host = await HeraldHost.Start();
        var business = await host.CreateBusiness();
        var id = (await Submit(business, "delivery", "Hi {{name}}, parcel {{parcel}}")).GetProperty("id").GetString()!;
        using (var admin = host.Operator())
            await admin.PostAsync($"/admin/v1/templates/{id}/approve", null);

        var problem = await AssertProblem(await business.Send(new { to = Phone, category = "transactional", template = new { id, @params = new { name = "Ann", colour = "red" } } }),
            HttpStatusCode.BadRequest, "invalid_request");
        var errors = problem.GetProperty("errors");
        Assert.Equal("missing", errors.GetProperty("template.params.parcel").GetString());
        Assert.True(errors.TryGetProperty("template.params.colour", out _));
    }

    [Fact]
    public async Task Another_businesses_template_cannot_be_read_or_used()
    {
        await using var host = await HeraldHost.Start();
        var acme = await host.CreateBusiness();
        var rival = await host.CreateBusiness(name: "Rival");
        var id = (await Submit(acme, "otp", "Your code is {{code}}")).GetProperty("id").GetString()!;
        using (var admin = host.Operator())
            await admin.PostAsync($"/admin/v1/templates/{id}/approve", null);

        using var client = rival.Client();
        await AssertProblem(await client.GetAsync($"/v1/templates/{id}"), HttpStatusCode.NotFound, "not_found");
        Assert.Empty((await client.GetFromJsonAsync<JsonElement>("/v1/templates")).EnumerateArray());
        await AssertProblem(await rival.Send(new { to = Phone, category = "transactional", template = new { id, @params = new { code = "1" } } }),
            HttpStatusCode.BadRequest, "template_not_approved");
    }

    [Theory]
    [InlineData("", "text")]
    [InlineData("Hi {{ name }}", "text")]
    [InlineData("Hi {{name", "text")]
    public async Task Malformed_templates_are_refused(string text, string field)
    {
        await using var host = await HeraldHost.Start();
        var business = await host.CreateBusiness();
        using var client = business.Client();
        var problem = await AssertProblem(await client.PostAsJsonAsync("/v1/templates", new { name = "x", text }), HttpStatusCode.BadRequest, "invalid_request");
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _));
    }

    internal static async Task<JsonElement> Submit(TestBusiness business, string name, string text)
    {
        using var client = business.Client();
        var response = await client.PostAsJsonAsync("/v1/templates", new { name, text });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }
}
