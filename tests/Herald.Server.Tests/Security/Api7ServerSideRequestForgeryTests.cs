using System.Net;
using System.Net.Http.Json;
using Herald.Server.Tests.Infrastructure;
using static Herald.Server.Tests.BusinessApiTests;

namespace Herald.Server.Tests.Security;

/// <summary>
/// OWASP API7:2023, server side request forgery: a business's callback URL cannot point Herald inside the network,
/// however the address is spelled. More in BusinessApiTests (plain private ranges) and the Core AddressRules tests.
/// </summary>
public sealed class Api7ServerSideRequestForgeryTests
{
    [Fact]
    public async Task Every_spelling_of_an_inside_address_is_refused_as_a_callback_url()
    {
        await using var host = await HeraldHost.Start(new() { ["Herald:Webhooks:AllowPrivateNetworks"] = "false" });
        var business = await host.CreateBusiness(webhook: false);
        using var client = business.Client();
        string[] inside =
        [
            "https://127.1/hook", "https://2130706433/hook", "https://0x7f000001/hook", "https://0177.0.0.1/hook", "https://0.0.0.0/hook",
            "https://[::ffff:127.0.0.1]/hook", "https://[::ffff:a9fe:a9fe]/hook", "https://[::]/hook", "https://[fe80::1]/hook",
            "https://169.254.169.254/latest/meta-data/", "https://100.100.100.200/", "https://192.168.1.1/", "https://172.16.0.1/",
            "https://localhost./hook", "https://LOCALHOST/hook", "https://127.0.0.1:8080@8.8.8.8/hook", "ftp://8.8.8.8/hook",
            "file:///etc/passwd", "https://[::1%25lo]/hook",
        ];
        foreach (var url in inside)
        {
            var response = await client.PutAsJsonAsync("/v1/webhook", new { url });
            var problem = await AssertProblem(response, HttpStatusCode.BadRequest, "invalid_request");
            Assert.True(problem.GetProperty("errors").TryGetProperty("url", out _), url);
        }
        Assert.Equal(HttpStatusCode.OK, (await client.PutAsJsonAsync("/v1/webhook", new { url = "https://8.8.8.8/hook" })).StatusCode);
    }
}
