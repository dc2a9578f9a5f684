using System.Text.Json;
using Herald.Server.Tests.Infrastructure;

namespace Herald.Server.Tests.Cli;

/// <summary>The operator's commands, run as the real <c>herald</c> program against a real server.</summary>
public sealed class OperatorCommandTests
{
    [Fact]
    public async Task An_operator_creates_verifies_and_lists_a_business_and_issues_a_key_that_works()
    {
        await using var host = await HeraldHost.Start();
        // Server and token from the environment, as an operator's shell would hold them.
        var env = new Dictionary<string, string> { ["HERALD_URL"] = host.BaseAddress.ToString(), ["HERALD_OPERATOR_TOKEN"] = HeraldHost.OperatorToken };

        var created = await HeraldCli.Run(env, "business", "create", "--id", "acme", "--name", "Acme Parcels", "--allow-ip", "127.0.0.1", "::1",
            "--learn-more-url", "https://acme.example/about", "--json");
        Assert.True(created.ExitCode == 0, created.ToString());
        Assert.Equal("acme", created.Json.GetProperty("business_id").GetString());
        Assert.False(created.Json.GetProperty("verified").GetBoolean());
        Assert.Equal(["127.0.0.1", "::1"], created.Json.GetProperty("allowed_ips").EnumerateArray().Select(i => i.GetString()));

        var verified = await HeraldCli.Run(env, "business", "verify", "acme", "--json");
        Assert.True(verified.Json.GetProperty("verified").GetBoolean(), verified.ToString());

        var list = await HeraldCli.Run(env, "business", "list");
        Assert.Equal(0, list.ExitCode);
        Assert.Contains("Acme Parcels", list.Stdout, StringComparison.Ordinal);

        var issued = await HeraldCli.Run(env, "key", "issue", "acme", "--json");
        var apiKey = issued.Json.GetProperty("api_key").GetString()!;
        using (var client = host.Client(apiKey))
            Assert.Equal("Acme Parcels", JsonDocument.Parse(await client.GetStringAsync("/v1/profile")).RootElement.GetProperty("name").GetString());

        var revoked = await HeraldCli.Run(env, "key", "revoke", "acme", issued.Json.GetProperty("key_id").GetString()!);
        Assert.Equal(0, revoked.ExitCode);
        using (var client = host.Client(apiKey))
            Assert.Equal(System.Net.HttpStatusCode.Unauthorized, (await client.GetAsync("/v1/profile")).StatusCode);
    }

    [Fact]
    public async Task An_operator_issues_a_named_scoped_expiring_key()
    {
        await using var host = await HeraldHost.Start();
        var business = await host.CreateBusiness(webhook: false);
        var env = new Dictionary<string, string> { ["HERALD_URL"] = host.BaseAddress.ToString(), ["HERALD_OPERATOR_TOKEN"] = HeraldHost.OperatorToken };
        var expires = DateTimeOffset.UtcNow.AddDays(30);

        var issued = await HeraldCli.Run(env, "key", "issue", business.Id, "--name", "CRM status reader", "--scopes", "status, templates",
            "--expires", expires.ToString("O"), "--json");
        Assert.True(issued.ExitCode == 0, issued.ToString());
        Assert.Equal("CRM status reader", issued.Json.GetProperty("name").GetString());
        Assert.Equal(["status", "templates"], issued.Json.GetProperty("scopes").EnumerateArray().Select(s => s.GetString()));
        using (var client = host.Client(issued.Json.GetProperty("api_key").GetString()))
        {
            Assert.Equal(System.Net.HttpStatusCode.OK, (await client.GetAsync("/v1/profile")).StatusCode);
            Assert.Equal(System.Net.HttpStatusCode.Forbidden, (await client.PostAsync("/v1/messages", null)).StatusCode);
        }

        var list = await HeraldCli.Run(env, "key", "list", business.Id);
        Assert.Contains("CRM status reader", list.Stdout, StringComparison.Ordinal);
        var bad = await HeraldCli.Run(env, "key", "issue", business.Id, "--scopes", "sendd");
        Assert.Equal(1, bad.ExitCode);
        Assert.Contains("unknown scope sendd", bad.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_operator_reviews_templates_from_the_queue()
    {
        await using var host = await HeraldHost.Start();
        var business = await host.CreateBusiness();
        string[] server = ["--url", host.BaseAddress.ToString(), "--operator-token", HeraldHost.OperatorToken];
        var first = await Submit(business, "shipped", "Hi {{name}}, it shipped");
        var second = await Submit(business, "promo", "WIN NOW");

        var queue = await HeraldCli.Run(null, ["template", "list", "--status", "pending", "--json", .. server]);
        Assert.Equal([first, second], queue.Json.EnumerateArray().Select(t => t.GetProperty("id").GetString()).Order());

        var approved = await HeraldCli.Run(null, ["template", "approve", first, "--json", .. server]);
        Assert.Equal("approved", approved.Json.GetProperty("status").GetString());
        var rejected = await HeraldCli.Run(null, ["template", "reject", second, "--reason", "Misleading", "--json", .. server]);
        Assert.Equal(("rejected", "Misleading"), (rejected.Json.GetProperty("status").GetString(), rejected.Json.GetProperty("reason").GetString()));

        var again = await HeraldCli.Run(null, ["template", "approve", second, .. server]);
        Assert.Equal(1, again.ExitCode);
        Assert.Contains("409 conflict", again.Stderr, StringComparison.Ordinal);
        var noReason = await HeraldCli.Run(null, ["template", "reject", first, .. server]);
        Assert.Equal(2, noReason.ExitCode);
        Assert.Contains("--reason", noReason.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Wrong_tokens_missing_credentials_bad_input_and_a_dead_server_each_get_a_clear_error_and_their_own_exit_code()
    {
        await using var host = await HeraldHost.Start();
        var url = host.BaseAddress.ToString();

        var wrongToken = await HeraldCli.Run(null, "business", "list", "--url", url, "--operator-token", "hop_wrong");
        Assert.Equal(1, wrongToken.ExitCode);
        Assert.Contains("401 unauthorized", wrongToken.Stderr, StringComparison.Ordinal);
        Assert.Equal("", wrongToken.Stdout);

        var noToken = await HeraldCli.Run(null, "business", "list", "--url", url);
        Assert.Equal(2, noToken.ExitCode);
        Assert.Contains("HERALD_OPERATOR_TOKEN", noToken.Stderr, StringComparison.Ordinal);

        var invalid = await HeraldCli.Run(null, "business", "create", "--name", "X", "--allow-ip", "example.com", "--json", "--url", url, "--operator-token", HeraldHost.OperatorToken);
        Assert.Equal(1, invalid.ExitCode);
        var problem = JsonDocument.Parse(invalid.Stderr).RootElement;
        Assert.Equal((400, "invalid_request"), (problem.GetProperty("status").GetInt32(), problem.GetProperty("code").GetString()));
        Assert.Contains("example.com", problem.GetProperty("errors").GetProperty("allowed_ips").GetString(), StringComparison.Ordinal);

        var unknown = await HeraldCli.Run(null, "business", "frobnicate");
        Assert.Equal(2, unknown.ExitCode);
        Assert.Contains("frobnicate", unknown.Stderr, StringComparison.Ordinal);

        var dead = await HeraldCli.Run(null, "business", "list", "--url", "http://127.0.0.1:1", "--operator-token", "hop_x");
        Assert.Equal(3, dead.ExitCode);
        Assert.Contains("unreachable", dead.Stderr, StringComparison.Ordinal);
    }

    private static async Task<string> Submit(TestBusiness business, string name, string text)
    {
        using var client = business.Client();
        var response = await System.Net.Http.Json.HttpClientJsonExtensions.PostAsJsonAsync(client, "/v1/templates", new { name, text });
        response.EnsureSuccessStatusCode();
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString()!;
    }
}
