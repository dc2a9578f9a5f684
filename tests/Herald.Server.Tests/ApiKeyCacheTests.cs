using System.Net;
using Herald.Server.Tests.Infrastructure;
using Herald.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace Herald.Server.Tests;

/// <summary>
/// The API key cache: operator changes reach it at once; a change it was not told of (a lost cluster hint: here, the
/// key revoked straight in the store) reaches it within 5 s and one background refresh, which no request waits for.
/// </summary>
public sealed class ApiKeyCacheTests
{
    [Fact]
    public async Task A_revocation_nobody_announced_is_seen_after_one_background_refresh_of_the_stale_entry()
    {
        await using var host = await HeraldHost.Start(fakeTime: true);
        var business = await host.CreateBusiness(webhook: false);
        using var client = business.Client();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/v1/profile")).StatusCode); // the key is now cached

        var businesses = host.Services.GetRequiredService<BusinessStore>();
        Assert.True(await businesses.RevokeKey(business.Id, business.KeyId, new AuditEntry(host.Time!.GetUtcNow(), "test", "key.revoke", business.Id)));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/v1/profile")).StatusCode); // fresh for 5 s: not read again

        host.Time.Advance(TimeSpan.FromSeconds(6));
        // The request that finds the entry stale is answered from it, and starts the refresh that learns of the revocation.
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/v1/profile")).StatusCode);
        await Wait.Until(async () => (await client.GetAsync("/v1/profile")).StatusCode == HttpStatusCode.Unauthorized,
            TimeSpan.FromSeconds(10), "the revoked key refused once the background refresh read it");
    }

    [Fact]
    public async Task An_entry_not_refreshed_for_a_minute_is_not_used_and_the_request_reads_the_key_itself()
    {
        await using var host = await HeraldHost.Start(fakeTime: true);
        var business = await host.CreateBusiness(webhook: false);
        using var client = business.Client();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/v1/profile")).StatusCode);

        var businesses = host.Services.GetRequiredService<BusinessStore>();
        Assert.True(await businesses.RevokeKey(business.Id, business.KeyId, new AuditEntry(host.Time!.GetUtcNow(), "test", "key.revoke", business.Id)));
        host.Time.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/v1/profile")).StatusCode);
    }

    [Fact]
    public async Task An_operator_revocation_is_refused_on_the_next_request()
    {
        await using var host = await HeraldHost.Start();
        var business = await host.CreateBusiness(webhook: false);
        using var client = business.Client();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/v1/profile")).StatusCode);
        using var op = host.Operator();
        Assert.Equal(HttpStatusCode.NoContent, (await op.DeleteAsync($"/admin/v1/businesses/{business.Id}/keys/{business.KeyId}")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/v1/profile")).StatusCode);
    }
}
