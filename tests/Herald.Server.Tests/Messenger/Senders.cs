using System.Net.Http.Json;
using Herald.Server.Tests.Infrastructure;

namespace Herald.Server.Tests.Messenger;

/// <summary>Businesses with a profile of their own (name, logo, description, site), as consumers see them.</summary>
public static class Senders
{
    public static async Task<TestBusiness> Create(HeraldHost host, string name, string site, bool twoWay = false, bool verified = true,
        string? description = null, bool logo = true)
    {
        var business = await host.CreateBusiness(twoWay: twoWay, name: name);
        using var admin = host.Operator();
        var response = await admin.PatchAsJsonAsync($"/admin/v1/businesses/{business.Id}", new
        {
            // Without a logo: an address that answers with a page, not a picture, so the initials show instead.
            logo_url = logo ? $"https://{site}/logo.svg" : $"https://{site}/no-logo",
            learn_more_url = $"https://{site}/about",
            description = description ?? $"{name} sends updates about your orders.",
            verified,
        });
        response.EnsureSuccessStatusCode();
        return business;
    }
}
