using Herald.Server.Tests.Infrastructure;

namespace Herald.Server.Tests.Cli;

/// <summary>The business's commands (send, status, stats, webhook), run as the real <c>herald</c> program.</summary>
public sealed class BusinessCommandTests
{
    private const string Phone = "+447700900123";

    [Fact]
    public async Task A_business_sends_from_flags_and_reads_the_status()
    {
        await using var host = await HeraldHost.Start();
        var business = await host.CreateBusiness();
        await host.SignIn(Phone);
        var env = Env(host, business);

        var sent = await HeraldCli.Run(env, "send", "--to", Phone, "--text", "Your parcel is out", "--link", "https://acme.example/t/1", "--tracking-data", "order-1", "--json");
        Assert.True(sent.ExitCode == 0, sent.ToString());
        var id = sent.Json.GetProperty("message_id").GetString()!;
        var status = await HeraldCli.Run(env, "status", id, "--json");
        Assert.Equal((id, "accepted"), (status.Json.GetProperty("message_id").GetString(), status.Json.GetProperty("status").GetString()));
        var human = await HeraldCli.Run(env, "status", id);
        Assert.Contains("accepted", human.Stdout, StringComparison.Ordinal);
        Assert.Contains(Phone, human.Stdout, StringComparison.Ordinal);

        var promo = await HeraldCli.Run(env, "send", "--to", Phone, "--category", "promotional", "--text", "Sale", "--button-caption", "Shop", "--button-action", "app://sale");
        Assert.Equal(0, promo.ExitCode);
        Assert.StartsWith("Accepted msg_", promo.Stdout, StringComparison.Ordinal);

        var refused = await HeraldCli.Run(env, "send", "--to", Phone, "--text", "x", "--image-url", "https://acme.example/a.png");
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("content_not_allowed_for_category", refused.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_file_of_messages_goes_in_batches_and_every_result_comes_back_in_order()
    {
        await using var host = await HeraldHost.Start();
        var business = await host.CreateBusiness();
        var file = Path.Combine(Path.GetTempPath(), $"herald-messages-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(file, """
            {"messages": [
              {"to": "+447700900123", "category": "transactional", "text": "one"},
              {"to": "+447700900124", "category": "transactional", "text": "two"},
              {"to": "not-a-phone", "category": "transactional", "text": "three"},
              {"to": "+447700900125", "category": "promotional", "text": "four", "qr": "TICKET-4"},
              {"to": "+447700900126", "category": "transactional", "text": "five"}
            ]}
            """);
        try
        {
            var result = await HeraldCli.Run(Env(host, business), "send", "--file", file, "--batch-size", "2", "--json");
            Assert.Equal(1, result.ExitCode); // one message was refused
            var results = result.Json.GetProperty("results").EnumerateArray().ToList();
            Assert.Equal(5, results.Count);
            Assert.Equal([true, true, false, true, true], results.Select(r => r.TryGetProperty("message_id", out _)));
            Assert.Equal("invalid_request", results[2].GetProperty("error").GetProperty("code").GetString());
            using var client = business.Client();
            foreach (var r in results.Where(r => r.TryGetProperty("message_id", out _)))
                Assert.True((await client.GetAsync($"/v1/messages/{r.GetProperty("message_id").GetString()}")).IsSuccessStatusCode);

            var human = await HeraldCli.Run(Env(host, business), "send", "-f", file);
            Assert.Contains("4 accepted, 1 refused", human.Stdout, StringComparison.Ordinal);
            Assert.Contains("not-a-phone", human.Stdout, StringComparison.Ordinal);

            await File.WriteAllTextAsync(file, """[{"to": "+447700900123", "category": "transactional", "txt": "typo"}]""");
            var typo = await HeraldCli.Run(Env(host, business), "send", "-f", file);
            Assert.Equal(2, typo.ExitCode);
            Assert.Contains("txt", typo.Stderr, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task Webhook_tail_shows_the_delivery_log_and_follows_new_events()
    {
        await using var host = await HeraldHost.Start();
        var business = await host.CreateBusiness();
        var env = Env(host, business);
        var first = await business.SendOk(new { to = "+447700900999", category = "transactional", text = "nobody" });
        await host.Receiver.WaitForEvents(e => e.Count >= 1);

        var tail = await HeraldCli.Run(env, "webhook", "tail", "--json");
        Assert.True(tail.ExitCode == 0, tail.ToString());
        Assert.Equal(host.Receiver.WebhookUrl.ToString(), tail.Json.GetProperty("url").GetString());
        var row = Assert.Single(tail.Json.GetProperty("deliveries").EnumerateArray());
        Assert.Equal((first, "failed"), (row.GetProperty("message_id").GetString(), row.GetProperty("type").GetString()));

        using var follow = HeraldCli.Launch(env, "webhook", "tail", "--follow", "--interval", "0.2", "--json");
        try
        {
            Assert.Contains(first, await follow.StandardOutput.ReadLineAsync(), StringComparison.Ordinal);
            var second = await business.SendOk(new { to = "+447700900998", category = "transactional", text = "nobody either" });
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            string? line;
            do
                line = await follow.StandardOutput.ReadLineAsync(timeout.Token);
            while (line is not null && !line.Contains(second, StringComparison.Ordinal));
            Assert.NotNull(line);
        }
        finally
        {
            follow.Kill(entireProcessTree: true);
        }
    }

    [Fact]
    public async Task Stats_show_the_days_funnel_and_a_bad_key_is_a_clear_refusal()
    {
        await using var host = await HeraldHost.Start();
        var business = await host.CreateBusiness();
        await business.SendOk(new { to = "+447700900999", category = "transactional", text = "nobody" });

        var stats = await HeraldCli.Run(Env(host, business), "stats", "--days", "2", "--json");
        var days = stats.Json.EnumerateArray().ToList();
        Assert.Equal(2, days.Count);
        Assert.Equal((1, 1), (days[1].GetProperty("accepted").GetInt32(), days[1].GetProperty("failed").GetInt32()));

        var badKey = await HeraldCli.Run(new Dictionary<string, string> { ["HERALD_URL"] = host.BaseAddress.ToString(), ["HERALD_API_KEY"] = "hk_revoked" }, "stats");
        Assert.Equal(1, badKey.ExitCode);
        Assert.Contains("The API key is unknown or revoked.", badKey.Stderr, StringComparison.Ordinal);
        var noKey = await HeraldCli.Run(new Dictionary<string, string> { ["HERALD_URL"] = host.BaseAddress.ToString() }, "send", "--to", Phone, "--text", "x");
        Assert.Equal(2, noKey.ExitCode);
        Assert.Contains("HERALD_API_KEY", noKey.Stderr, StringComparison.Ordinal);
    }

    internal static Dictionary<string, string> Env(HeraldHost host, TestBusiness business) =>
        new() { ["HERALD_URL"] = host.BaseAddress.ToString(), ["HERALD_API_KEY"] = business.ApiKey };
}
