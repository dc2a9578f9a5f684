namespace Herald.Bench;

/// <summary>
/// The accept path alone (issue #15): <c>wrk</c> posts single messages to one signed-in consumer that has no connected
/// device, so each 202 is a message validated, encrypted, stored and fsync'd, and nothing follows it (no push, no ack,
/// no callback). Then, on the same server, <c>GET /healthz</c> with the same wrk settings: the ratio of the two says
/// how much of what the HTTP stack can answer the accept path keeps. The business's rate limit is far above what wrk
/// can reach (see <see cref="Scenario.CreateBusiness"/> and <see cref="HeraldProcess"/>), so it does not bind.
/// </summary>
/// <param name="Duration">each measured wrk run; each follows an unmeasured one of the warm-up's length</param>
public sealed record AcceptOnlyScenario(string Name, int Threads, int Connections, TimeSpan Duration)
{
    /// <summary>The server is warm from the POSTs by then; /healthz gets only this much of its own warm-up.</summary>
    private static readonly TimeSpan HealthzWarmup = TimeSpan.FromSeconds(5);

    public async Task<Report> Run(TimeSpan warmup, CancellationToken cancel)
    {
        await using var receiver = await Receiver.Start();
        await using var herald = await HeraldProcess.Start(new Uri(receiver.Url, "/codes"));
        var apiKey = await Scenario.CreateBusiness(herald.Url, new Uri(receiver.Url, "/hook"));
        await DeviceFleet.SignIn(herald.Url, receiver, 1); // registered, never connected: every message waits
        var to = DeviceFleet.Phone(0);
        var healthz = new Uri(herald.Url, "/healthz");
        var errors = 0L;

        if (warmup > TimeSpan.Zero)
        {
            Console.Error.WriteLine($"[{Name}] warming up for {warmup.TotalSeconds:F0} s (not measured)…");
            errors += (await Wrk.Run(herald.Url, Threads, Connections, warmup, apiKey, to, cancel)).Errors;
        }
        Console.Error.WriteLine($"[{Name}] POST /v1/messages for {Duration.TotalSeconds:F0} s (wrk -t{Threads} -c{Connections})…");
        var cpuBefore = herald.CpuSeconds();
        var accept = await Wrk.Run(herald.Url, Threads, Connections, Duration, apiKey, to, cancel);
        var cpuSeconds = herald.CpuSeconds() - cpuBefore;

        if (warmup > TimeSpan.Zero)
            errors += (await Wrk.Run(healthz, Threads, Connections, warmup < HealthzWarmup ? warmup : HealthzWarmup, null, null, cancel)).Errors;
        Console.Error.WriteLine($"[{Name}] GET /healthz for {Duration.TotalSeconds:F0} s…");
        var health = await Wrk.Run(healthz, Threads, Connections, Duration, null, null, cancel);
        if (accept.Errors + health.Errors + errors > 0)
            Console.Error.WriteLine($"[{Name}] errors: POST {accept.StatusErrors} non-2xx + {accept.SocketErrors} socket, /healthz {health.StatusErrors} non-2xx + {health.SocketErrors} socket, warm-ups {errors}");

        return new Report
        {
            Scenario = Name,
            Target = $"herald serve (SQLite), wrk -t{Threads} -c{Connections}, one offline consumer",
            Devices = 0,
            Sent = accept.Requests,
            Accepted = accept.Succeeded,
            Seconds = Math.Round(accept.Seconds, 2),
            AcceptedPerSecond = Math.Round(accept.SucceededPerSecond),
            LatencyP50Ms = Math.Round(accept.P50Ms, 2), // request → 202, as wrk measures it
            LatencyP99Ms = Math.Round(accept.P99Ms, 2),
            LatencyP999Ms = Math.Round(accept.P999Ms, 2),
            ServerPeakRssMiB = Math.Round(herald.PeakRssMiB()),
            ServerCpuMicrosPerMessage = accept.Succeeded == 0 ? 0 : Math.Round(cpuSeconds * 1e6 / accept.Succeeded),
            HealthzPerSecond = Math.Round(health.SucceededPerSecond),
            AcceptPerHealthz = health.Succeeded == 0 ? 0 : Math.Round(accept.SucceededPerSecond / health.SucceededPerSecond, 3),
            Errors = accept.Errors + health.Errors + errors,
        };
    }
}
