using System.Net.Http.Json;
using System.Text.Json;
using Herald.Server.Tests.Infrastructure;

namespace Herald.Server.Tests.Push;

/// <summary>
/// Two real <c>herald serve</c> nodes over one PostgreSQL database and nats-server: read state and replies reach a
/// consumer's device on the other node, and only the accepting node pushes, to a device connected nowhere, once.
/// </summary>
public sealed class ClusterSyncTests : IAsyncLifetime
{
    private const string Ann = "+447700900123";
    private const string OperatorToken = "hop_cluster-sync-test-token";
    private readonly string _root = Path.Combine(Path.GetTempPath(), "herald-cluster-sync-" + Guid.NewGuid().ToString("N"));
    private TestStore _store = null!;
    private Receiver _receiver = null!;
    private PushServiceStandIn _push = null!;

    public async Task InitializeAsync()
    {
        _store = await TestStore.CreatePostgres();
        _receiver = await Receiver.Start();
        _push = await PushServiceStandIn.Start();
    }

    /// <summary>A node: its own data directory; the shared database, bus, content key and VAPID key file.</summary>
    private HeraldProcess Node(string name) => HeraldProcess.Serve(Path.Combine(_root, name), new Dictionary<string, string>(_store.Environment)
    {
        ["HERALD_BOOTSTRAP_TOKEN"] = OperatorToken,
        ["Herald__Cluster__NatsUrl"] = TestStore.NatsUrl,
        ["Herald__Privacy__KeyFile"] = Path.Combine(_root, "content.key"),
        ["Herald__Push__KeyFile"] = Path.Combine(_root, "vapid.json"),
        ["Herald__Push__AllowPrivateNetworks"] = "true",
        ["Herald__Push__ClusterGraceMilliseconds"] = "1500",
        ["Herald__Webhooks__AllowPrivateNetworks"] = "true",
        ["Herald__Consumers__CodeHookUrl"] = _receiver.CodeHookUrl.ToString(),
    });

    [Fact]
    public async Task Reads_and_replies_reach_the_consumers_device_on_the_other_node_and_only_a_device_connected_nowhere_is_pushed()
    {
        await using var a = Node("a");
        await a.WaitHealthy();
        await using var b = Node("b");
        await b.WaitHealthy();
        var business = await Api.CreateBusiness(() => a.BaseAddress, OperatorToken, _receiver.WebhookUrl, twoWay: true);
        using (var anyone = Api.Client(b.BaseAddress))
            _push.ExpectedKey = (await anyone.GetFromJsonAsync<JsonElement>("/consumer/v1/push/key")).GetProperty("public_key").GetString();

        var phoneToken = await Api.SignIn(a.BaseAddress, _receiver, Ann);
        var laptopToken = await Api.SignIn(b.BaseAddress, _receiver, Ann);
        var (phoneEndpoint, phoneKeys) = _push.Subscribe();
        var (laptopEndpoint, laptopKeys) = _push.Subscribe();
        using (var phoneHttp = Api.Client(a.BaseAddress, phoneToken))
            (await phoneHttp.PutAsJsonAsync("/consumer/v1/push/subscription", phoneKeys.Json(phoneEndpoint))).EnsureSuccessStatusCode();
        using (var laptopHttp = Api.Client(b.BaseAddress, laptopToken))
            (await laptopHttp.PutAsJsonAsync("/consumer/v1/push/subscription", laptopKeys.Json(laptopEndpoint))).EnsureSuccessStatusCode();

        // The laptop is connected to node b and acknowledges at once; the phone is connected nowhere. Node a accepts.
        await using var laptop = await TestDevice.Connect(b.BaseAddress, laptopToken);
        await laptop.Next("ready");
        var id = await business.SendOk(new { to = Ann, category = "transactional", text = "Across nodes" });
        Assert.Equal(id, (await laptop.Next("message")).GetProperty("message").GetProperty("message_id").GetString());
        await laptop.Ack("delivered", id);
        await laptop.Next("acked");
        await Wait.Until(() => _push.To(phoneEndpoint).Count == 1, TimeSpan.FromSeconds(10), "the push to the phone");
        Assert.Equal(id, _push.To(phoneEndpoint)[0].Json.GetProperty("message").GetProperty("message_id").GetString());
        await Task.Delay(2500); // past the grace: the laptop had acknowledged, so it gets no push, and nothing comes twice
        Assert.Empty(_push.To(laptopEndpoint));
        Assert.Single(_push.To(phoneEndpoint));

        // The phone opens the app on node a: it reads and replies; the laptop on node b follows.
        await using var phone = await TestDevice.Connect(a.BaseAddress, phoneToken);
        Assert.Equal(id, (await phone.Next("message")).GetProperty("message").GetProperty("message_id").GetString());
        await phone.Ack("seen", id);
        var read = await laptop.Next("read");
        Assert.Equal([id], read.GetProperty("message_ids").EnumerateArray().Select(e => e.GetString()));
        await phone.Send(new { type = "reply", business_id = business.Id, message_id = id, text = "Thanks — from the phone" });
        await phone.Next("reply_sent");
        var echo = await laptop.Next("reply_echo");
        Assert.Equal("Thanks — from the phone", echo.GetProperty("text").GetString());
        Assert.Equal(id, echo.GetProperty("message_id").GetString());
    }

    public async Task DisposeAsync()
    {
        await _push.DisposeAsync();
        await _receiver.DisposeAsync();
        await _store.DisposeAsync();
        try { Directory.Delete(_root, recursive: true); } catch (IOException) { }
    }
}
