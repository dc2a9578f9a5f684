using Herald.Server.Tests.Infrastructure;

namespace Herald.Server.Tests.Cli;

/// <summary><c>herald operator …</c> and <c>herald token …</c>, run as the real program against a real server.</summary>
public sealed class TeamCommandTests
{
    [Fact]
    public async Task An_operator_manages_the_team_and_named_tokens_from_the_command_line()
    {
        await using var host = await HeraldHost.Start();
        var env = Env(host, HeraldHost.OperatorToken);

        var invited = await HeraldCli.Run(env, "operator", "invite", "Ad@Example.com", "--role", "admin", "--json");
        Assert.True(invited.ExitCode == 0, invited.ToString());
        Assert.Equal("ad@example.com", invited.Json.GetProperty("email").GetString());
        Assert.Contains("/console/#/link/", invited.Json.GetProperty("url").GetString());
        var team = await HeraldCli.Run(env, "operator", "list");
        Assert.True(team.ExitCode == 0, team.ToString());
        Assert.Contains("ad@example.com", team.Stdout);
        Assert.Contains("invited", team.Stdout);
        Assert.Equal(2, (await HeraldCli.Run(env, "operator", "invite", "x@example.com", "--role", "boss")).ExitCode);

        var created = await HeraldCli.Run(env, "token", "create", "ci-read", "--role", "viewer", "--expires", DateTimeOffset.UtcNow.AddDays(7).ToString("O"), "--json");
        Assert.True(created.ExitCode == 0, created.ToString());
        var secret = created.Json.GetProperty("token").GetString()!;
        var list = await HeraldCli.Run(env, "token", "list");
        Assert.True(list.ExitCode == 0, list.ToString());
        Assert.Contains("ci-read", list.Stdout);
        Assert.Contains("token:bootstrap", list.Stdout); // created by
        Assert.DoesNotContain(secret, list.Stdout);

        // The viewer token reads, is refused a write with 403, and its refusal does not echo it.
        var asViewer = Env(host, secret);
        Assert.Equal(0, (await HeraldCli.Run(asViewer, "business", "list")).ExitCode);
        var refused = await HeraldCli.Run(asViewer, "business", "create", "--name", "Nope");
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("403 forbidden", refused.Stderr);
        Assert.DoesNotContain(secret, refused.Stdout + refused.Stderr);

        var revoked = await HeraldCli.Run(env, "token", "revoke", "ci-read");
        Assert.True(revoked.ExitCode == 0, revoked.ToString());
        var gone = await HeraldCli.Run(asViewer, "business", "list");
        Assert.Equal(1, gone.ExitCode);
        Assert.Contains("401", gone.Stderr);
        Assert.DoesNotContain(secret, gone.Stdout + gone.Stderr);
        Assert.Equal(1, (await HeraldCli.Run(env, "token", "revoke", "ci-read")).ExitCode); // 404: already revoked

        var removed = await HeraldCli.Run(env, "operator", "remove", "AD@example.com");
        Assert.True(removed.ExitCode == 0, removed.ToString());
        Assert.DoesNotContain("ad@example.com", (await HeraldCli.Run(env, "operator", "list")).Stdout);
        var nobody = await HeraldCli.Run(env, "operator", "remove", "nobody@example.com");
        Assert.Equal(2, nobody.ExitCode);
        Assert.Contains("No one on the team", nobody.Stderr);

        host.AssertNoClearText(secret);
    }

    private static Dictionary<string, string> Env(HeraldHost host, string token) =>
        new() { ["HERALD_URL"] = host.BaseAddress.ToString(), ["HERALD_OPERATOR_TOKEN"] = token };
}
