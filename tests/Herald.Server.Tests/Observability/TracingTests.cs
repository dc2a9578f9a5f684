using System.Collections.Concurrent;
using System.Diagnostics;
using Herald.Core.Telemetry;
using Herald.Server.Telemetry;
using Herald.Server.Tests.Infrastructure;

namespace Herald.Server.Tests.Observability;

/// <summary>
/// The spans of one message, recorded by an <see cref="ActivityListener"/> as the OpenTelemetry SDK would: accept →
/// store → push → ack → callback, the later ones children of the accept span; and nothing at all with nobody listening.
/// Both tests are in one class so they never run at the same time (the listener is process wide).
/// </summary>
public sealed class TracingTests
{
    private const string Phone = "+447700900172";

    [Fact]
    public async Task One_message_makes_one_trace_from_accept_to_its_last_callback()
    {
        var spans = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == HeraldTelemetry.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = spans.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);

        await using var host = await HeraldHost.Start();
        var business = await host.CreateBusiness();
        await using var device = await host.Connect(await host.SignIn(Phone));
        await device.Next("ready");
        var id = await business.SendOk(new { to = Phone, category = "transactional", text = "your parcel is here" });
        await device.Next("message");
        await device.Ack("delivered", id);
        await device.Ack("seen", id);
        await host.Receiver.WaitForEvents(e => e.Count(x => x.GetProperty("message_id").GetString() == id) >= 2, TimeSpan.FromSeconds(20));
        await Wait.Until(() => Of(spans, id, "herald.callback.send").Count >= 1 && Of(spans, id, "herald.message.ack").Count == 2,
            TimeSpan.FromSeconds(10), "the callback and ack spans to end");

        var accept = Assert.Single(Of(spans, id, "herald.message.accept"));
        var store = Assert.Single(spans, s => s.OperationName == "herald.message.store" && s.ParentSpanId == accept.SpanId);
        Assert.Equal(accept.TraceId, store.TraceId);
        var push = Assert.Single(Of(spans, id, "herald.message.push"));
        var acks = Of(spans, id, "herald.message.ack").OrderBy(a => a.StartTimeUtc).ToList();
        Assert.Equal(["delivered", "seen"], acks.Select(a => a.GetTagItem("herald.ack")));
        var callbacks = Of(spans, id, "herald.callback.send");
        foreach (var later in new[] { push }.Concat(acks).Concat(callbacks))
        {
            Assert.Equal(accept.TraceId, later.TraceId);
            Assert.Equal(accept.SpanId, later.ParentSpanId);
        }
        Assert.True(accept.StartTimeUtc <= push.StartTimeUtc && push.StartTimeUtc <= acks[0].StartTimeUtc);
        Assert.True(acks[^1].StartTimeUtc <= callbacks.Max(c => c.StartTimeUtc));
        Assert.All(callbacks, c => Assert.Equal(business.Id, c.GetTagItem("herald.business.id")));
    }

    [Fact]
    public void With_nobody_listening_no_span_starts_and_nothing_is_allocated()
    {
        Assert.False(HeraldTelemetry.Source.HasListeners());
        Assert.Null(HeraldTelemetry.Source.StartActivity("herald.message.accept"));
        string[] ids = ["msg_1", "msg_2"];
        Start(ids); // the first calls may JIT
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++)
            Start(ids);
        Assert.Equal(before, GC.GetAllocatedBytesForCurrentThread());

        static void Start(string[] ids)
        {
            using var accept = MessageTracing.StartAccept(1, ids[0]);
            using var store = MessageTracing.StartStore();
            MessageTracing.Remember(accept, ids[0]);
            using var push = MessageTracing.StartPush(ids[0]);
            using var ack = MessageTracing.StartAck(ids, "delivered");
            Assert.Null(accept ?? store ?? push ?? ack);
        }
    }

    private static List<Activity> Of(IEnumerable<Activity> spans, string messageId, string name) =>
        [.. spans.Where(s => s.OperationName == name && (string?)s.GetTagItem(MessageTracing.MessageId) == messageId)];
}
