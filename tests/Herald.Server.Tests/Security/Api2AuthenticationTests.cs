using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Herald.Server.Tests.Infrastructure;
using static Herald.Server.Tests.BusinessApiTests;

namespace Herald.Server.Tests.Security;

/// <summary>
/// OWASP API2:2023, broken authentication: malformed and wrong credentials on every API, secrets never stored in
/// clear, sign-in codes limited. More in BusinessApiTests (revoked keys), SignInTests (five tries per code),
/// ConsumerRightsTests (device tokens dead after erasure), TransportTests (HTTPS only).
/// </summary>
public sealed class Api2AuthenticationTests
{
    private const string Ann = "+447700900201";

    public static TheoryData<string> Endpoints => new() { "/v1/profile", "/admin/v1/businesses", "/consumer/v1/settings" };

    [Theory]
    [MemberData(nameof(Endpoints))]
    public async Task Malformed_or_foreign_credentials_are_401_problems(string path)
    {
        await using var host = await HeraldHost.Start();
        var business = await host.CreateBusiness();
        var device = await host.SignIn(Ann);
        var owner = path.StartsWith("/v1/", StringComparison.Ordinal) ? business.ApiKey
            : path.StartsWith("/admin/", StringComparison.Ordinal) ? HeraldHost.OperatorToken : device;
        string[] wrong =
        [
            "", "Bearer", "Bearer ", "Basic " + Convert.ToBase64String("a:b"u8), $"Bearer {owner}x", $"Bearer {owner[..^1]}",
            $"Bearer {owner} {owner}", $"bearer{owner}", "Bearer " + new string('k', 10_000), "Bearer hk_%C3%A9\t",
            .. new[] { business.ApiKey, HeraldHost.OperatorToken, device }.Where(t => t != owner).Select(t => "Bearer " + t),
        ];
        foreach (var header in wrong)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(host.BaseAddress, path));
            request.Headers.TryAddWithoutValidation("Authorization", header);
            using var client = host.Client();
            await AssertProblem(await client.SendAsync(request), HttpStatusCode.Unauthorized, "unauthorized");
        }
        using var right = host.Client(owner);
        Assert.Equal(HttpStatusCode.OK, (await right.GetAsync(path)).StatusCode);
    }

    [Fact]
    public async Task Api_keys_operator_tokens_and_device_tokens_are_stored_only_as_hashes()
    {
        await using var host = await HeraldHost.Start();
        var business = await host.CreateBusiness();
        var device = await host.SignIn(Ann);
        await host.Stop(); // everything on disk (SQLite checkpoints its WAL into the file on close)
        foreach (var secret in new[] { business.ApiKey, HeraldHost.OperatorToken, device })
            host.AssertNoClearText(secret);
    }

    [Fact]
    public async Task A_phone_gets_at_most_five_codes_an_hour_and_the_last_code_still_works()
    {
        await using var host = await HeraldHost.Start();
        using var client = host.Client();
        for (var i = 0; i < 5; i++)
            Assert.Equal(HttpStatusCode.Accepted, (await client.PostAsJsonAsync("/consumer/v1/sign-in/code", new { phone = Ann })).StatusCode);
        var code = host.Receiver.CodeFor(Ann);

        var refused = await client.PostAsJsonAsync("/consumer/v1/sign-in/code", new { phone = Ann });

        await AssertProblem(refused, HttpStatusCode.TooManyRequests, "too_many_codes");
        Assert.True(refused.Headers.RetryAfter?.Delta > TimeSpan.Zero);
        Assert.Equal(code, host.Receiver.CodeFor(Ann)); // no sixth text went out
        var signedIn = await client.PostAsJsonAsync("/consumer/v1/sign-in", new { phone = Ann, code });
        Assert.Equal(HttpStatusCode.OK, signedIn.StatusCode);
        // Other numbers are not affected.
        Assert.Equal(HttpStatusCode.Accepted, (await client.PostAsJsonAsync("/consumer/v1/sign-in/code", new { phone = "+447700900299" })).StatusCode);
    }

    [Fact]
    public async Task One_address_cannot_ask_for_codes_for_many_numbers()
    {
        await using var host = await HeraldHost.Start(new() { ["Herald:Consumers:CodesPerAddressPerMinute"] = "10" });
        using var client = host.Client();
        var answers = new List<HttpStatusCode>();
        for (var i = 0; i < 12; i++)
            answers.Add((await client.PostAsJsonAsync("/consumer/v1/sign-in/code", new { phone = $"+4477009003{i:D2}" })).StatusCode);
        Assert.Equal(Enumerable.Repeat(HttpStatusCode.Accepted, 10).Concat([HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests]), answers);
        Assert.Null(host.Receiver.CodeFor("+447700900310"));
    }
}
