using System.Threading.Channels;
using System.Data.Common;
using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Herald.Storage.Postgres;

namespace Herald.Storage;

/// <summary>
/// The one writer of this process. Work items queue up; the loop takes everything waiting (up to
/// <see cref="MaxBatch"/>) and runs it in one transaction; one failing item rolls back only itself. Callers' tasks
/// complete after COMMIT returns, so an awaited write is durable. One fsync per batch instead of per request is what
/// lets SQLite accept tens of thousands of messages a second (one row per fsync manages a few thousand). On
/// PostgreSQL, statements whose outcome the work does not read are held back and sent with the next one
/// (<see cref="Sql.Defer"/>), so a batch costs far fewer round trips than statements.
/// A database that stops answering must not hold every caller: once the loop has been inside one database call for
/// a second and the database does not answer a <c>SELECT 1</c> on another connection either, within
/// <see cref="Database.Patience"/>, a watchdog fails what waits in the queue with
/// <see cref="StoreUnavailableException"/> (those items never run, so nothing of them is stored) and so does every
/// new write until the loop is out again. The callers of the batch already sent are answered too, with
/// <see cref="StoreUnavailableException.OutcomeUnknown"/>: the database may still commit it when it comes back.
/// </summary>
public sealed partial class Writer : IAsyncDisposable
{
    private const int MaxBatch = 2000;
    private static readonly TimeSpan s_watchEvery = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan s_checkAfter = TimeSpan.FromSeconds(1);
    private readonly Database _database;
    private readonly StoreHealth? _health;
    private readonly ILogger _log;
    // Two readers: the loop, and the watchdog while the loop is stuck in the database.
    private readonly Channel<IWork> _queue = Channel.CreateUnbounded<IWork>();
    private readonly Task _loop;
    private volatile bool _disposed;
    private long _busySince; // Stopwatch timestamp at which the loop entered the database call it is in; 0 between calls
    private IWork[]? _running; // what that call is doing, for the watchdog
    private long _answeredAt; // when the database last answered the watchdog's SELECT 1
    private int _pinging;
    private volatile bool _stalled;
    // What the work of the batch under way asked to run once it is committed (writer thread only).
    private readonly List<Action> _afterCommit = [];

    public Writer(Database database, StoreHealth? health = null, ILogger<Writer>? log = null)
    {
        _database = database;
        _health = health;
        _log = log ?? NullLogger<Writer>.Instance;
        _loop = Task.Factory.StartNew(Run, TaskCreationOptions.LongRunning);
        StartWatchdog();
        WriterMetrics.Track(this);
    }

    /// <summary>Work items waiting for the next batch.</summary>
    public int QueueDepth => _queue.Reader.Count;

    /// <summary>False once the loop has ended (disposed, or crashed): nothing can be stored until a restart.</summary>
    public bool Running => !_loop.IsCompleted;

    /// <summary>True while the loop is stuck in a database call and the database does not answer.</summary>
    public bool Stalled => _stalled;

    /// <summary>
    /// Runs <paramref name="work"/> in the next group commit; the task completes once it is committed. The work may
    /// run twice (when another item of its batch fails, the batch is retried item by item), so it must only
    /// touch the database and values it creates itself.
    /// </summary>
    public Task<T> Write<T>(Func<DbConnection, DbTransaction, T> work)
    {
        if (_stalled)
            return Task.FromException<T>(Unanswered());
        var item = new Work<T>(work);
        ObjectDisposedException.ThrowIf(!_queue.Writer.TryWrite(item), this);
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
        return item.Completion.Task;
    }

    /// <summary>
    /// Called by a work item while it runs: <paramref name="action"/> runs on the writer's thread once the batch is
    /// committed, before its callers' tasks complete, and not at all when the work is rolled back. Asked for by several
    /// items of one batch, it runs once. The effects that follow a write (waking the callback dispatcher, a hint to
    /// the other nodes) are registered where the write happens instead of being remembered by every caller; they
    /// must be quick and must not throw.
    /// </summary>
    public void AfterCommit(Action action)
    {
        if (!_afterCommit.Contains(action))
            _afterCommit.Add(action);
    }

    private void RunAfterCommit()
    {
        foreach (var action in _afterCommit)
        {
            try
            {
                action();
            }
            catch (Exception ex)
            {
                LogAfterCommitFailed(ex);
            }
        }
        _afterCommit.Clear();
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "An action after a commit failed")]
    private partial void LogAfterCommitFailed(Exception ex);

    private void Run()
    {
        DbConnection? connection = null;
        var batch = new List<IWork>(MaxBatch);
        var reader = _queue.Reader;
        var broken = false; // the last connection failed: say so when a new one works
        while (reader.WaitToReadAsync().AsTask().GetAwaiter().GetResult())
        {
            batch.Clear();
            // A database server that restarted leaves a broken connection: open a new one (failing this round's work
            // while it is down; callers see errors, nothing is reported as written that was not).
            if (connection?.State != System.Data.ConnectionState.Open)
            {
                broken |= connection is not null;
                connection?.Dispose();
                connection = null;
                try
                {
                    Busy();
                    connection = _database.OpenForWriter();
                    DeferredStatements.Allow(connection);
                    if (broken)
                        LogReconnected();
                    broken = false;
                }
                catch (Exception ex)
                {
                    broken = true;
                    Report(ex);
                    while (reader.TryRead(out var work))
                        work.Fail(ex);
                    Idle();
                    Thread.Sleep(100);
                    continue;
                }
                Idle();
            }
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
        connection?.Dispose();
    }

    /// <summary>A failure of the database itself goes to <see cref="StoreHealth"/> (logged once per incident); anything else is logged here.</summary>
    private void Report(Exception ex)
    {
        if ((_health?.Failed(ex) ?? _database.Classify(ex)) == StoreFault.None)
            LogFailed(ex);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "The writer's transaction failed as a whole")]
    private partial void LogFailed(Exception ex);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The writer reconnected to the database")]
    private partial void LogReconnected();

    [LoggerMessage(Level = LogLevel.Error, Message = "The writer has waited on the database for {Seconds:0.#} s and it does not answer: writes are refused (503) until it does")]
    private partial void LogStalled(double seconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The writer's stalled database call returned; writes are taken again")]
    private partial void LogUnstalled();

    private void RunAlone(DbConnection connection, IWork work)
    {
        Busy([work]);
        try
        {
            _afterCommit.Clear();
            work.Run(connection, null);
            DeferredStatements.Flush(connection, null);
            RunAfterCommit();
            work.Complete();
        }
        catch (Exception ex)
        {
            DeferredStatements.Discard(connection);
            _afterCommit.Clear();
            work.Fail(ex);
        }
        finally
        {
            Idle();
        }
    }

    private void RunBatch(DbConnection connection, List<IWork> batch)
    {
        if (batch.Count == 0)
            return;
        Busy([.. batch]);
        try
        {
            RunInTransaction(connection, batch);
        }
        finally
        {
            Idle();
        }
    }

    private void RunInTransaction(DbConnection connection, List<IWork> batch)
    {
        // Optimistic first: the whole batch in one transaction, no savepoints (each is a round trip on PostgreSQL,
        // where any error also aborts the whole transaction). Work items only touch the database, so when one fails
        // the batch is rolled back and run again with a savepoint around each item.
        var started = Stopwatch.GetTimestamp();
        _afterCommit.Clear();
        try
        {
            using var tx = connection.BeginTransaction();
            foreach (var work in batch)
                work.Run(connection, tx);
            DeferredStatements.Flush(connection, tx);
            tx.Commit();
            WriterMetrics.Committed(batch.Count, started);
        }
        catch (Exception) when (batch.Count > 1 && connection.State == System.Data.ConnectionState.Open)
        {
            DeferredStatements.Discard(connection);
            _afterCommit.Clear(); // the items run again, and ask again
            RunWithSavepoints(connection, batch);
            return;
        }
        catch (Exception ex)
        {
            DeferredStatements.Discard(connection);
            _afterCommit.Clear();
            // The transaction failed because the database did (an item's own error, a taken key, is its caller's).
            if (connection.State != System.Data.ConnectionState.Open || _database.Classify(ex) != StoreFault.None)
                Report(ex);
            foreach (var work in batch)
                work.Fail(ex);
            return;
        }
        _health?.Succeeded();
        RunAfterCommit();
        foreach (var work in batch)
            work.Complete();
    }

    private void RunWithSavepoints(DbConnection connection, List<IWork> batch)
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
                var asked = _afterCommit.Count;
                try
                {
                    work.Run(connection, tx);
                    DeferredStatements.Flush(connection, tx); // so a failure in what it held back is this item's
                    tx.Release("w");
                    done.Add(work);
                }
                catch (Exception ex)
                {
                    DeferredStatements.Discard(connection);
                    _afterCommit.RemoveRange(asked, _afterCommit.Count - asked); // what it asked for is rolled back too
                    tx.Rollback("w");
                    tx.Release("w");
                    failed.Add((work, ex));
                }
            }
            tx.Commit();
        }
        catch (Exception ex)
        {
            DeferredStatements.Discard(connection);
            _afterCommit.Clear();
            Report(ex);
            foreach (var work in done)
                work.Fail(ex);
            foreach (var (work, _) in failed)
                work.Fail(ex);
            return;
        }
        _health?.Succeeded();
        RunAfterCommit();
        foreach (var work in done)
            work.Complete();
        foreach (var (work, error) in failed)
            work.Fail(error);
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _loop;
        _disposed = true;
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
