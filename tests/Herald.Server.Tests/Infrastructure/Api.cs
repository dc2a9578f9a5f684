using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace Herald.Server.Tests.Infrastructure;

/// <summary>The set-up steps every test needs, over the public APIs of a server at any address.</summary>
public static class Api
{
    public static HttpClient Client(Uri baseAddress, string? bearer = null)
    {
        var client = new HttpClient { BaseAddress = baseAddress };
        if (bearer is not null)
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        return client;
    }

    public static async Task<TestBusiness> CreateBusiness(Func<Uri> baseAddress, string operatorToken, Uri? webhookUrl,
        string[]? allowedIps = null, bool twoWay = false, string? name = null)
    {
        using var admin = Client(baseAddress(), operatorToken);
        var created = await admin.PostAsJsonAsync("/admin/v1/businesses", new
        {
            name = name ?? "Acme Parcels",
            logo_url = "https://acme.example/logo.png",
            description = "Parcel delivery updates",
            learn_more_url = "https://acme.example/about",
            verified = true,
            allowed_ips = allowedIps ?? ["127.0.0.1", "::1"],
            two_way = twoWay,
        });
        created.EnsureSuccessStatusCode();
        var businessId = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("business_id").GetString()!;
        var key = await admin.PostAsync($"/admin/v1/businesses/{businessId}/keys", null);
        key.EnsureSuccessStatusCode();
        var keyBody = await key.Content.ReadFromJsonAsync<JsonElement>();
        var business = new TestBusiness(businessId, keyBody.GetProperty("api_key").GetString()!, keyBody.GetProperty("key_id").GetString()!, baseAddress);
        if (webhookUrl is not null)
            business.WebhookSecret = await business.SetWebhook(webhookUrl.ToString());
        return business;
    }

    /// <summary>Signs a phone in as a new device, with the code read from the SMS hook; returns the device token.</summary>
    public static async Task<string> SignIn(Uri baseAddress, Receiver receiver, string phone)
    {
        using var client = Client(baseAddress);
        (await client.PostAsJsonAsync("/consumer/v1/sign-in/code", new { phone })).EnsureSuccessStatusCode();
        var code = receiver.CodeFor(phone) ?? throw new InvalidOperationException("no code reached the hook");
        var response = await client.PostAsJsonAsync("/consumer/v1/sign-in", new { phone, code });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString()!;
    }
}
