using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Herald.Bench;

/// <summary>
/// Web Push: N signed-in devices, none connected, each with a push subscription at a stand-in push service on
/// loopback that answers 201 to every push. Every accepted message becomes one encrypted, VAPID-signed push.
/// Reported: pushes/s (first send to last push received) and the server's CPU µs per push.
/// </summary>
public sealed record PushScenario(string Name, int Devices, int Messages, int Concurrency)
{
    public async Task<Report> Run(TimeSpan warmup, CancellationToken cancel)
    {
        await using var receiver = await Receiver.Start();
        await using var service = await PushStandIn.Start();
        await using var herald = await HeraldProcess.Start(new Uri(receiver.Url, "/codes"), new Dictionary<string, string>
        {
            ["Herald__Push__AllowPrivateNetworks"] = "true",
            ["Herald__Push__Subject"] = "mailto:bench@herald.example",
        });
        var apiKey = await Scenario.CreateBusiness(herald.Url, new Uri(receiver.Url, "/hook"));
        Console.Error.WriteLine($"[{Name}] signing in {Devices} devices with push subscriptions…");
        var tokens = await DeviceFleet.SignIn(herald.Url, receiver, Devices);
        using (var key = ECDiffieHellman.Create(ECCurve.NamedCurves.nistP256))
        {
            var q = key.ExportParameters(false).Q;
            var keys = new { p256dh = Convert.ToBase64String([0x04, .. q.X!, .. q.Y!]).TrimEnd('=').Replace('+', '-').Replace('/', '_'), auth = "AAAAAAAAAAAAAAAAAAAAAA" };
            using var http = new HttpClient { BaseAddress = herald.Url };
            await Parallel.ForAsync(0, Devices, new ParallelOptions { MaxDegreeOfParallelism = 32 }, async (i, c) =>
            {
                using var request = new HttpRequestMessage(HttpMethod.Put, "/consumer/v1/push/subscription")
                {
                    Content = JsonContent.Create(new { endpoint = new Uri(service.Url, $"/push/{i}").ToString(), keys }),
                };
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", tokens[i]);
                (await http.SendAsync(request, c)).EnsureSuccessStatusCode();
            });
        }

        if (warmup > TimeSpan.Zero)
        {
            Console.Error.WriteLine($"[{Name}] warming up for {warmup.TotalSeconds:F0} s (not measured)…");
            var warm = new LoadDriver([herald.Url], apiKey, Devices);
            await warm.Run(int.MaxValue, Concurrency, 1, 0, cancel, warmup);
            await Scenario.WaitFor(() => service.Pushes >= warm.Accepted, () => service.Pushes, cancel);
        }
        var pushesBefore = service.Pushes;
        var cpuBefore = herald.CpuSeconds();
        Console.Error.WriteLine($"[{Name}] sending {Messages} messages…");
        var driver = new LoadDriver([herald.Url], apiKey, Devices);
        var start = Stopwatch.GetTimestamp();
        var sendSeconds = await driver.Run(Messages, Concurrency, 1, 0, cancel);
        long Pushes() => service.Pushes - pushesBefore;
        await Scenario.WaitFor(() => Pushes() >= driver.Accepted, Pushes, cancel);
        var pushSeconds = Stopwatch.GetElapsedTime(start, Math.Max(service.LastPushTimestamp, start + 1)).TotalSeconds;
        var cpuSeconds = herald.CpuSeconds() - cpuBefore;
        return new Report
        {
            Scenario = Name,
            Target = "herald serve (SQLite), push to a loopback stand-in",
            Devices = Devices,
            Sent = Messages,
            Accepted = driver.Accepted,
            Seconds = Math.Round(sendSeconds, 2),
            AcceptedPerSecond = Math.Round(driver.Accepted / Math.Max(sendSeconds, 1e-9)),
            DeliveredPerSecond = Math.Round(Pushes() / Math.Max(pushSeconds, 1e-9)), // pushes/s
            ServerPeakRssMiB = Math.Round(herald.PeakRssMiB()),
            ServerCpuMicrosPerMessage = Pushes() == 0 ? 0 : Math.Round(cpuSeconds * 1e6 / Pushes()), // per push
            Errors = driver.Errors + Math.Max(0, driver.Accepted - Pushes()),
        };
    }

    /// <summary>A push service that takes every push (201) and counts it; the bench measures the sender, not this.</summary>
    private sealed class PushStandIn : IAsyncDisposable
    {
        private WebApplication _app = null!;
        private long _pushes;
        private long _lastTicks;

        public Uri Url { get; private set; } = null!;
        public long Pushes => Interlocked.Read(ref _pushes);
        public long LastPushTimestamp => Interlocked.Read(ref _lastTicks);

        public static async Task<PushStandIn> Start()
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            builder.Logging.ClearProviders();
            var service = new PushStandIn { _app = builder.Build() };
            service._app.MapPost("/push/{id}", async (HttpContext context) =>
            {
                await context.Request.Body.CopyToAsync(Stream.Null);
                Interlocked.Increment(ref service._pushes);
                Interlocked.Exchange(ref service._lastTicks, Stopwatch.GetTimestamp());
                return Results.StatusCode(201);
            });
            await service._app.StartAsync();
            service.Url = new Uri(service._app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
            return service;
        }

        public ValueTask DisposeAsync() => _app.DisposeAsync();
    }
}
