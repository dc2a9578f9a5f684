using System.Diagnostics;
using System.Globalization;
using System.Text;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace Herald.Bench.RabbitMq;

/// <summary>
/// The same work against RabbitMQ, doing what durable store-and-forward needs: a durable queue per device, one AMQP
/// connection per device consuming its queue with manual acks, and <c>concurrency</c> senders publishing persistent
/// messages round-robin over the devices, each counting a message as accepted only once the broker confirmed it
/// (publisher confirms: RabbitMQ confirms a persistent message once it is written to disk). Each body is the sender's
/// <see cref="Stopwatch.GetTimestamp"/> at send start, so receipt gives accept→device latency. The node is the one
/// <c>bench/rabbitmq/setup.sh</c> starts on 127.0.0.1:5673 (guest/guest, loopback only).
/// </summary>
public static class RabbitRun
{
    private const int ConnectParallelism = 16;
    private const ushort Prefetch = 64;

    public static async Task<Report> Run(int devices, int messages, int concurrency, TimeSpan maxDuration, CancellationToken cancel)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        deadline.CancelAfter(maxDuration);
        var factory = new ConnectionFactory { HostName = "127.0.0.1", Port = 5673, UserName = "guest", Password = "guest" };
        var state = new PeerRunState(messages);
        var beams = Pids();
        var connections = new IConnection[devices];
        try
        {
            Console.Error.WriteLine($"[rabbitmq] declaring {devices} durable queues and connecting a consumer to each…");
            await Parallel.ForAsync(0, devices, new ParallelOptions { MaxDegreeOfParallelism = ConnectParallelism, CancellationToken = deadline.Token }, async (i, ct) =>
            {
                connections[i] = await factory.CreateConnectionAsync("device" + i, ct);
                var channel = await connections[i].CreateChannelAsync(cancellationToken: ct);
                await channel.QueueDeclareAsync(Queue(i), durable: true, exclusive: false, autoDelete: false, cancellationToken: ct);
                await channel.BasicQosAsync(0, Prefetch, false, ct);
                var consumer = new AsyncEventingBasicConsumer(channel);
                consumer.ReceivedAsync += async (_, delivery) =>
                {
                    state.OnMessage(Encoding.ASCII.GetString(delivery.Body.Span));
                    await channel.BasicAckAsync(delivery.DeliveryTag, multiple: false);
                };
                await channel.BasicConsumeAsync(Queue(i), autoAck: false, consumer, ct);
            });

            Console.Error.WriteLine($"[rabbitmq] publishing {messages} persistent messages with confirms, {concurrency} in parallel…");
            var cpuBefore = beams.Sum(Proc.CpuSeconds);
            var start = Stopwatch.GetTimestamp();
            var sendSeconds = await Send(factory, state, devices, messages, concurrency, deadline.Token);
            while (state.Received < state.Accepted && !deadline.IsCancellationRequested)
                await Task.Delay(10, CancellationToken.None);
            cancel.ThrowIfCancellationRequested();
            var cpuSeconds = beams.Sum(Proc.CpuSeconds) - cpuBefore;
            var received = state.Received;
            var deliveredSeconds = Stopwatch.GetElapsedTime(start, Math.Max(state.LastReceiveTimestamp, start + 1)).TotalSeconds;
            var latency = state.LatenciesMs();
            return new Report
            {
                Scenario = "rabbitmq confirm+ack",
                Target = "RabbitMQ " + Version(),
                Devices = devices,
                Sent = messages,
                Accepted = state.Accepted,
                Seconds = Math.Round(sendSeconds, 2),
                AcceptedPerSecond = Math.Round(state.Accepted / Math.Max(sendSeconds, 1e-9)),
                DeliveredPerSecond = Math.Round(received / Math.Max(deliveredSeconds, 1e-9)),
                CallbacksPerSecond = 0, // RabbitMQ tells the publisher nothing of the consumer's ack
                LatencyP50Ms = Math.Round(PeerRunState.Percentile(latency, 0.50), 2),
                LatencyP99Ms = Math.Round(PeerRunState.Percentile(latency, 0.99), 2),
                LatencyP999Ms = Math.Round(PeerRunState.Percentile(latency, 0.999), 2),
                ServerPeakRssMiB = Math.Round(beams.Sum(Proc.PeakRssMiB)),
                ServerCpuMicrosPerMessage = state.Accepted == 0 ? 0 : Math.Round(cpuSeconds * 1e6 / state.Accepted),
                Errors = state.HttpErrors + state.BadBodies + (messages - state.Accepted - state.HttpErrors) + Math.Max(0, state.Accepted - received),
            };
        }
        finally
        {
            foreach (var connection in connections.Where(c => c is not null))
                await connection.DisposeAsync();
        }
    }

    private static string Queue(long device) => "device." + device.ToString(CultureInfo.InvariantCulture);

    /// <summary>Runs the senders, a channel each with confirms on one connection; returns the seconds from the first publish to the last confirm.</summary>
    private static async Task<double> Send(ConnectionFactory factory, PeerRunState state, int devices, int messages, int concurrency, CancellationToken deadline)
    {
        await using var connection = await factory.CreateConnectionAsync("senders", deadline);
        var persistent = new BasicProperties { Persistent = true };
        long next = -1;
        var start = Stopwatch.GetTimestamp();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => Task.Run(async () =>
        {
            // With tracking on, BasicPublishAsync returns once the broker confirmed the message (and throws on a nack).
            await using var channel = await connection.CreateChannelAsync(
                new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true), deadline);
            while (!deadline.IsCancellationRequested)
            {
                var i = Interlocked.Increment(ref next);
                if (i >= messages)
                    return;
                var body = Encoding.ASCII.GetBytes(Stopwatch.GetTimestamp().ToString(CultureInfo.InvariantCulture));
                try
                {
                    await channel.BasicPublishAsync("", Queue(i % devices), mandatory: true, persistent, body, deadline);
                    state.CountAccepted();
                }
                catch (OperationCanceledException) when (deadline.IsCancellationRequested)
                {
                    return;
                }
                catch (Exception e) when (e is RabbitMQ.Client.Exceptions.PublishException or RabbitMQ.Client.Exceptions.AlreadyClosedException)
                {
                    state.CountHttpError();
                }
            }
        }, CancellationToken.None)));
        return Stopwatch.GetElapsedTime(start).TotalSeconds;
    }

    /// <summary>The node's Erlang VM: the rabbitmq user's beam.smp (setup.sh starts only ours).</summary>
    private static List<int> Pids()
    {
        using var pgrep = Process.Start(new ProcessStartInfo("pgrep", "-u rabbitmq -x beam.smp") { RedirectStandardOutput = true, UseShellExecute = false })!;
        var output = pgrep.StandardOutput.ReadToEnd();
        pgrep.WaitForExit();
        return [.. output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(p => int.Parse(p, CultureInfo.InvariantCulture))];
    }

    private static string Version()
    {
        try
        {
            using var dpkg = Process.Start(new ProcessStartInfo("dpkg-query", "-W -f=${Version} rabbitmq-server") { RedirectStandardOutput = true, UseShellExecute = false })!;
            var version = dpkg.StandardOutput.ReadToEnd();
            dpkg.WaitForExit();
            return version.Split('-')[0];
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return "?";
        }
    }
}
