using System.Threading.Channels;
using System.Data.Common;

namespace Herald.Storage;

/// <summary>
/// The one writer of this process. Work items queue up; the loop takes everything waiting (up to
/// <see cref="MaxBatch"/>) and runs it in one transaction; one failing item rolls back only itself. Callers' tasks
/// complete after COMMIT returns, so an awaited write is durable. One fsync per batch instead of per request is what
/// lets SQLite accept tens of thousands of messages a second (one row per fsync manages a few thousand). On
/// PostgreSQL, statements whose outcome the work does not read are held back and sent with the next one
/// (<see cref="Sql.Defer"/>), so a batch costs far fewer round trips than statements.
/// </summary>
public sealed class Writer : IAsyncDisposable
{
    private const int MaxBatch = 2000;
    private readonly Database _database;
    private readonly Channel<IWork> _queue = Channel.CreateUnbounded<IWork>(new() { SingleReader = true });
    private readonly Task _loop;
    private long _busySince; // Stopwatch timestamp the current turn started; 0 while waiting for work
    private long _queued;    // counted here: a single-reader channel cannot count its items

    public Writer(Database database)
    {
        _database = database;
        _loop = Task.Factory.StartNew(Run, TaskCreationOptions.LongRunning);
        WriterMetrics.Track(this);
    }

    /// <summary>Writes queued and not yet taken into a transaction.</summary>
    public long QueueDepth => Interlocked.Read(ref _queued);

    /// <summary>False once the loop has ended (disposed, or crashed).</summary>
    public bool Running => !_loop.IsCompleted;

    /// <summary>How long the current turn (open, run, commit) has been going; zero while the writer waits for work.</summary>
    public TimeSpan BusyFor => Volatile.Read(ref _busySince) is var since and not 0 ? System.Diagnostics.Stopwatch.GetElapsedTime(since) : TimeSpan.Zero;

    /// <summary>
    /// Runs <paramref name="work"/> in the next group commit; the task completes once it is committed. The work may
    /// run twice (when another item of its batch fails, the batch is retried item by item), so it must only
    /// touch the database and values it creates itself.
    /// </summary>
    public Task<T> Write<T>(Func<DbConnection, DbTransaction, T> work)
    {
        var item = new Work<T>(work);
        ObjectDisposedException.ThrowIf(!_queue.Writer.TryWrite(item), this);
        Interlocked.Increment(ref _queued);
        return item.Completion.Task;
    }

    /// <summary>
    /// Makes deleted bytes leave the disk (SQLite: checkpoints and truncates the WAL). It runs on the writer's own
    /// connection between batches: from another connection it would compete with this writer for the lock.
    /// </summary>
    public Task ReclaimDeleted()
    {
        var item = new Work<int>((c, _) =>
        {
            _database.ReclaimDeleted(c);
            return 0;
        }) { OutsideTransaction = true };
        ObjectDisposedException.ThrowIf(!_queue.Writer.TryWrite(item), this);
        Interlocked.Increment(ref _queued);
        return item.Completion.Task;
    }

    private void Run()
    {
        DbConnection? connection = null;
        var batch = new List<IWork>(MaxBatch);
        var reader = _queue.Reader;
        while (Idle() && reader.WaitToReadAsync().AsTask().GetAwaiter().GetResult())
        {
            Volatile.Write(ref _busySince, System.Diagnostics.Stopwatch.GetTimestamp());
            batch.Clear();
            // A database server that restarted leaves a broken connection: open a new one (failing this round's work
            // while it is down; callers see errors, nothing is reported as written that was not).
            if (connection?.State != System.Data.ConnectionState.Open)
            {
                connection?.Dispose();
                connection = null;
                try
                {
                    connection = _database.Open();
                    Sql.DeferOn(connection);
                }
                catch (Exception ex)
                {
                    while (TryTake(reader, out var work))
                        work.Fail(ex);
                    Thread.Sleep(100);
                    continue;
                }
            }
            while (batch.Count < MaxBatch && TryTake(reader, out var work))
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
        connection?.Dispose();
    }

    private bool TryTake(ChannelReader<IWork> reader, [System.Diagnostics.CodeAnalysis.MaybeNullWhen(false)] out IWork work)
    {
        if (!reader.TryRead(out work))
            return false;
        Interlocked.Decrement(ref _queued);
        return true;
    }

    // Called before each wait: a writer waiting for work is idle, not stuck (see BusyFor).
    private bool Idle()
    {
        Volatile.Write(ref _busySince, 0);
        return true;
    }

    private static void RunAlone(DbConnection connection, IWork work)
    {
        try
        {
            work.Run(connection, null);
            Sql.Flush(connection, null);
            work.Complete();
        }
        catch (Exception ex)
        {
            Sql.Discard(connection);
            work.Fail(ex);
        }
    }

    private static void RunBatch(DbConnection connection, List<IWork> batch)
    {
        if (batch.Count == 0)
            return;
        // Optimistic first: the whole batch in one transaction, no savepoints (each is a round trip on PostgreSQL,
        // where any error also aborts the whole transaction). Work items only touch the database, so when one fails
        // the batch is rolled back and run again with a savepoint around each item.
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        try
        {
            using var tx = connection.BeginTransaction();
            foreach (var work in batch)
                work.Run(connection, tx);
            Sql.Flush(connection, tx);
            tx.Commit();
            WriterMetrics.Committed(batch.Count, started);
        }
        catch (Exception) when (batch.Count > 1 && connection.State == System.Data.ConnectionState.Open)
        {
            Sql.Discard(connection);
            RunWithSavepoints(connection, batch);
            return;
        }
        catch (Exception ex)
        {
            Sql.Discard(connection);
            foreach (var work in batch)
                work.Fail(ex);
            return;
        }
        foreach (var work in batch)
            work.Complete();
    }

    private static void RunWithSavepoints(DbConnection connection, List<IWork> batch)
    {
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
                    Sql.Flush(connection, tx); // so a failure in what it held back is this item's
                    tx.Release("w");
                    done.Add(work);
                }
                catch (Exception ex)
                {
                    Sql.Discard(connection);
                    tx.Rollback("w");
                    tx.Release("w");
                    failed.Add((work, ex));
                }
            }
            tx.Commit();
        }
        catch (Exception ex)
        {
            Sql.Discard(connection);
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
        WriterMetrics.Untrack(this);
    }

    private interface IWork
    {
        bool OutsideTransaction { get; }
        void Run(DbConnection connection, DbTransaction? tx);
        void Complete();
        void Fail(Exception ex);
    }

    private sealed class Work<T>(Func<DbConnection, DbTransaction, T> work) : IWork
    {
        private T? _result;

        public TaskCompletionSource<T> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public bool OutsideTransaction { get; init; }

        public void Run(DbConnection connection, DbTransaction? tx) => _result = work(connection, tx!);
        public void Complete() => Completion.TrySetResult(_result!);
        public void Fail(Exception ex) => Completion.TrySetException(ex);
    }
}
