namespace Herald.Server.Tests.Infrastructure;

/// <summary>
/// A node of a test cluster: a real <c>herald serve</c> process with its own data directory under
/// <paramref name="root"/>, and the shared PostgreSQL database, nats-server and content key.
/// </summary>
public static class ClusterNode
{
    public static HeraldProcess Start(string root, string name, TestStore store, string operatorToken, Receiver receiver) =>
        HeraldProcess.Serve(Path.Combine(root, name), new Dictionary<string, string>(store.Environment)
        {
            ["HERALD_BOOTSTRAP_TOKEN"] = operatorToken,
            ["Herald__Cluster__NatsUrl"] = TestStore.NatsUrl,
            ["Herald__Privacy__KeyFile"] = Path.Combine(root, "content.key"),
            ["Herald__Webhooks__AllowPrivateNetworks"] = "true",
            ["Herald__Consumers__CodeHookUrl"] = receiver.CodeHookUrl.ToString(),
        });
}
