using System.Text.Json;
using Herald.Core.Security;
using Herald.Server.Consumer;
using Herald.Server.Tests.Infrastructure;
using Herald.Server.Tests.Push;
using Herald.Storage;
using Microsoft.Extensions.DependencyInjection;
using static Microsoft.Playwright.Assertions;

namespace Herald.Server.Tests.Messenger;

/// <summary>
/// "Turn on notifications" end to end, from the click to a notification. One step cannot run here: the browser's
/// PushManager.subscribe asks the browser vendor's push service for an endpoint (unreachable from this machine: in a
/// normal profile the call never answers, in a test profile Chromium refuses push as incognito). The test replaces
/// that one call with a subscription at the push service stand-in, with keys it made; everything else is real:
/// the permission asked from the click, Herald's VAPID key handed to subscribe, the PUT, Herald pushing to the
/// stand-in with the app closed, and the decrypted payload handed to the app's service worker.
/// </summary>
[Collection(MessengerCollection.Name)]
public sealed class MessengerNotifyPromptTests(Browser browser)
{
    private const string Phone = "+447700900123";

    [Fact]
    public async Task Turn_on_notifications_subscribes_with_Heralds_key_and_what_Herald_pushes_is_shown_with_the_app_closed()
    {
        await using var setup = await PushSetup.Start();
        var host = setup.Host;
        var parcels = await Senders.Create(host, "Acme Parcels", "acme.example");
        var (endpoint, subscriber) = setup.Service.Subscribe();
        await using var messenger = await MessengerPage.Open(browser, host);
        await messenger.Context.AddInitScriptAsync(StubbedSubscribe(subscriber.Json(endpoint)));
        await messenger.SignIn(Phone);

        var turnOn = messenger.Button("Turn on notifications");
        await Expect(turnOn).ToBeVisibleAsync(); // asked from a click only, never on load
        Assert.Equal("default", await messenger.Page.EvaluateAsync<string>("() => Notification.permission"));
        await messenger.Context.GrantPermissionsAsync(["notifications"], new() { Origin = host.BaseAddress.GetLeftPart(UriPartial.Authority) });
        await turnOn.ClickAsync();
        await Expect(messenger.Page.GetByText("Notifications are on.")).ToBeVisibleAsync();
        await Expect(turnOn).ToBeHiddenAsync();
        Assert.Equal(setup.Service.ExpectedKey, await messenger.Page.EvaluateAsync<string>("() => window.subscribedWithKey"));

        var worker = await WorkerProbe.Open(messenger.Context);
        var token = await MessengerPushTests.DeviceToken(messenger);
        await messenger.Page.CloseAsync(); // the device is no longer connected: Herald pushes
        var device = host.Services.GetRequiredService<ConsumerStore>().FindDevice(Secrets.Hash(token))!;
        await Wait.Until(() => !host.Services.GetRequiredService<DeviceConnections>().IsConnectedHere(device.ConsumerId, device.DeviceId),
            TimeSpan.FromSeconds(10), "Herald to see the closed page's connection gone");
        var id = await parcels.SendOk(new { to = Phone, category = "transactional", text = "Pushed while closed" });
        var push = await setup.NextPush(endpoint);
        Assert.Equal(id, push.Json.GetProperty("message").GetProperty("message_id").GetString());
        await worker.Push(push.Plaintext!);

        Assert.Equal("Pushed while closed", (await worker.NotificationFor(parcels.Id)).Body);
        await host.Receiver.WaitFor("delivered", id);
    }

    /// <summary>PushManager's subscribe and getSubscription answering with the stand-in's subscription.</summary>
    private static string StubbedSubscribe(object subscription) => $$"""
        (() => {
          const json = {{JsonSerializer.Serialize(subscription)}};
          let current = null;
          const make = (key) => ({ endpoint: json.endpoint, options: { applicationServerKey: key }, toJSON: () => json,
                                   unsubscribe: async () => { current = null; return true; } });
          PushManager.prototype.subscribe = async function (options) {
            const key = new Uint8Array(options.applicationServerKey);
            window.subscribedWithKey = btoa(String.fromCharCode(...key)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
            return (current = make(key.buffer));
          };
          PushManager.prototype.getSubscription = async function () { return current; };
        })();
        """;
}
