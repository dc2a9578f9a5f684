using System.Data.Common;
using Herald.Core.Callbacks;
using Herald.Core.Messages;
using Herald.Core.Privacy;
using Herald.Server.Tests.Infrastructure;
using Herald.Storage;
using Herald.Storage.Postgres;

namespace Herald.Server.Tests;

/// <summary>
/// The stores on PostgreSQL, where several nodes write at once. A row's seq is taken when it is inserted, not when it
/// commits, so a smaller seq can become visible after larger ones were read and sent; and a row read by one node may
/// be changed by another before the first one's UPDATE. Always on PostgreSQL (like <see cref="ClusterTests"/>): SQLite
/// has one writer, whose reads and writes never interleave with another's.
/// </summary>
public sealed class SharedDatabaseTests : IAsyncLifetime
{
    private const string Business = "biz_outbox";
    private const string Consumer = "con_race";
    private TestStore _store = null!;
    private PostgresDatabase _database = null!;
    private Writer _writer = null!;
    private OutboxStore _outbox = null!;
    private MessageStore _messages = null!;

    public async Task InitializeAsync()
    {
        _store = await TestStore.CreatePostgres();
        _database = new PostgresDatabase(_store.Settings["Herald:Storage:ConnectionString"]);
        _database.Migrate();
        _writer = new Writer(_database);
        var cipher = new ContentCipher(new byte[32]);
        _outbox = new OutboxStore(_database, _writer, cipher);
        _messages = new MessageStore(_database, _writer, _outbox, new InboxStore(_database, _writer, cipher), cipher);
    }

    [Fact]
    public async Task An_event_that_commits_after_a_batch_with_larger_seqs_was_read_is_not_marked_sent_with_that_batch()
    {
        // Node 1 inserts an event (smaller seq) and has not committed; node 2's event (larger seq) commits first.
        await using var node1 = _database.Open();
        await using var late = await node1.BeginTransactionAsync();
        _outbox.Enqueue(node1, late, Business, Event("evt_late"));
        await using (var node2 = _database.Open())
        {
            await using var tx = await node2.BeginTransactionAsync();
            _outbox.Enqueue(node2, tx, Business, Event("evt_early"));
            await tx.CommitAsync();
        }

        // The leader reads and sends the head: only node 2's event is visible.
        var head = _outbox.Head(Business, 100);
        Assert.Equal(["evt_early"], head.Select(e => e.EventId));
        await late.CommitAsync(); // node 1 commits while the POST is in flight
        await _outbox.MarkSent(Business, Seqs(head), "wh_1", DateTimeOffset.UtcNow);

        // Node 1's event was never sent: it must still be pending, to go out in the next batch.
        Assert.Equal(["evt_late"], _outbox.Head(Business, 100).Select(e => e.EventId));
    }

    [Fact]
    public async Task A_failed_or_abandoned_batch_changes_only_the_events_it_carried()
    {
        await using var node1 = _database.Open();
        await using var late = await node1.BeginTransactionAsync();
        _outbox.Enqueue(node1, late, Business, Event("evt_late"));
        await _writer.Write((c, tx) =>
        {
            _outbox.Enqueue(c, tx, Business, Event("evt_a"));
            _outbox.Enqueue(c, tx, Business, Event("evt_b"));
            return 0;
        });
        var head = _outbox.Head(Business, 100);
        await late.CommitAsync();

        var retryAt = DateTimeOffset.UtcNow.AddMinutes(5);
        await _outbox.MarkFailed(Business, Seqs(head), "wh_1", 1, retryAt, "HTTP 500");
        var pending = _outbox.Head(Business, 100);
        Assert.Equal(["evt_late", "evt_a", "evt_b"], pending.Select(e => e.EventId));
        Assert.Equal([0, 1, 1], pending.Select(e => e.Attempts));
        // The retry is the failed POST again: its rows only, under its webhook-id; the late event waits for its own.
        Assert.Equal([null, "wh_1", "wh_1"], pending.Select(e => e.WebhookId));
        Assert.Equal(["evt_a", "evt_b"], _outbox.Retrying(Business, "wh_1").Select(e => e.EventId));

        await _outbox.Abandon(Business, Seqs(head), DateTimeOffset.UtcNow, "HTTP 500");
        Assert.Equal(["evt_late"], _outbox.Head(Business, 100).Select(e => e.EventId));
    }

    [Fact]
    public async Task A_delivered_ack_that_waited_for_another_nodes_seen_ack_neither_moves_the_status_back_nor_writes_an_event()
    {
        var id = await AcceptOne();
        // Node A's device said `seen` (accepted -> delivered -> seen, two events); not committed yet.
        await using var nodeA = _database.Open();
        await using var tx = await nodeA.BeginTransactionAsync();
        await Exec(nodeA, tx, $"UPDATE messages SET status='seen', delivered_at=1, seen_at=1, content=NULL WHERE id='{id}'");
        _outbox.Enqueue(nodeA, tx, Business, Event("evt_a_delivered", id));
        _outbox.Enqueue(nodeA, tx, Business, Event("evt_a_seen", id));

        // Node B's device says `delivered`: it reads `accepted`, and its UPDATE waits for node A's row lock.
        var ack = _messages.Acknowledge(Consumer, "dev_b", [id], MessageStatus.Delivered, DateTimeOffset.UtcNow);
        await WaitUntilBlocked();
        await tx.CommitAsync();
        await ack;

        Assert.Equal(MessageStatus.Seen, _messages.Get(Business, id)!.Status);
        Assert.Equal(["evt_a_delivered", "evt_a_seen"], _outbox.Head(Business, 100).Select(e => e.EventId));
    }

    [Fact]
    public async Task Expiry_that_waited_for_another_nodes_delivered_ack_leaves_the_message_delivered()
    {
        var id = await AcceptOne();
        await using var nodeA = _database.Open();
        await using var tx = await nodeA.BeginTransactionAsync();
        await Exec(nodeA, tx, $"UPDATE messages SET status='delivered', delivered_at=1, content=NULL WHERE id='{id}'");
        _outbox.Enqueue(nodeA, tx, Business, Event("evt_a_delivered", id));

        // The leader's sweep (its clock past the TTL) reads the message as still accepted.
        var expiry = _messages.ExpireDue(DateTimeOffset.UtcNow.AddDays(30));
        await WaitUntilBlocked();
        await tx.CommitAsync();
        await expiry;

        Assert.Equal(MessageStatus.Delivered, _messages.Get(Business, id)!.Status);
        Assert.Equal(["evt_a_delivered"], _outbox.Head(Business, 100).Select(e => e.EventId));
    }

    [Fact]
    public async Task A_held_back_statement_that_fails_fails_only_its_own_item_of_the_group_commit()
    {
        await _writer.Write((c, tx) => { _outbox.Enqueue(c, tx, Business, Event("evt_taken")); return 0; });
        // Park the writer on a row lock, so the next three items queue up and run as one group commit.
        await using var other = _database.Open();
        await using var hold = await other.BeginTransactionAsync();
        await Exec(other, hold, "UPDATE outbox SET attempts = attempts WHERE event_id = 'evt_taken'");
        var parked = _writer.Write((c, tx) => { Sql(c, tx, "UPDATE outbox SET attempts = attempts WHERE event_id = 'evt_taken'"); return 0; });
        await WaitUntilBlocked();
        var first = _writer.Write((c, tx) => { _outbox.Enqueue(c, tx, Business, Event("evt_first")); return 1; });
        var taken = _writer.Write((c, tx) => { _outbox.Enqueue(c, tx, Business, Event("evt_taken")); return 2; }); // unique event_id
        var last = _writer.Write((c, tx) => { _outbox.Enqueue(c, tx, Business, Event("evt_last")); return 3; });
        await hold.CommitAsync();
        await parked;

        Assert.Equal(1, await first);
        Assert.True(_database.IsUniqueViolation(await Assert.ThrowsAnyAsync<Exception>(() => taken)));
        Assert.Equal(3, await last);
        Assert.Equal(["evt_taken", "evt_first", "evt_last"], _outbox.Head(Business, 100).Select(e => e.EventId));
    }

    private static void Sql(DbConnection c, DbTransaction tx, string sql)
    {
        using var command = c.CreateCommand();
        command.Transaction = tx;
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private async Task<string> AcceptOne()
    {
        await _writer.Write((c, tx) =>
        {
            using var insert = c.CreateCommand();
            insert.Transaction = tx;
            insert.CommandText = $"INSERT INTO consumers (id, phone, created_at) VALUES ('{Consumer}', '+447700900777', 0)";
            return insert.ExecuteNonQuery();
        });
        var now = DateTimeOffset.UtcNow;
        var message = new NewMessage("msg_race", Business, "+447700900777", MessageCategory.Transactional, new MessageContent { Text = "hi" }, null, now, now.AddDays(1));
        Assert.Equal(Consumer, (await _messages.Accept([message])).Single());
        return message.Id;
    }

    /// <summary>Waits until some session waits for a row lock: the other node's statement has read and is blocked.</summary>
    private async Task WaitUntilBlocked()
    {
        await using var probe = _database.Open();
        await Wait.Until(async () =>
        {
            await using var query = probe.CreateCommand();
            query.CommandText = "SELECT COUNT(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'";
            return (long)(await query.ExecuteScalarAsync())! > 0;
        }, TimeSpan.FromSeconds(10), "a statement waiting for the row lock");
    }

    private static async Task Exec(DbConnection c, DbTransaction tx, string sql)
    {
        await using var command = c.CreateCommand();
        command.Transaction = tx;
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    private static long[] Seqs(List<PendingEvent> batch) => [.. batch.Select(e => e.Seq)];

    private static CallbackEvent Event(string id, string? messageId = null) =>
        new() { EventId = id, Type = "delivered", MessageId = messageId ?? "msg_" + id, Timestamp = DateTimeOffset.UtcNow };

    public async Task DisposeAsync()
    {
        await _writer.DisposeAsync();
        _database.Dispose();
        await _store.DisposeAsync();
    }
}
