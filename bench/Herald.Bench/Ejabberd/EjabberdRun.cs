using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;

namespace Herald.Bench.Ejabberd;

/// <summary>
/// The same work against ejabberd, for the side-by-side ratios: <c>devices</c> connected XMPP clients (user1..userN,
/// password "pw", from <c>bench/ejabberd/setup.sh N</c>), and <c>messages</c> chat messages sent through ejabberd's
/// HTTP API <c>send_message</c> round-robin over them from <c>concurrency</c> parallel senders. Each body is the
/// sender's <see cref="Stopwatch.GetTimestamp"/> at send start, so receipt gives accept→client latency.
/// Loopback only: c2s 127.0.0.1:5222, API http://127.0.0.1:5280/api.
/// </summary>
public static class EjabberdRun
{
    public const string Domain = "localhost";
    public const string Password = "pw";
    public const string NodeName = "herald-bench@localhost";
    public static readonly IPEndPoint C2s = new(IPAddress.Loopback, 5222);
    public static readonly Uri Api = new("http://127.0.0.1:5280/api/");
    private const int ConnectParallelism = 16;

    public static async Task<Report> Run(int devices, int messages, int concurrency, TimeSpan maxDuration, CancellationToken cancel)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(devices, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(messages);
        ArgumentOutOfRangeException.ThrowIfLessThan(concurrency, 1);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        deadline.CancelAfter(maxDuration);

        var beams = BeamPids();
        if (beams.Count == 0)
            Console.Error.WriteLine($"[ejabberd] warning: no beam.smp process for {NodeName} found; RSS will read 0");
        foreach (var pid in beams)
            ResetPeakRss(pid); // peak RSS of this run, not of earlier runs against the same node

        var state = new PeerRunState(messages);
        var clients = new XmppClient[devices];
        Console.Error.WriteLine($"[ejabberd] connecting {devices} XMPP clients to {C2s}…");
        try
        {
            await Parallel.ForAsync(0, devices, new ParallelOptions { MaxDegreeOfParallelism = ConnectParallelism, CancellationToken = deadline.Token }, async (i, ct) =>
            {
                var user = "user" + (i + 1).ToString(CultureInfo.InvariantCulture);
                try
                {
                    clients[i] = await XmppClient.Connect(C2s, Domain, user, Password, state.OnMessage, cancel: ct);
                }
                catch (Exception e) when (e is XmppException or IOException or System.Net.Sockets.SocketException or TimeoutException)
                {
                    throw new InvalidOperationException($"{user}@{Domain} could not connect ({e.Message}); is ejabberd up with {devices} users (bench/ejabberd/setup.sh {devices})?", e);
                }
            });

            Console.Error.WriteLine($"[ejabberd] sending {messages} messages via {Api}send_message, {concurrency} in parallel…");
            var start = Stopwatch.GetTimestamp();
            var sendSeconds = messages == 0 ? 0 : await Send(state, devices, messages, concurrency, deadline.Token);

            // Deliveries trail the sends: wait for every accepted message, until the run's time is up.
            while (state.Received < state.Accepted && !deadline.IsCancellationRequested)
                await Task.Delay(10, CancellationToken.None);
            cancel.ThrowIfCancellationRequested();
            if (deadline.IsCancellationRequested && state.Received < state.Accepted)
                Console.Error.WriteLine($"[ejabberd] time is up ({maxDuration}): {state.Received} of {state.Accepted} accepted messages received");

            var received = state.Received;
            var deliveredSeconds = Stopwatch.GetElapsedTime(start, Math.Max(state.LastReceiveTimestamp, start + 1)).TotalSeconds;
            var notSent = messages - state.Accepted - state.HttpErrors;
            var notDelivered = Math.Max(0, state.Accepted - received);
            var latency = state.LatenciesMs();
            return new Report
            {
                Scenario = "ejabberd send_message",
                Target = "ejabberd 23.01",
                Devices = devices,
                Sent = messages,
                Accepted = state.Accepted,
                Seconds = Math.Round(sendSeconds, 2),
                AcceptedPerSecond = Math.Round(state.Accepted / Math.Max(sendSeconds, 1e-9)),
                DeliveredPerSecond = Math.Round(received / Math.Max(deliveredSeconds, 1e-9)),
                CallbacksPerSecond = 0, // ejabberd has no delivery callbacks
                LatencyP50Ms = Math.Round(PeerRunState.Percentile(latency, 0.50), 2),
                LatencyP99Ms = Math.Round(PeerRunState.Percentile(latency, 0.99), 2),
                LatencyP999Ms = Math.Round(PeerRunState.Percentile(latency, 0.999), 2),
                ServerPeakRssMiB = Math.Round(beams.Sum(PeakRssKiB) / 1024.0),
                Errors = state.HttpErrors + notSent + notDelivered + state.BadBodies,
            };
        }
        finally
        {
            await Task.WhenAll(clients.Where(c => c is not null).Select(c => c.DisposeAsync().AsTask()));
        }
    }

    /// <summary>Runs the senders; returns the seconds from the first send to the last answer.</summary>
    private static async Task<double> Send(PeerRunState state, int devices, int messages, int concurrency, CancellationToken deadline)
    {
        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = concurrency, PooledConnectionLifetime = Timeout.InfiniteTimeSpan, UseProxy = false };
        using var http = new HttpClient(handler) { BaseAddress = Api, Timeout = TimeSpan.FromSeconds(30) };
        long next = -1;
        var start = Stopwatch.GetTimestamp();
        var workers = Enumerable.Range(0, concurrency).Select(_ => Task.Run(async () =>
        {
            while (!deadline.IsCancellationRequested)
            {
                var i = Interlocked.Increment(ref next);
                if (i >= messages)
                    return;
                var to = "user" + (i % devices + 1).ToString(CultureInfo.InvariantCulture);
                var json = string.Create(CultureInfo.InvariantCulture,
                    $"{{\"type\":\"chat\",\"from\":\"bench@{Domain}\",\"to\":\"{to}@{Domain}\",\"subject\":\"\",\"body\":\"{Stopwatch.GetTimestamp()}\"}}");
                try
                {
                    using var content = new StringContent(json, Encoding.UTF8, "application/json");
                    using var response = await http.PostAsync("send_message", content, deadline);
                    if (response.StatusCode == HttpStatusCode.OK)
                        state.CountAccepted();
                    else
                        state.CountHttpError();
                }
                catch (OperationCanceledException) when (deadline.IsCancellationRequested)
                {
                    return; // not answered in time: counted as not sent
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                {
                    state.CountHttpError();
                }
            }
        }, CancellationToken.None)).ToArray();
        await Task.WhenAll(workers);
        return Stopwatch.GetElapsedTime(start).TotalSeconds;
    }

    /// <summary>The ejabberd VM(s): beam.smp processes of our node (any beam.smp if none is tagged with it).</summary>
    private static List<int> BeamPids()
    {
        var pids = new List<int>();
        try
        {
            using var pgrep = Process.Start(new ProcessStartInfo("pgrep", "-x beam.smp") { RedirectStandardOutput = true, UseShellExecute = false })!;
            var output = pgrep.StandardOutput.ReadToEnd();
            if (!pgrep.WaitForExit(5_000))
                pgrep.Kill();
            foreach (var line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                if (int.TryParse(line, CultureInfo.InvariantCulture, out var pid))
                    pids.Add(pid);
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return pids; // no pgrep
        }
        var ours = pids.Where(pid => CommandLine(pid).Contains(NodeName, StringComparison.Ordinal)).ToList();
        return ours.Count > 0 ? ours : pids;
    }

    private static string CommandLine(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ');
        }
        catch (IOException)
        {
            return "";
        }
        catch (UnauthorizedAccessException)
        {
            return "";
        }
    }

    /// <summary>VmHWM (peak resident set) of a process, in KiB; 0 if it cannot be read.</summary>
    private static long PeakRssKiB(int pid)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
                if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                    return long.Parse(line["VmHWM:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
        return 0;
    }

    /// <summary>Writing 5 to clear_refs resets VmHWM to the current RSS (needs root or the same user; best effort).</summary>
    private static void ResetPeakRss(int pid)
    {
        try
        {
            File.WriteAllText($"/proc/{pid}/clear_refs", "5");
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
