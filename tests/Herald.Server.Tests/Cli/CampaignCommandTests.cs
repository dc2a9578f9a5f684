using System.Text;
using Herald.Server.Tests.Campaigns;
using Herald.Server.Tests.Infrastructure;

namespace Herald.Server.Tests.Cli;

/// <summary><c>herald campaign …</c> run as the real program against a real server: a campaign from flags and a CSV file to its export.</summary>
public sealed class CampaignCommandTests
{
    [Fact]
    public async Task A_business_creates_uploads_starts_pauses_resumes_shows_and_exports_a_campaign()
    {
        await using var host = await HeraldHost.Start();
        var business = await host.CreateBusiness();
        var env = BusinessCommandTests.Env(host, business);
        var dir = Directory.CreateTempSubdirectory("herald-campaign-cli-").FullName;
        try
        {
            var created = await HeraldCli.Run(env, "campaign", "create", "--name", "Winter sale", "--category", "promotional", "--text", "20% off",
                "--button-caption", "Shop", "--button-action", "app://sale", "--rate", "20", "--json");
            Assert.True(created.ExitCode == 0, created.ToString());
            var id = created.Json.GetProperty("id").GetString()!;
            Assert.Equal(("draft", 20), (created.Json.GetProperty("state").GetString(), created.Json.GetProperty("rate_per_second").GetInt32()));

            // 300 good lines and 2 bad ones, from a file.
            var csv = new StringBuilder("phone\n");
            for (var i = 0; i < 300; i++)
                csv.Append(CampaignApi.Phone(i)).Append('\n');
            csv.Append("12345\n+44 7700 900\n");
            var audienceFile = Path.Combine(dir, "audience.csv");
            await File.WriteAllTextAsync(audienceFile, csv.ToString());
            var uploaded = await HeraldCli.Run(env, "campaign", "audience", id, audienceFile);
            Assert.True(uploaded.ExitCode == 0, uploaded.ToString());
            Assert.Contains("300 recipients kept, 2 bad lines", uploaded.Stdout, StringComparison.Ordinal);
            Assert.Contains("302", uploaded.Stdout, StringComparison.Ordinal); // the first bad line's number

            Assert.Contains("running", (await HeraldCli.Run(env, "campaign", "start", id)).Stdout, StringComparison.Ordinal);
            var paused = await HeraldCli.Run(env, "campaign", "pause", id, "--json");
            Assert.True(paused.ExitCode == 0, paused.ToString());
            Assert.Equal("paused", paused.Json.GetProperty("state").GetString());
            var shown = await HeraldCli.Run(env, "campaign", "show", id, "--json");
            var atPause = shown.Json.GetProperty("progress").GetProperty("accepted").GetInt64();
            Assert.True(atPause < 300, $"all sent before the pause: {shown.Stdout}");
            Assert.Equal("running", (await HeraldCli.Run(env, "campaign", "resume", id, "--json")).Json.GetProperty("state").GetString());
            await Wait.Until(async () => (await HeraldCli.Run(env, "campaign", "show", id, "--json")).Json.GetProperty("state").GetString() == "completed",
                TimeSpan.FromSeconds(60), "completed");
            var human = await HeraldCli.Run(env, "campaign", "show", id);
            Assert.Contains("accepted 300", human.Stdout, StringComparison.Ordinal);
            Assert.Contains("failed 300 (not_registered 300)", human.Stdout, StringComparison.Ordinal);
            Assert.Contains(id, (await HeraldCli.Run(env, "campaign", "list")).Stdout, StringComparison.Ordinal);

            var exportFile = Path.Combine(dir, "statuses.csv");
            var exported = await HeraldCli.Run(env, "campaign", "export", id, "-o", exportFile);
            Assert.True(exported.ExitCode == 0, exported.ToString());
            var rows = (await File.ReadAllLinesAsync(exportFile)).Skip(1).Select(l => l.Split(',')).ToList();
            Assert.Equal(300, rows.Count);
            Assert.All(rows, r => Assert.Equal(("failed", "not_registered"), (r[3], r[4])));
            Assert.Equal(await File.ReadAllTextAsync(exportFile), (await HeraldCli.Run(env, "campaign", "export", id)).Stdout); // or to stdout

            // Refusals: a cancelled campaign cannot resume; a missing file is a usage error; a stranger's id is not found.
            var other = (await HeraldCli.Run(env, "campaign", "create", "--name", "x", "--text", "y", "--json")).Json.GetProperty("id").GetString()!;
            Assert.Equal(0, (await HeraldCli.Run(env, "campaign", "cancel", other)).ExitCode);
            var conflict = await HeraldCli.Run(env, "campaign", "resume", other);
            Assert.Equal(1, conflict.ExitCode);
            Assert.Contains("campaign_state_conflict", conflict.Stderr, StringComparison.Ordinal);
            Assert.Equal(2, (await HeraldCli.Run(env, "campaign", "audience", other, Path.Combine(dir, "missing.csv"))).ExitCode);
            var stranger = BusinessCommandTests.Env(host, await host.CreateBusiness(name: "Stranger"));
            var notFound = await HeraldCli.Run(stranger, "campaign", "export", id);
            Assert.Equal(1, notFound.ExitCode);
            Assert.Contains("not_found", notFound.Stderr, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
