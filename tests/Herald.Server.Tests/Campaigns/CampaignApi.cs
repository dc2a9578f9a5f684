using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Herald.Server.Tests.Infrastructure;

namespace Herald.Server.Tests.Campaigns;

/// <summary>The campaign calls the tests make, over the public API.</summary>
public static class CampaignApi
{
    public static async Task<string> Create(HttpClient client, object? message = null, int? rate = null)
    {
        var response = await client.PostAsJsonAsync("/v1/campaigns", new
        {
            name = "Winter sale",
            message = message ?? new { category = "promotional", text = "20% off everything", tracking_data = "winter" },
            rate_per_second = rate,
        });
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == System.Net.HttpStatusCode.Created, body);
        return JsonDocument.Parse(body).RootElement.GetProperty("id").GetString()!;
    }

    public static Task<HttpResponseMessage> Upload(HttpClient client, string campaignId, string csv) =>
        client.PutAsync($"/v1/campaigns/{campaignId}/audience", new StringContent(csv, Encoding.UTF8, "text/csv"));

    public static async Task<JsonElement> UploadOk(HttpClient client, string campaignId, string csv)
    {
        var response = await Upload(client, campaignId, csv);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, body);
        return JsonDocument.Parse(body).RootElement;
    }

    public static async Task<JsonElement> Act(HttpClient client, string campaignId, string action, object? body = null)
    {
        var response = body is null ? await client.PostAsync($"/v1/campaigns/{campaignId}/{action}", null)
            : await client.PostAsJsonAsync($"/v1/campaigns/{campaignId}/{action}", body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{action}: {text}");
        return JsonDocument.Parse(text).RootElement;
    }

    public static async Task<JsonElement> Get(HttpClient client, string campaignId) =>
        await client.GetFromJsonAsync<JsonElement>($"/v1/campaigns/{campaignId}");

    public static async Task<JsonElement> WaitForState(HttpClient client, string campaignId, string state, TimeSpan timeout)
    {
        JsonElement campaign = default;
        await Wait.Until(async () => (campaign = await Get(client, campaignId)).GetProperty("state").GetString() == state, timeout, $"campaign {state}");
        return campaign;
    }

    /// <summary>Numbers +44 7700 9xxxxx: a block reserved for fiction, so no real person is ever in a test audience.</summary>
    public static string Phone(int i) => $"+4477009{i:D5}";

    /// <summary>The CSV export, as rows of fields (header first).</summary>
    public static async Task<List<string[]>> Export(HttpClient client, string campaignId)
    {
        var text = await client.GetStringAsync($"/v1/campaigns/{campaignId}/recipients.csv");
        return [.. text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r').Split(','))];
    }
}
