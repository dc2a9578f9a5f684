using Herald.Core.Callbacks;
using Herald.Core.Privacy;
using Herald.Server.Tests.Infrastructure;
using Herald.Storage;
using Herald.Storage.Postgres;

namespace Herald.Server.Tests;

/// <summary>
/// The outbox on PostgreSQL, where several nodes write it at once: a row's seq is taken when it is inserted, not when
/// it commits, so a smaller seq can become visible after larger ones were read and sent. Always on PostgreSQL (like
/// <see cref="ClusterTests"/>): SQLite has one writer, whose commits come in seq order.
/// </summary>
public sealed class OutboxConcurrencyTests : IAsyncLifetime
{
    private const string Business = "biz_outbox";
    private TestStore _store = null!;
    private PostgresDatabase _database = null!;
    private Writer _writer = null!;
    private OutboxStore _outbox = null!;

    public async Task InitializeAsync()
    {
        _store = await TestStore.CreatePostgres();
        _database = new PostgresDatabase(_store.Settings["Herald:Storage:ConnectionString"]);
        _database.Migrate();
        _writer = new Writer(_database);
        _outbox = new OutboxStore(_database, _writer, new ContentCipher(new byte[32]));
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
        Assert.Equal(["evt_early"], head.Select(e => e.Event.EventId));
        await late.CommitAsync(); // node 1 commits while the POST is in flight
        await _outbox.MarkSent(Business, Seqs(head), DateTimeOffset.UtcNow);

        // Node 1's event was never sent: it must still be pending, to go out in the next batch.
        Assert.Equal(["evt_late"], _outbox.Head(Business, 100).Select(e => e.Event.EventId));
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
        await _outbox.MarkFailed(Business, Seqs(head), 1, retryAt, "HTTP 500");
        var pending = _outbox.Head(Business, 100);
        Assert.Equal(["evt_late", "evt_a", "evt_b"], pending.Select(e => e.Event.EventId));
        Assert.Equal([0, 1, 1], pending.Select(e => e.Attempts));

        await _outbox.Abandon(Business, Seqs(head), DateTimeOffset.UtcNow, "HTTP 500");
        Assert.Equal(["evt_late"], _outbox.Head(Business, 100).Select(e => e.Event.EventId));
    }

    private static long[] Seqs(List<PendingEvent> batch) => [.. batch.Select(e => e.Seq)];

    private static CallbackEvent Event(string id) => new() { EventId = id, Type = "delivered", MessageId = "msg_" + id, Timestamp = DateTimeOffset.UtcNow };

    public async Task DisposeAsync()
    {
        await _writer.DisposeAsync();
        _database.Dispose();
        await _store.DisposeAsync();
    }
}
