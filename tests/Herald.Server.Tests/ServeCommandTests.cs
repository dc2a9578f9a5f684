using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Herald.Server.Tests.Infrastructure;

namespace Herald.Server.Tests;

/// <summary>The <c>herald serve</c> program itself, in its own process, as an operator first meets it.</summary>
public sealed partial class ServeCommandTests : IDisposable
{
    private readonly string _data = Path.Combine(Path.GetTempPath(), "herald-serve-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task First_start_prints_a_working_operator_token_once()
    {
        string token;
        await using (var herald = HeraldProcess.Serve(_data))
        {
            await herald.WaitHealthy();
            token = TokenLine().Match(herald.Output).Groups[1].Value;
            Assert.StartsWith("hop_", token);
            using var client = new HttpClient { BaseAddress = herald.BaseAddress };
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
            var created = await client.PostAsJsonAsync("/admin/v1/businesses", new { name = "Acme" });
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
            Assert.Equal(0, await herald.Terminate());
        }

        await using var again = HeraldProcess.Serve(_data);
        await again.WaitHealthy();
        Assert.DoesNotContain("operator token", again.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(token, again.Output, StringComparison.Ordinal);
        using var admin = new HttpClient { BaseAddress = again.BaseAddress };
        admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        Assert.Single(await admin.GetFromJsonAsync<List<object>>("/admin/v1/businesses") ?? []);
        Assert.True(File.Exists(Path.Combine(_data, "herald.db")));
    }

    [Fact]
    public async Task The_bootstrap_token_can_be_chosen_and_is_then_not_printed()
    {
        const string chosen = "hop_chosen-by-the-operator-42";
        await using var herald = HeraldProcess.Serve(_data, new Dictionary<string, string> { ["HERALD_BOOTSTRAP_TOKEN"] = chosen });
        await herald.WaitHealthy();
        Assert.DoesNotContain(chosen, herald.Output, StringComparison.Ordinal);
        using var client = new HttpClient { BaseAddress = herald.BaseAddress };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", chosen);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/admin/v1/businesses")).StatusCode);
    }

    public void Dispose()
    {
        try { Directory.Delete(_data, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    [GeneratedRegex(@"operator token.*\n\s*(hop_\S+)")]
    private static partial Regex TokenLine();
}
