using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace Herald.Bench;

/// <param name="Batch">messages per request; 1 sends single POSTs</param>
/// <param name="Rate">messages per second; 0 is full speed</param>
public sealed record Scenario(string Name, int Devices, int Messages, int Concurrency, int Batch, double Rate)
{
    /// <summary>One run on a fresh server: set up, warm up, drive, wait for deliveries and callbacks, measure.</summary>
    public async Task<Report> Run(Uri? target, Deployment deployment, TimeSpan warmup, CancellationToken cancel)
    {
        await using var receiver = await Receiver.Start();
        await using var herald = target is null ? await deployment.Start(new Uri(receiver.Url, "/codes")) : null;
        IReadOnlyList<Uri> servers = target is null ? herald!.Urls : [target];
        var apiKey = await CreateBusiness(servers[0], new Uri(receiver.Url, "/hook"));
        var latency = new LatencyRecorder();
        Console.Error.WriteLine($"[{Name}] signing in and connecting {Devices} devices…");
        await using var fleet = await DeviceFleet.SignInAndConnect(servers, receiver, Devices, latency);
        await HoldIfAsked(herald, cancel);

        // The same work for a while first, unmeasured: the server's JIT (tiered compilation with profile-guided
        // optimisation) compiles its hot paths in the first ~15 s, and a running server is past that.
        var (warmErrors, warmAccepted) = (0L, 0L);
        if (Messages > 0 && warmup > TimeSpan.Zero)
        {
            Console.Error.WriteLine($"[{Name}] warming up for {warmup.TotalSeconds:F0} s (not measured)…");
            var warm = new LoadDriver(servers, apiKey, Devices);
            await warm.Run(int.MaxValue, Concurrency, Batch, Rate, cancel, warmup);
            await WaitFor(() => fleet.Received >= warm.Accepted && receiver.Events >= warm.Accepted * 2, () => fleet.Received + receiver.Events, cancel);
            warmErrors = warm.Errors + Math.Max(0, warm.Accepted - fleet.Received) + Math.Max(0, warm.Accepted * 2 - receiver.Events);
            warmAccepted = warm.Accepted;
            latency.Clear();
        }
        var (receivedBefore, eventsBefore) = (fleet.Received, receiver.Events);
        var cpuBefore = herald?.CpuSeconds() ?? 0;
        var postgres = herald is null ? null : await PostgresMeter.For(deployment, servers);
        var databaseBefore = postgres is null ? default : await postgres.Read();
        var runtime = herald is null ? null : new RuntimeMeter(servers);
        var runtimeBefore = runtime is null ? default : await runtime.Read();

        Console.Error.WriteLine($"[{Name}] sending {Messages} messages…");
        var driver = new LoadDriver(servers, apiKey, Devices);
        var start = Stopwatch.GetTimestamp();
        var sendSeconds = Messages == 0 ? 0 : await driver.Run(Messages, Concurrency, Batch, Rate, cancel);

        // Deliveries and callbacks trail the sends; wait for all of them (or give up after 30 s of no progress).
        var expectedEvents = driver.Accepted * 2; // delivered + seen per message
        long Received() => fleet.Received - receivedBefore;
        long Events() => receiver.Events - eventsBefore;
        await WaitFor(() => Received() >= driver.Accepted && Events() >= expectedEvents, () => Received() + Events(), cancel);
        var deliveredSeconds = Stopwatch.GetElapsedTime(start, Math.Max(fleet.LastReceiveTimestamp, start + 1)).TotalSeconds;
        var callbackSeconds = Stopwatch.GetElapsedTime(start, Math.Max(receiver.LastEventTimestamp, start + 1)).TotalSeconds;
        var cpuSeconds = (herald?.CpuSeconds() ?? 0) - cpuBefore;
        var databaseAfter = postgres is null ? default : await postgres.Read();
        var runtimeAfter = runtime is null ? default : await runtime.Read();
        var missing = Math.Max(0, driver.Accepted - Received()) + Math.Max(0, expectedEvents - Events());
        await Explain(herald, receiver, fleet.Received, warmAccepted + driver.Accepted);

        return new Report
        {
            Scenario = Name,
            Target = target?.ToString() ?? deployment.Describe,
            Devices = fleet.Count,
            Sent = Messages,
            Accepted = driver.Accepted,
            Seconds = Math.Round(sendSeconds, 2),
            AcceptedPerSecond = Math.Round(driver.Accepted / Math.Max(sendSeconds, 1e-9)),
            DeliveredPerSecond = Math.Round(Received() / Math.Max(deliveredSeconds, 1e-9)),
            CallbacksPerSecond = Math.Round(Events() / Math.Max(callbackSeconds, 1e-9)),
            LatencyP50Ms = Math.Round(latency.PercentileMs(0.50), 2),
            LatencyP99Ms = Math.Round(latency.PercentileMs(0.99), 2),
            LatencyP999Ms = Math.Round(latency.PercentileMs(0.999), 2),
            ServerPeakRssMiB = herald is null ? 0 : Math.Round(herald.PeakRssMiB(), 1), // to 0.1 MiB: the idle slope divides a difference of it
            ServerCpuMicrosPerMessage = driver.Accepted == 0 ? 0 : Math.Round(cpuSeconds * 1e6 / driver.Accepted),
            DatabaseCpuMicrosPerMessage = postgres is null || driver.Accepted == 0 ? null : Math.Round((databaseAfter.CpuSeconds - databaseBefore.CpuSeconds) * 1e6 / driver.Accepted),
            DatabaseRoundTripsPerMessage = postgres is null || driver.Accepted == 0 ? null : Math.Round((databaseAfter.RoundTrips - databaseBefore.RoundTrips) / driver.Accepted, 2),
            DatabaseWalBytesPerMessage = postgres is null || driver.Accepted == 0 ? null : Math.Round((databaseAfter.WalBytes - databaseBefore.WalBytes) / driver.Accepted),
            ServerAllocatedKibPerMessage = runtime is null || driver.Accepted == 0 ? null : Math.Round((runtimeAfter.AllocatedBytes - runtimeBefore.AllocatedBytes) / 1024 / driver.Accepted, 1),
            ServerGcCollections = runtime is null ? null : runtimeAfter.Collections - runtimeBefore.Collections,
            ServerGcPauseShare = runtime is null ? null : Math.Round((runtimeAfter.PauseSeconds - runtimeBefore.PauseSeconds) / Math.Max(callbackSeconds, 1e-9), 3),
            Errors = driver.Errors + missing + warmErrors,
        };
    }

    /// <summary>
    /// Says on stderr what did not add up: callbacks that arrived twice and, on PostgreSQL, the outbox rows whose
    /// event never arrived, by state (sent means marked sent without arriving: lost).
    /// </summary>
    private async Task Explain(Nodes? herald, Receiver receiver, long received, long sentToDevices)
    {
        if (receiver.Duplicates > 0)
            Console.Error.WriteLine($"[{Name}] {receiver.Duplicates} callback events arrived more than once");
        if (received < sentToDevices)
            Console.Error.WriteLine($"[{Name}] {sentToDevices - received} accepted messages never reached a device");
        if (herald is null || await herald.Outbox() is not { } outbox)
            return;
        var lost = outbox.Where(r => !receiver.Got(r.EventId)).ToList();
        foreach (var group in lost.GroupBy(r => (r.Type, r.State)))
            Console.Error.WriteLine($"[{Name}] {group.Count()} {group.Key.Type} events never arrived; in the outbox: {group.Key.State}, attempts {string.Join("/", group.Select(r => r.Attempts).Distinct().Order())}");
    }

    /// <summary>
    /// With HERALD_BENCH_HOLD set to a file path, waits with every device connected until that file exists, so the
    /// server can be looked at in that state (e.g. <c>dotnet-gcdump collect -p PID</c> at a given device count).
    /// </summary>
    private async Task HoldIfAsked(Nodes? herald, CancellationToken cancel)
    {
        if (Environment.GetEnvironmentVariable("HERALD_BENCH_HOLD") is not { Length: > 0 } file)
            return;
        Console.Error.WriteLine($"[{Name}] holding with {Devices} devices connected (server pids: {string.Join(", ", herald?.Pids ?? [])}); touch {file} to go on");
        while (!File.Exists(file))
            await Task.Delay(500, cancel);
    }

    internal static async Task WaitFor(Func<bool> done, Func<long> progress, CancellationToken cancel)
    {
        var last = progress();
        var lastChange = Stopwatch.GetTimestamp();
        while (!done() && Stopwatch.GetElapsedTime(lastChange) < TimeSpan.FromSeconds(30))
        {
            await Task.Delay(50, cancel);
            var now = progress();
            if (now != last)
                (last, lastChange) = (now, Stopwatch.GetTimestamp());
        }
    }

    internal static async Task<string> CreateBusiness(Uri server, Uri webhook, int rateLimit = 1_000_000)
    {
        using var admin = new HttpClient { BaseAddress = server };
        admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", HeraldProcess.OperatorToken);
        var created = await admin.PostAsJsonAsync("/admin/v1/businesses", new { name = "Bench Parcels", verified = true, allowed_ips = new[] { "127.0.0.0/8" }, rate_limit_per_second = rateLimit });
        created.EnsureSuccessStatusCode();
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("business_id").GetString();
        var key = await (await admin.PostAsync($"/admin/v1/businesses/{id}/keys", null)).Content.ReadFromJsonAsync<JsonElement>();
        var apiKey = key.GetProperty("api_key").GetString()!;
        using var business = new HttpClient { BaseAddress = server };
        business.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        (await business.PutAsJsonAsync("/v1/webhook", new { url = webhook.ToString() })).EnsureSuccessStatusCode();
        return apiKey;
    }
}
