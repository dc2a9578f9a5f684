using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Herald.Server.Tests.Infrastructure;

namespace Herald.Server.Tests.Accounts;

/// <summary>A business's members over the public APIs: the operator token invites, the person accepts and signs in.</summary>
public static class MemberApi
{
    /// <summary>Invites with the bootstrap token; the link's token.</summary>
    public static async Task<(string AccountId, string Token)> Invite(HeraldHost host, string businessId, string email, string role)
    {
        using var admin = host.Operator();
        var response = await admin.PostAsJsonAsync($"/admin/v1/businesses/{businessId}/members/invitations", new { email, role });
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, body);
        var json = JsonDocument.Parse(body).RootElement;
        return (json.GetProperty("account_id").GetString()!, AccountApi.TokenOf(json.GetProperty("url").GetString()!));
    }

    /// <summary>A member with a session: owners enrol the authenticator (they must), the others do not. Needs fake time.</summary>
    public static async Task<Session> Member(HeraldHost host, string businessId, string email, string role)
    {
        var (accountId, token) = await Invite(host, businessId, email, role);
        return await AccountApi.Join(host, accountId, token, email, enrol: role == "owner");
    }

    /// <summary>Calls with the session (a GET, or a change with the antiforgery header) and checks the status; the answer's body.</summary>
    public static async Task<string> Expect(Session who, HttpStatusCode status, HttpMethod method, string path, object? body = null)
    {
        var response = method == HttpMethod.Get ? await who.Get(path) : await who.Send(method, path, body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"{method} {path}: {(int)response.StatusCode} {text}");
        return text;
    }
}
