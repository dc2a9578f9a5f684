using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Herald.Bench;

/// <summary>
/// A campaign (issue #17): an audience CSV of N consumers who are all signed-in devices — most of them connected and
/// acknowledging like the <c>single</c> scenario's devices, the rest offline (their messages wait) — sent at the
/// business's full rate limit. Reported: recipients/s (start to the last recipient accepted) and the time from the
/// start to the last <c>delivered</c> callback.
/// </summary>
/// <param name="Recipients">the audience</param>
/// <param name="RateLimit">the business's rate limit, and so the campaign's rate (it defaults to the limit)</param>
public sealed record CampaignScenario(string Name, int Recipients, int RateLimit)
{
    /// <summary>Most recipients are connected; at most this many, as a process here may hold only ~20,000 open files.</summary>
    private const int MaxConnected = 19_000;
    private const double ConnectedShare = 0.9;

    public int Connected => Math.Min(MaxConnected, (int)Math.Ceiling(Recipients * ConnectedShare));

    public async Task<Report> Run(Deployment deployment, CancellationToken cancel)
    {
        await using var receiver = await Receiver.Start();
        await using var herald = await deployment.Start(new Uri(receiver.Url, "/codes"));
        var server = herald.Urls[0];
        var apiKey = await Scenario.CreateBusiness(server, new Uri(receiver.Url, "/hook"), RateLimit);
        Console.Error.WriteLine($"[{Name}] signing in {Recipients} consumers, connecting {Connected} of them…");
        var latency = new LatencyRecorder();
        await using var fleet = await DeviceFleet.SignInAndConnect(herald.Urls, receiver, Connected, latency);
        if (Recipients > Connected)
            await DeviceFleet.SignIn(server, receiver, Recipients - Connected, first: Connected);

        using var business = new HttpClient { BaseAddress = server, Timeout = TimeSpan.FromMinutes(10) };
        business.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        var created = await Json(await business.PostAsJsonAsync("/v1/campaigns", new
        {
            name = "Bench sale",
            message = new { category = "promotional", text = "Winter sale: 20% off everything", url = "https://bench.example/sale" },
        }, cancel), cancel);
        var id = created.GetProperty("id").GetString()!;
        var csv = new StringBuilder("phone\n", Recipients * 15);
        // Shuffled (the same order every run), so the connected devices are spread through the audience and the last
        // `delivered` comes near the end of the campaign, not after its first rows.
        var order = Enumerable.Range(0, Recipients).ToArray();
        new Random(17).Shuffle(order);
        foreach (var i in order)
            csv.Append(DeviceFleet.Phone(i)).Append('\n');
        var upload = Stopwatch.StartNew();
        var report = await Json(await business.PutAsync($"/v1/campaigns/{id}/audience", new StringContent(csv.ToString(), Encoding.UTF8, "text/csv"), cancel), cancel);
        Console.Error.WriteLine($"[{Name}] audience of {report.GetProperty("recipients").GetInt64()} uploaded in {upload.Elapsed.TotalSeconds:F1} s; starting at {RateLimit}/s…");

        var (eventsBefore, cpuBefore) = (receiver.Events, herald.CpuSeconds());
        var start = Stopwatch.GetTimestamp();
        await Json(await business.PostAsync($"/v1/campaigns/{id}/start", null, cancel), cancel);
        var accepted = 0L;
        var sentSeconds = 0.0;
        while (true)
        {
            await Task.Delay(200, cancel);
            var campaign = await business.GetFromJsonAsync<JsonElement>($"/v1/campaigns/{id}", cancel);
            accepted = campaign.GetProperty("progress").GetProperty("accepted").GetInt64();
            if (campaign.GetProperty("state").GetString() is "completed" or "cancelled")
            {
                sentSeconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
                break;
            }
        }
        // Every connected device's message is delivered, then seen: two callbacks each.
        await Scenario.WaitFor(() => receiver.Delivered >= Connected && receiver.Events - eventsBefore >= 2L * Connected, () => receiver.Events, cancel);
        var lastDelivered = Stopwatch.GetElapsedTime(start, Math.Max(receiver.LastDeliveredTimestamp, start + 1)).TotalSeconds;
        var cpuSeconds = herald.CpuSeconds() - cpuBefore;
        var missing = Math.Max(0, Recipients - accepted) + Math.Max(0, Connected - fleet.Received) + Math.Max(0, Connected - receiver.Delivered);
        if (receiver.Duplicates > 0)
            Console.Error.WriteLine($"[{Name}] {receiver.Duplicates} callback events arrived more than once");

        return new Report
        {
            Scenario = Name,
            Target = deployment.Describe,
            Devices = fleet.Count,
            Sent = Recipients,
            Accepted = accepted,
            Seconds = Math.Round(sentSeconds, 2),
            AcceptedPerSecond = Math.Round(accepted / Math.Max(sentSeconds, 1e-9)),
            DeliveredPerSecond = Math.Round(receiver.Delivered / Math.Max(lastDelivered, 1e-9)),
            CallbacksPerSecond = Math.Round((receiver.Events - eventsBefore) / Math.Max(Stopwatch.GetElapsedTime(start, Math.Max(receiver.LastEventTimestamp, start + 1)).TotalSeconds, 1e-9)),
            LatencyP50Ms = Math.Round(latency.PercentileMs(0.50), 2),
            LatencyP99Ms = Math.Round(latency.PercentileMs(0.99), 2),
            LatencyP999Ms = Math.Round(latency.PercentileMs(0.999), 2),
            ServerPeakRssMiB = Math.Round(herald.PeakRssMiB()),
            ServerCpuMicrosPerMessage = accepted == 0 ? 0 : Math.Round(cpuSeconds * 1e6 / accepted),
            Errors = missing,
            RateLimit = RateLimit,
            LastDeliveredSeconds = Math.Round(lastDelivered, 2),
            LoadAverage = LoadAverage(),
        };
    }

    /// <summary>The campaign's own lines: what the issue asks for, and the machine's load while it ran.</summary>
    public static void Print(Report r)
    {
        Console.WriteLine(string.Format(CultureInfo.InvariantCulture,
            "campaign: {0:N0} recipients ({1:N0} connected devices), rate limit {2:N0}/s: {3:N0} accepted in {4:F1} s = {5:N0} recipients/s; " +
            "start to last delivered callback {6:F1} s; {7:N0} CPU µs per recipient; errors {8}; load average at the end {9}",
            r.Sent, r.Devices, r.RateLimit, r.Accepted, r.Seconds, r.AcceptedPerSecond, r.LastDeliveredSeconds, r.ServerCpuMicrosPerMessage, r.Errors, r.LoadAverage));
    }

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";

    private static async Task<JsonElement> Json(HttpResponseMessage response, CancellationToken cancel)
    {
        var body = await response.Content.ReadAsStringAsync(cancel);
        if (!response.IsSuccessStatusCode)
            throw new InvalidOperationException($"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri}: {(int)response.StatusCode} {body}");
        return JsonDocument.Parse(body).RootElement;
    }
}
