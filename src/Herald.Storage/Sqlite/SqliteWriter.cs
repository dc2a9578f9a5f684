using System.Threading.Channels;
using Microsoft.Data.Sqlite;

namespace Herald.Storage.Sqlite;

/// <summary>
/// The one writer. Work items queue up; the loop takes everything waiting (up to <see cref="MaxBatch"/>) and runs it
/// in one transaction, each item inside its own savepoint so one failure rolls back only itself. Callers' tasks
/// complete after COMMIT returns, so an awaited write is durable. One fsync per batch instead of per request is what
/// lets SQLite accept tens of thousands of messages a second (one row per fsync manages a few thousand).
/// </summary>
public sealed class SqliteWriter : IAsyncDisposable
{
    private const int MaxBatch = 2000;
    private readonly SqliteDatabase _database;
    private readonly Channel<IWork> _queue = Channel.CreateUnbounded<IWork>(new() { SingleReader = true });
    private readonly Task _loop;

    public SqliteWriter(SqliteDatabase database)
    {
        _database = database;
        _loop = Task.Factory.StartNew(Run, TaskCreationOptions.LongRunning);
    }

    public Task<T> Write<T>(Func<SqliteConnection, SqliteTransaction, T> work)
    {
        var item = new Work<T>(work);
        ObjectDisposedException.ThrowIf(!_queue.Writer.TryWrite(item), this);
        return item.Completion.Task;
    }

    /// <summary>
    /// Copies the WAL into the database file and truncates it, so bytes deleted from the database leave the WAL too.
    /// It runs on the writer's own connection between batches: a checkpoint from another connection would compete
    /// with this writer for the lock, and stall it for as long as the busy timeout.
    /// </summary>
    public Task Checkpoint()
    {
        var item = new Work<int>((c, _) =>
        {
            SqliteDatabase.Execute(c, "PRAGMA wal_checkpoint(TRUNCATE);");
            return 0;
        }) { OutsideTransaction = true };
        ObjectDisposedException.ThrowIf(!_queue.Writer.TryWrite(item), this);
        return item.Completion.Task;
    }

    private void Run()
    {
        using var connection = _database.Open();
        var batch = new List<IWork>(MaxBatch);
        var reader = _queue.Reader;
        while (reader.WaitToReadAsync().AsTask().GetAwaiter().GetResult())
        {
            batch.Clear();
            while (batch.Count < MaxBatch && reader.TryRead(out var work))
            {
                if (!work.OutsideTransaction)
                {
                    batch.Add(work);
                    continue;
                }
                RunBatch(connection, batch);
                batch.Clear();
                RunAlone(connection, work);
            }
            RunBatch(connection, batch);
        }
    }

    private static void RunAlone(SqliteConnection connection, IWork work)
    {
        try
        {
            work.Run(connection, null);
            work.Complete();
        }
        catch (Exception ex)
        {
            work.Fail(ex);
        }
    }

    private static void RunBatch(SqliteConnection connection, List<IWork> batch)
    {
        if (batch.Count == 0)
            return;
        var done = new List<IWork>(batch.Count);
        // Failures are reported after COMMIT too: a caller that reacts by reading (an idempotency key that lost a race
        // reads the winner's answer) must see what the rest of its batch wrote.
        var failed = new List<(IWork Work, Exception Error)>();
        try
        {
            using var tx = connection.BeginTransaction();
            foreach (var work in batch)
            {
                tx.Save("w");
                try
                {
                    work.Run(connection, tx);
                    tx.Release("w");
                    done.Add(work);
                }
                catch (Exception ex)
                {
                    tx.Rollback("w");
                    tx.Release("w");
                    failed.Add((work, ex));
                }
            }
            tx.Commit();
        }
        catch (Exception ex)
        {
            foreach (var work in done)
                work.Fail(ex);
            foreach (var (work, _) in failed)
                work.Fail(ex);
            return;
        }
        foreach (var work in done)
            work.Complete();
        foreach (var (work, error) in failed)
            work.Fail(error);
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _loop;
    }

    private interface IWork
    {
        bool OutsideTransaction { get; }
        void Run(SqliteConnection connection, SqliteTransaction? tx);
        void Complete();
        void Fail(Exception ex);
    }

    private sealed class Work<T>(Func<SqliteConnection, SqliteTransaction, T> work) : IWork
    {
        private T? _result;

        public TaskCompletionSource<T> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public bool OutsideTransaction { get; init; }

        public void Run(SqliteConnection connection, SqliteTransaction? tx) => _result = work(connection, tx!);
        public void Complete() => Completion.TrySetResult(_result!);
        public void Fail(Exception ex) => Completion.TrySetException(ex);
    }
}
