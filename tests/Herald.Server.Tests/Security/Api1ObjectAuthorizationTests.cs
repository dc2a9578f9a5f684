using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Herald.Server.Tests.Infrastructure;
using static Herald.Server.Tests.BusinessApiTests;

namespace Herald.Server.Tests.Security;

/// <summary>
/// OWASP API1:2023, broken object level authorization: every id a caller names is looked up within what that caller
/// owns. Another tenant's ids are simply "not found" (no hint that they exist).
/// More in BusinessApiTests (message status), LifecycleTests (acks), ReplyTests (in_reply_to), ConsumerRightsTests.
/// </summary>
public sealed class Api1ObjectAuthorizationTests
{
    private const string Ann = "+447700900101";

    [Fact]
    public async Task A_business_naming_another_businesses_message_or_template_gets_not_found_and_changes_nothing()
    {
        await using var host = await HeraldHost.Start();
        var acme = await host.CreateBusiness(name: "Acme");
        var rival = await host.CreateBusiness(name: "Rival");
        await host.SignIn(Ann);
        var message = await acme.SendOk(new { to = Ann, category = "transactional", text = "yours" });
        using var acmeClient = acme.Client();
        var template = (await (await acmeClient.PostAsJsonAsync("/v1/templates", new { name = "otp", text = "Code {{1}}" })).Content.ReadFromJsonAsync<JsonElement>())
            .GetProperty("id").GetString()!;
        using (var admin = host.Operator())
            (await admin.PostAsync($"/admin/v1/templates/{template}/approve", null)).EnsureSuccessStatusCode();

        using var rivalClient = rival.Client();
        await AssertProblem(await rivalClient.GetAsync($"/v1/messages/{message}"), HttpStatusCode.NotFound, "not_found");
        await AssertProblem(await rivalClient.GetAsync($"/v1/templates/{template}"), HttpStatusCode.NotFound, "not_found");
        var borrowed = await rivalClient.PostAsJsonAsync("/v1/messages", new { to = Ann, category = "transactional", template = new { id = template, @params = new[] { "1" } } });
        Assert.Equal(HttpStatusCode.BadRequest, borrowed.StatusCode);
        Assert.DoesNotContain(template, await (await rivalClient.GetAsync("/v1/templates")).Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // The owner still sees both as they were.
        Assert.Equal("accepted", (await acme.Status(message)).GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.OK, (await acmeClient.GetAsync($"/v1/templates/{template}")).StatusCode);
    }

    [Fact]
    public async Task A_device_cannot_acknowledge_or_answer_another_consumers_message()
    {
        const string Bob = "+447700900102";
        await using var host = await HeraldHost.Start();
        var acme = await host.CreateBusiness(twoWay: true);
        await using var bob = await host.Connect(await host.SignIn(Bob));
        await bob.Next("ready");
        await host.SignIn(Ann);
        var annsMessage = await acme.SendOk(new { to = Ann, category = "transactional", text = "for Ann only" });

        await bob.Ack("delivered", annsMessage);
        await bob.Ack("seen", annsMessage);
        await bob.Send(new { type = "reply", business_id = acme.Id, message_id = annsMessage, text = "pretending to be Ann" });
        var refused = await bob.Next("error");

        Assert.Equal("not_found", refused.GetProperty("code").GetString());
        await Task.Delay(500);
        Assert.Equal("accepted", (await acme.Status(annsMessage)).GetProperty("status").GetString());
        Assert.Empty(host.Receiver.AcknowledgedEvents);
    }
}
