using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Herald.Server.Tests.Infrastructure;

namespace Herald.Server.Tests.Push;

/// <summary>A Herald that may push to loopback, a push service stand-in that checks its VAPID key, and a business.</summary>
public sealed class PushSetup : IAsyncDisposable
{
    private PushSetup(HeraldHost host, PushServiceStandIn service, TestBusiness business)
    {
        Host = host;
        Service = service;
        Business = business;
    }

    public HeraldHost Host { get; }
    public PushServiceStandIn Service { get; }
    public TestBusiness Business { get; }

    public static async Task<PushSetup> Start(Dictionary<string, string?>? settings = null, bool twoWay = false)
    {
        var all = new Dictionary<string, string?> { ["Herald:Push:AllowPrivateNetworks"] = "true", ["Herald:Push:Subject"] = "mailto:ops@herald.example" };
        foreach (var (key, value) in settings ?? [])
            all[key] = value;
        var host = await HeraldHost.Start(all);
        var service = await PushServiceStandIn.Start();
        using var anyone = host.Client();
        service.ExpectedKey = (await anyone.GetFromJsonAsync<JsonElement>("/consumer/v1/push/key")).GetProperty("public_key").GetString();
        return new PushSetup(host, service, await host.CreateBusiness(twoWay: twoWay));
    }

    /// <summary>Signs a device in and registers a subscription at the stand-in for it.</summary>
    public async Task<(string Token, Uri Endpoint, PushSubscriber Subscriber)> SubscribedDevice(string phone)
    {
        var token = await Host.SignIn(phone);
        var (endpoint, subscriber) = Service.Subscribe();
        using var client = Host.Client(token);
        var response = await client.PutAsJsonAsync("/consumer/v1/push/subscription", subscriber.Json(endpoint));
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        return (token, endpoint, subscriber);
    }

    public async Task<ReceivedPush> NextPush(Uri endpoint, int count = 1)
    {
        await Wait.Until(() => Service.To(endpoint).Count >= count, TimeSpan.FromSeconds(10), $"push {count} at the stand-in");
        var push = Service.To(endpoint)[count - 1];
        Assert.Null(push.Refusal);
        return push;
    }

    public async ValueTask DisposeAsync()
    {
        await Host.DisposeAsync();
        await Service.DisposeAsync();
    }
}
