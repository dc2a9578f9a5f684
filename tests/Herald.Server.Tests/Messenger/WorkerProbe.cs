using System.Collections.Concurrent;
using System.Text.Json;
using Herald.Server.Tests.Infrastructure;
using Microsoft.Playwright;

namespace Herald.Server.Tests.Messenger;

/// <summary>
/// The Messenger's service worker seen from outside the app: a page on Herald's start page (same origin, outside the
/// worker's /app/ scope, so no Messenger page is open) with a DevTools session that delivers push messages the way
/// the browser's push service would (<c>ServiceWorker.deliverPushMessage</c>), and reads the notifications shown and
/// the IndexedDB history the worker wrote.
/// </summary>
public sealed class WorkerProbe
{
    private readonly IPage _page;
    private readonly ICDPSession _devTools;
    private readonly ConcurrentDictionary<string, string> _registrations = new(); // registration id → scope URL

    private WorkerProbe(IPage page, ICDPSession devTools)
    {
        _page = page;
        _devTools = devTools;
    }

    public static async Task<WorkerProbe> Open(IBrowserContext context)
    {
        var page = await context.NewPageAsync();
        await page.GotoAsync("/");
        var devTools = await context.NewCDPSessionAsync(page);
        var probe = new WorkerProbe(page, devTools);
        devTools.Event("ServiceWorker.workerRegistrationUpdated").OnEvent += (_, update) =>
        {
            foreach (var registration in update!.Value.GetProperty("registrations").EnumerateArray())
            {
                var id = registration.GetProperty("registrationId").GetString()!;
                if (registration.GetProperty("isDeleted").GetBoolean())
                    probe._registrations.TryRemove(id, out string? _);
                else
                    probe._registrations[id] = registration.GetProperty("scopeURL").GetString()!;
            }
        };
        await devTools.SendAsync("ServiceWorker.enable");
        return probe;
    }

    /// <summary>Delivers <paramref name="payload"/> (serialised to JSON) to the worker registered for /app/ as a push message.</summary>
    public async Task Push(object payload)
    {
        var origin = new Uri(_page.Url).GetLeftPart(UriPartial.Authority);
        string? id = null;
        await Wait.Until(() => (id = _registrations.FirstOrDefault(r => r.Value == origin + "/app/").Key) is not null,
            TimeSpan.FromSeconds(10), "the Messenger's service worker registration");
        await _devTools.SendAsync("ServiceWorker.deliverPushMessage", new()
        {
            ["origin"] = origin, ["registrationId"] = id!, ["data"] = payload as string ?? JsonSerializer.Serialize(payload),
        });
    }

    /// <summary>The notifications the worker's registration shows now.</summary>
    public async Task<IReadOnlyList<Shown>> Notifications()
    {
        var shown = await _page.EvaluateAsync<JsonElement>("""
            async () => {
              const registration = await navigator.serviceWorker.getRegistration('/app/');
              return (await registration.getNotifications()).map((n) => ({ title: n.title, body: n.body, icon: n.icon, tag: n.tag, data: n.data }));
            }
            """);
        return [.. shown.EnumerateArray().Select(n => new Shown(n.GetProperty("title").GetString()!, n.GetProperty("body").GetString()!,
            n.GetProperty("icon").GetString()!, n.GetProperty("data"), n.GetProperty("tag").GetString()!))];
    }

    public async Task<Shown> NotificationFor(string businessId)
    {
        Shown? found = null;
        IReadOnlyList<Shown> shown = [];
        try
        {
            await Wait.Until(async () => (found = (shown = await Notifications()).FirstOrDefault(n => n.BusinessId == businessId)) is not null,
                // The browser fetches the sender's logo for the notification outside Playwright's routes, where the test
                // sites do not resolve: once in a while that lookup holds the notification back for several seconds.
                TimeSpan.FromSeconds(30), $"a notification for {businessId}");
        }
        catch (TimeoutException timeout)
        {
            // Say what the worker did do, so a failure in a long CI run tells "nothing stored" from "stored, not shown".
            var stored = await _page.EvaluateAsync<string>("""
                async () => {
                  const request = (r) => new Promise((resolve, reject) => { r.onsuccess = () => resolve(r.result); r.onerror = () => reject(r.error); });
                  const db = await request(indexedDB.open('herald-messenger'));
                  try {
                    return JSON.stringify((await request(db.transaction('messages').objectStore('messages').getAll())).map((m) => [m.id, m.business_id]));
                  } finally {
                    db.close();
                  }
                }
                """);
            throw new TimeoutException($"{timeout.Message} Shown: [{string.Join(", ", shown.Select(n => $"{n.Title} ({n.BusinessId})"))}]; stored messages: {stored}", timeout);
        }
        return found!;
    }

    /// <summary>
    /// Closes the Messenger page <paramref name="app"/> and waits until its service worker no longer counts it among
    /// its windows. Until then the worker takes the app as open and in sight, and shows no notification (a CI run on a
    /// loaded machine stored a pushed message but showed nothing: the closed page still counted).
    /// </summary>
    public async Task CloseApp(IPage app)
    {
        await app.CloseAsync();
        var origin = new Uri(_page.Url).GetLeftPart(UriPartial.Authority);
        await Wait.Until(async () =>
        {
            try
            {
                await _devTools.SendAsync("ServiceWorker.startWorker", new() { ["scopeURL"] = origin + "/app/" });
                await InWorker(origin + "/app/sw.js", """
                    (async () => {
                      if ((await self.clients.matchAll({ type: 'window' })).length > 0)
                        throw new Error('a Messenger window is still open');
                    })()
                    """);
                return true;
            }
            catch (InvalidOperationException)
            {
                return false;
            }
        }, TimeSpan.FromSeconds(20), "the closed Messenger page gone from its service worker's windows");
    }

    /// <summary>
    /// Clicks the notification shown for <paramref name="businessId"/>: the browser's <c>notificationclick</c> event,
    /// with that notification, dispatched in the worker (started first if the browser had stopped it, idle).
    /// </summary>
    public async Task Click(string businessId)
    {
        var origin = new Uri(_page.Url).GetLeftPart(UriPartial.Authority);
        await _devTools.SendAsync("ServiceWorker.startWorker", new() { ["scopeURL"] = origin + "/app/" });
        await InWorker(origin + "/app/sw.js", $$"""
            (async () => {
              const notification = (await self.registration.getNotifications()).find((n) => n.data?.business_id === {{JsonSerializer.Serialize(businessId)}});
              if (!notification)
                throw new Error('no notification for this sender');
              self.dispatchEvent(new NotificationEvent('notificationclick', { notification }));
            })()
            """);
    }

    /// <summary>
    /// Evaluates <paramref name="expression"/> in the running service worker with <paramref name="scriptUrl"/>. Playwright
    /// for .NET does not expose service workers, so this goes through the browser's DevTools session to the worker's.
    /// </summary>
    private async Task InWorker(string scriptUrl, string expression)
    {
        var browser = await _page.Context.Browser!.NewBrowserCDPSessionAsync();
        try
        {
            string? targetId = null;
            await Wait.Until(async () =>
            {
                var targets = await browser.SendAsync("Target.getTargets");
                targetId = targets!.Value.GetProperty("targetInfos").EnumerateArray()
                    .Where(t => t.GetProperty("type").GetString() == "service_worker" && t.GetProperty("url").GetString() == scriptUrl)
                    .Select(t => t.GetProperty("targetId").GetString()).FirstOrDefault();
                return targetId is not null;
            }, TimeSpan.FromSeconds(10), "the Messenger's service worker running");
            var attached = await browser.SendAsync("Target.attachToTarget", new() { ["targetId"] = targetId!, ["flatten"] = false });
            var sessionId = attached!.Value.GetProperty("sessionId").GetString();
            var answer = new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously);
            browser.Event("Target.receivedMessageFromTarget").OnEvent += (_, received) =>
            {
                if (received!.Value.GetProperty("sessionId").GetString() != sessionId)
                    return;
                var message = JsonDocument.Parse(received.Value.GetProperty("message").GetString()!).RootElement;
                if (message.TryGetProperty("id", out var id) && id.GetInt32() == 1)
                    answer.TrySetResult(message.Clone());
            };
            await browser.SendAsync("Target.sendMessageToTarget", new()
            {
                ["sessionId"] = sessionId!,
                ["message"] = JsonSerializer.Serialize(new
                {
                    id = 1, method = "Runtime.evaluate", @params = new { expression, awaitPromise = true, returnByValue = true },
                }),
            });
            var result = await answer.Task.WaitAsync(TimeSpan.FromSeconds(10));
            if (result.TryGetProperty("error", out var error) || result.GetProperty("result").TryGetProperty("exceptionDetails", out error))
                throw new InvalidOperationException($"In the service worker: {error}");
        }
        finally
        {
            await browser.DetachAsync();
        }
    }

    public Task CloseNotifications() => _page.EvaluateAsync("""
        async () => (await (await navigator.serviceWorker.getRegistration('/app/')).getNotifications()).forEach((n) => n.close())
        """);

    /// <summary>A record in one of the Messenger's IndexedDB stores, or null.</summary>
    public async Task<JsonElement?> Stored(string store, string key)
    {
        var value = await _page.EvaluateAsync<JsonElement>("""
            async ([store, key]) => {
              const request = (r) => new Promise((resolve, reject) => { r.onsuccess = () => resolve(r.result); r.onerror = () => reject(r.error); });
              const db = await request(indexedDB.open('herald-messenger'));
              try {
                return (await request(db.transaction(store).objectStore(store).get(key))) ?? null;
              } finally {
                db.close();
              }
            }
            """, new[] { store, key });
        return value.ValueKind == JsonValueKind.Null ? null : value;
    }

    /// <summary>Writes a device preference as the Settings screen does (store <c>settings</c>).</summary>
    public Task SetPreference(string name, bool value) => _page.EvaluateAsync("""
        async ([name, value]) => {
          const db = await new Promise((resolve, reject) => { const r = indexedDB.open('herald-messenger'); r.onsuccess = () => resolve(r.result); r.onerror = () => reject(r.error); });
          await new Promise((resolve, reject) => { const tx = db.transaction('settings', 'readwrite'); tx.objectStore('settings').put(value, name); tx.oncomplete = resolve; tx.onerror = () => reject(tx.error); });
          db.close();
        }
        """, new object[] { name, value });

    public sealed record Shown(string Title, string Body, string Icon, JsonElement Data, string Tag)
    {
        public string? BusinessId => Data.ValueKind == JsonValueKind.Object ? Data.GetProperty("business_id").GetString() : null;
    }
}
