using System.Net;
using System.Text;
using Herald.Server.Tests.Infrastructure;
using static Herald.Server.Tests.BusinessApiTests;

namespace Herald.Server.Tests.Security;

/// <summary>
/// OWASP API8:2023, security misconfiguration: errors say what is wrong and nothing about the inside; no version
/// banners. More in TransportTests (HTTPS, TLS versions, HSTS).
/// </summary>
public sealed class Api8MisconfigurationTests
{
    [Fact]
    public async Task Errors_are_problems_with_a_code_and_never_a_stack_trace_or_a_server_banner()
    {
        await using var host = await HeraldHost.Start();
        var business = await host.CreateBusiness();
        using var client = business.Client();
        var responses = new List<HttpResponseMessage>
        {
            await client.GetAsync("/v1/no-such-thing"),
            await client.PostAsync("/v1/messages", new StringContent("{\"to\":", Encoding.UTF8, "application/json")),
            await client.PostAsync("/v1/messages", new StringContent("{\"to\":\"+447700900801\",\"text\":\"\\uD800\"}", Encoding.UTF8, "application/json")),
            await client.PostAsync("/v1/messages", new StringContent("<xml/>", Encoding.UTF8, "application/xml")),
            await client.DeleteAsync("/v1/messages"),
        };
        foreach (var response in responses)
        {
            var text = await response.Content.ReadAsStringAsync();
            Assert.True((int)response.StatusCode is >= 400 and < 500, $"{(int)response.StatusCode}: {text}");
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            Assert.Contains("\"code\":", text, StringComparison.Ordinal);
            Assert.DoesNotContain(" at ", text, StringComparison.Ordinal);
            Assert.DoesNotContain("Exception", text, StringComparison.Ordinal);
            Assert.False(response.Headers.Contains("Server"));
            Assert.False(response.Headers.Contains("X-Powered-By"));
        }
        await AssertProblem(await client.GetAsync("/v1/no-such-thing"), HttpStatusCode.NotFound, "not_found");
    }
}
