using System.Net;
using System.Net.WebSockets;
using Herald.Server.Tests.Infrastructure;
using static Herald.Server.Tests.BusinessApiTests;

namespace Herald.Server.Tests.Security;

/// <summary>
/// The 401 challenge of RFC 6750 §3 on every credential: <c>WWW-Authenticate: Bearer</c> with no error when no token
/// came, with <c>error="invalid_token"</c> when one came and names no one (unknown, revoked, another credential's).
/// </summary>
public sealed class BearerChallengeTests
{
    private const string Ann = "+447700900211";

    public static TheoryData<string, string> Calls => new()
    {
        { "GET", "/v1/profile" },
        { "GET", "/admin/v1/businesses" },
        { "GET", "/consumer/v1/settings" },
        { "DELETE", "/consumer/v1/devices/current" },
        { "GET", "/metrics" },
    };

    [Theory]
    [MemberData(nameof(Calls))]
    public async Task A_missing_token_is_challenged_without_an_error_and_a_wrong_one_as_invalid_token(string method, string path)
    {
        await using var host = await HeraldHost.Start();
        foreach (var (authorization, expected) in new (string?, string)[]
        {
            (null, "Bearer"),
            ("Basic " + Convert.ToBase64String("a:b"u8), "Bearer"), // another method: as if none came
            ("Bearer hk_unknown", "Bearer error=\"invalid_token\""),
            ("Bearer hdt_unknown", "Bearer error=\"invalid_token\""),
        })
        {
            using var request = new HttpRequestMessage(new HttpMethod(method), new Uri(host.BaseAddress, path));
            if (authorization is not null)
                request.Headers.TryAddWithoutValidation("Authorization", authorization);
            using var client = host.Client();
            var response = await client.SendAsync(request);
            await AssertProblem(response, HttpStatusCode.Unauthorized, "unauthorized");
            var challenge = Assert.Single(response.Headers.WwwAuthenticate).ToString();
            if (expected == "Bearer")
                Assert.Equal("Bearer", challenge);
            else
                Assert.StartsWith(expected + ", error_description=\"", challenge, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_revoked_key_is_an_invalid_token_and_an_address_off_the_allowlist_is_403_without_a_challenge()
    {
        await using var host = await HeraldHost.Start();
        var business = await host.CreateBusiness();
        var outside = await host.CreateBusiness(["203.0.113.7"], webhook: false, name: "Elsewhere");

        using var refusedClient = outside.Client();
        refusedClient.DefaultRequestHeaders.Add("X-Forwarded-For", "203.0.113.7"); // from an untrusted peer: ignored
        var refused = await refusedClient.GetAsync("/v1/profile");
        var problem = await AssertProblem(refused, HttpStatusCode.Forbidden, "ip_not_allowed");
        Assert.Empty(refused.Headers.WwwAuthenticate);
        Assert.Contains("127.0.0.1", problem.GetProperty("detail").GetString());

        using var admin = host.Operator();
        (await admin.DeleteAsync($"/admin/v1/businesses/{business.Id}/keys/{business.KeyId}")).EnsureSuccessStatusCode();
        using var revoked = business.Client();
        var response = await revoked.GetAsync("/v1/profile");
        await AssertProblem(response, HttpStatusCode.Unauthorized, "unauthorized");
        Assert.StartsWith("Bearer error=\"invalid_token\"", Assert.Single(response.Headers.WwwAuthenticate).ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_bad_token_on_the_websocket_upgrade_is_a_401_challenge_and_good_ones_connect_by_header_or_frame()
    {
        await using var host = await HeraldHost.Start();
        var token = await host.SignIn(Ann);

        using var client = host.Client("hdt_unknown");
        using var upgrade = new HttpRequestMessage(HttpMethod.Get, "/consumer/v1/ws");
        upgrade.Headers.Add("Connection", "Upgrade");
        upgrade.Headers.Add("Upgrade", "websocket");
        upgrade.Headers.Add("Sec-WebSocket-Version", "13");
        upgrade.Headers.Add("Sec-WebSocket-Key", Convert.ToBase64String(new byte[16]));
        var refused = await client.SendAsync(upgrade);
        await AssertProblem(refused, HttpStatusCode.Unauthorized, "unauthorized");
        Assert.StartsWith("Bearer error=\"invalid_token\"", Assert.Single(refused.Headers.WwwAuthenticate).ToString(), StringComparison.Ordinal);

        var wrong = await Assert.ThrowsAsync<WebSocketException>(() => TestDevice.Connect(host.BaseAddress, "hdt_unknown"));
        Assert.Contains("401", wrong.Message, StringComparison.Ordinal);

        await using var byHeader = await TestDevice.Connect(host.BaseAddress, token);
        Assert.False(string.IsNullOrEmpty((await byHeader.Next("ready")).GetProperty("device_id").GetString()));
        await using var byFrame = await TestDevice.Connect(host.BaseAddress, token, tokenInFrame: true);
        Assert.False(string.IsNullOrEmpty((await byFrame.Next("ready")).GetProperty("device_id").GetString()));
    }
}
