using Herald.Server.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NATS.Client.Core;

namespace Herald.Server.Cluster;

/// <summary>
/// How Herald nodes tell each other what just changed in the shared database, over NATS (<c>Herald:Cluster:NatsUrl</c>).
/// Only hints travel here: "a message for this consumer is waiting", "close these connections", "callbacks are due",
/// "this cached row changed", "this node is alive", and a consumer's device sync (read ids, a reply's echo to their other devices). Each node acts on a hint by reading the database, which stays the only source of truth,
/// so a lost hint delays something (the next poll or reconnect catches up) but never loses it.
/// Without a NATS URL (one node) publishing does nothing.
/// </summary>
public sealed partial class ClusterBus : IAsyncDisposable
{
    public const string Waiting = "herald.waiting";       // data: consumer id
    public const string Close = "herald.close";           // data: consumer id [space device id]
    public const string CallbacksDue = "herald.callbacks"; // data: empty
    public const string Changed = "herald.changed";       // data: "business <id>", "keys", "policies" or "push <consumer id>"
    public const string Inbox = "herald.inbox";           // data: business id
    public const string Read = "herald.read";             // data: consumer id, device id, message ids (comma-separated)
    public const string ReplyEcho = "herald.reply_echo";  // data: consumer id, device id, the reply_echo frame's JSON (live only, never stored)
    public const string Alive = "herald.alive";           // data: the cluster's key (which database); the sender's node id is the heartbeat

    private readonly ILogger<ClusterBus> _log;

    public ClusterBus(IOptions<HeraldOptions> options, ILogger<ClusterBus> log)
    {
        _log = log;
        if (options.Value.Cluster.NatsUrl is { Length: > 0 } url)
            Connection = new NatsConnection(NatsOpts.Default with { Url = url, Name = "herald-" + NodeId });
    }

    /// <summary>This process's id; hints carry it so a node does not act twice on what it did itself.</summary>
    public string NodeId { get; } = Guid.NewGuid().ToString("N")[..12];

    public NatsConnection? Connection { get; }

    public bool Clustered => Connection is not null;

    /// <summary>Sends a hint to the other nodes, without waiting; a failure is logged and left to the next poll.</summary>
    public void Publish(string subject, string data = "")
    {
        if (Connection is null)
            return;
        _ = PublishAsync(Connection, subject, NodeId + " " + data);
    }

    private async Task PublishAsync(NatsConnection connection, string subject, string payload)
    {
        try
        {
            await connection.PublishAsync(subject, payload);
        }
        catch (Exception ex)
        {
            LogPublishFailed(subject, ex);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Connection is not null)
            await Connection.DisposeAsync();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not publish {Subject} to NATS; other nodes catch up on their next poll")]
    private partial void LogPublishFailed(string subject, Exception ex);
}
