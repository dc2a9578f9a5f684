using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Herald.Server.Tests.Infrastructure;

namespace Herald.Server.Tests.Accounts;

/// <summary>Operator accounts over the public APIs: invite with the operator token, accept the link, sign in with a cookie.</summary>
public static class AccountApi
{
    public const string Password = "correct horse battery staple";

    /// <summary>Invites with the bootstrap token; the link's token (after <c>#/link/</c>).</summary>
    public static async Task<(string AccountId, string Token)> Invite(HeraldHost host, string email, string role)
    {
        using var admin = host.Operator();
        var response = await admin.PostAsJsonAsync("/admin/v1/operators/invitations", new { email, role });
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, body);
        var json = JsonDocument.Parse(body).RootElement;
        return (json.GetProperty("account_id").GetString()!, TokenOf(json.GetProperty("url").GetString()!));
    }

    public static string TokenOf(string url) => url[(url.IndexOf("#/link/", StringComparison.Ordinal) + "#/link/".Length)..];

    /// <summary>Looks the link up and accepts it with a code from the test's own TOTP; the enrolled secret.</summary>
    public static async Task<byte[]> Accept(HeraldHost host, string token, bool enrol = true)
    {
        using var client = host.Client();
        var link = await client.PostAsJsonAsync("/auth/v1/links/lookup", new { token });
        link.EnsureSuccessStatusCode();
        var secret = RfcTotp.SecretOf((await link.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("otpauth_uri").GetString()!);
        var accepted = await client.PostAsJsonAsync("/auth/v1/links/accept",
            new { token, password = Password, code = enrol ? RfcTotp.Code(secret, Now(host)) : null });
        Assert.True(accepted.StatusCode == HttpStatusCode.NoContent, await accepted.Content.ReadAsStringAsync());
        return secret;
    }

    public static DateTimeOffset Now(HeraldHost host) => host.Time?.GetUtcNow() ?? DateTimeOffset.UtcNow;

    /// <summary>A code from a later 30-second step than any used so far (each code works once): moves fake time on.</summary>
    public static string NextCode(HeraldHost host, byte[] secret)
    {
        host.Time!.Advance(TimeSpan.FromSeconds(30));
        return RfcTotp.Code(secret, Now(host));
    }

    /// <summary>A person with a session: invited, accepted, signed in. Needs a host with fake time.</summary>
    public static async Task<Session> Person(HeraldHost host, string email, string role)
    {
        var (accountId, token) = await Invite(host, email, role);
        return await Join(host, accountId, token, email);
    }

    /// <summary>Accepts an invitation (enrolling the authenticator or not) and signs in. Needs a host with fake time.</summary>
    public static async Task<Session> Join(HeraldHost host, string accountId, string token, string email, bool enrol = true)
    {
        var secret = await Accept(host, token, enrol);
        var session = Session.Open(host);
        var answer = await session.SignIn(email, Password, enrol ? NextCode(host, secret) : null);
        Assert.True(answer.StatusCode == HttpStatusCode.OK, await answer.Content.ReadAsStringAsync());
        session.AccountId = accountId;
        session.Secret = secret;
        return session;
    }
}

/// <summary>An HTTP client that keeps cookies like a browser, and the antiforgery token from sign-in.</summary>
public sealed class Session : IDisposable
{
    private readonly HttpClient _client;
    public CookieContainer Cookies { get; } = new();
    public string? AntiforgeryToken { get; private set; }
    public string AccountId { get; set; } = "";
    public byte[] Secret { get; set; } = [];

    private Session(Uri baseAddress) =>
        _client = new HttpClient(new HttpClientHandler { CookieContainer = Cookies }) { BaseAddress = baseAddress };

    public static Session Open(HeraldHost host) => new(host.BaseAddress);

    public async Task<HttpResponseMessage> SignIn(string email, string password, string? code = null)
    {
        var response = await _client.PostAsJsonAsync("/auth/v1/sign-in", new { email, password, code });
        if (response.IsSuccessStatusCode)
            AntiforgeryToken = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("antiforgery_token").GetString();
        return response;
    }

    public Task<HttpResponseMessage> Get(string path) => _client.GetAsync(path);

    /// <summary>A state-changing call with the cookie, with the antiforgery header unless told not to.</summary>
    public Task<HttpResponseMessage> Send(HttpMethod method, string path, object? body = null, bool antiforgery = true)
    {
        var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) };
        if (antiforgery && AntiforgeryToken is not null)
            request.Headers.Add("X-Herald-Antiforgery", AntiforgeryToken);
        return _client.SendAsync(request);
    }

    public Task<HttpResponseMessage> Send(HttpRequestMessage request) => _client.SendAsync(request);

    public void Dispose() => _client.Dispose();
}
