using System.Net.Http.Json;
using Herald.Server.Tests.Infrastructure;

namespace Herald.Server.Tests.Messenger;

/// <summary>Businesses with a profile of their own (name, logo, description, site), as consumers see them.</summary>
public static class Senders
{
    public static async Task<TestBusiness> Create(HeraldHost host, string name, string site, bool twoWay = false, bool verified = true,
        string? description = null)
    {
        var business = await host.CreateBusiness(twoWay: twoWay, name: name);
        using var admin = host.Operator();
        var response = await admin.PatchAsJsonAsync($"/admin/v1/businesses/{business.Id}", new
        {
            logo_url = $"https://{site}/logo.svg",
            learn_more_url = $"https://{site}/about",
            description = description ?? $"{name} sends updates about your orders.",
            verified,
        });
        response.EnsureSuccessStatusCode();
        return business;
    }
}
