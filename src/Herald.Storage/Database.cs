using System.Collections.Concurrent;
using System.Data.Common;

namespace Herald.Storage;

/// <summary>
/// Where Herald keeps its state: embedded SQLite (<see cref="Sqlite.SqliteDatabase"/>) or PostgreSQL
/// (<see cref="Postgres.PostgresDatabase"/>). The stores write portable SQL against this; the few places the two
/// dialects differ are properties here. Reads use connections from <see cref="Read"/>; every write goes through
/// <see cref="Writer"/>, the one writer per process that group-commits.
/// </summary>
public abstract class Database
{
    private const int MaxIdleReaders = 32;
    private readonly ConcurrentBag<DbConnection> _readers = [];

    /// <summary>The column that orders rows of <c>messages</c> by insertion (SQLite's rowid; PostgreSQL's seq).</summary>
    public abstract string MessageOrder { get; }

    /// <summary>
    /// Appended to a SELECT in the writer whose rows it will change: " FOR UPDATE" on PostgreSQL, where another node's
    /// writer may change them between the read and the write; nothing on SQLite, whose one writer never interleaves.
    /// </summary>
    public abstract string LockRows { get; }

    /// <summary>
    /// A subquery yielding the integers of a JSON array text parameter, for <c>x IN (…)</c>: one SQL text (and one
    /// prepared statement) for any number of ids. The dialects differ: SQLite's json_each, PostgreSQL's
    /// json_array_elements_text.
    /// </summary>
    public abstract string IntegersOf(string jsonParameter);

    /// <summary>Whether several Herald processes may share this database (and must elect who runs the sweeps).</summary>
    public abstract bool Shared { get; }

    /// <summary>Opens a new connection with Herald's settings.</summary>
    public abstract DbConnection Open();

    /// <summary>
    /// Opens the writer's connection. On PostgreSQL its statements may take longer than a read's
    /// (<see cref="Patience"/>): a batch whose statements were sent waits for its real outcome rather than guess one.
    /// </summary>
    public virtual DbConnection OpenForWriter() => Open();

    /// <summary>
    /// How long a caller waits on the database before taking it as unavailable: the writer stalled this long fails
    /// what waits for it (503), and on PostgreSQL a read or a new connection gives up after it.
    /// </summary>
    public TimeSpan Patience { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>Set by <see cref="StoreHealth"/> while an incident of <see cref="StoreFault.Unavailable"/> lasts.</summary>
    internal volatile bool Unreachable;

    /// <summary>True for a unique-constraint violation (a key already taken).</summary>
    public abstract bool IsUniqueViolation(Exception ex);

    /// <summary>What a failure says about the database: unreachable, full, or nothing Herald can name.</summary>
    public StoreFault Classify(Exception ex)
    {
        for (var e = ex; e is not null; e = e.InnerException)
        {
            if (e is StoreUnavailableException or TimeoutException)
                return StoreFault.Unavailable;
            if (e is IOException io && (io.HResult & 0xFFFF) == 28) // ENOSPC
                return StoreFault.Full;
            var fault = ClassifyEngine(e);
            if (fault != StoreFault.None)
                return fault;
        }
        return StoreFault.None;
    }

    /// <summary>The engine's own errors that say the database is unreachable or full.</summary>
    protected abstract StoreFault ClassifyEngine(Exception ex);

    /// <summary>
    /// Closes the idle read connections (and the engine's pooled ones): after the database restarted they are all
    /// broken, and each would fail one more request before being noticed.
    /// </summary>
    public virtual void DropIdleConnections()
    {
        while (_readers.TryTake(out var connection))
            connection.Dispose();
    }

    /// <summary>Makes deleted bytes leave the disk where the engine keeps them around; run by the writer, outside a transaction.</summary>
    internal virtual void ReclaimDeleted(DbConnection connection)
    {
    }

    /// <summary>
    /// For a shared database: tries to take the cluster-wide lead (the right to run expiry, retention and campaigns)
    /// as a lock of the session <paramref name="connection"/>, held while it lives; false when another node leads.
    /// </summary>
    public virtual bool TryLead(DbConnection connection) => throw new NotSupportedException("Only a shared database elects a leader.");

    /// <summary>
    /// For a shared database: takes up to <paramref name="wanted"/> of the callback buckets 0..<paramref name="count"/>-1
    /// that no node holds, besides the <paramref name="held"/> ones, as locks of the session <paramref name="connection"/>
    /// (freed when it ends: its node died). Returns the buckets taken.
    /// </summary>
    public virtual List<int> TryTakeBuckets(DbConnection connection, int count, IReadOnlyCollection<int> held, int wanted) =>
        throw new NotSupportedException("Only a shared database shares callback buckets.");

    /// <summary>Gives a bucket taken by <see cref="TryTakeBuckets"/> back, for another node to take.</summary>
    public virtual void ReleaseBucket(DbConnection connection, int bucket) =>
        throw new NotSupportedException("Only a shared database shares callback buckets.");

    /// <summary>Throws unless the connection still reaches the database.</summary>
    public static void Ping(DbConnection connection, TimeSpan? timeout = null) =>
        Execute(connection, "SELECT 1", timeoutSeconds: timeout is { } t ? Math.Max(1, (int)Math.Ceiling(t.TotalSeconds)) : null);

    /// <summary>
    /// Creates the schema, or brings it up to date. Throws <see cref="IncompatibleDatabaseException"/> when the
    /// database is newer than this program or an applied migration's script has changed.
    /// </summary>
    public abstract MigrationReport Migrate();

    /// <summary>
    /// A connection for reads, from Herald's own small pool: connections stay open with their prepared statements
    /// (see <see cref="Sql"/>), which a pool of fresh connection objects would throw away on every read.
    /// </summary>
    public ReadLease Read()
    {
        // While StoreHealth knows the database unreachable, a read would only hang until its timeout: fail it at once.
        if (Unreachable)
            throw new StoreUnavailableException("The database does not answer.") { WithoutTrying = true };
        while (_readers.TryTake(out var connection))
        {
            if (connection.State == System.Data.ConnectionState.Open)
                return new(this, connection);
            connection.Dispose();
        }
        return new(this, Open());
    }

    internal void Return(DbConnection connection)
    {
        // A connection that failed (the server restarted, a timeout broke it) is closed by the driver: never pool it,
        // or every later read that took it would fail.
        if (connection.State == System.Data.ConnectionState.Open && _readers.Count < MaxIdleReaders)
            _readers.Add(connection);
        else
            connection.Dispose();
    }

    internal static void Execute(DbConnection connection, string sql, DbTransaction? tx = null, int? timeoutSeconds = null)
    {
        using var command = connection.CreateCommand();
        command.Transaction = tx;
        command.CommandText = sql;
        if (timeoutSeconds is { } timeout)
            command.CommandTimeout = timeout;
        command.ExecuteNonQuery();
    }

    /// <summary>
    /// Applies this program's embedded scripts under <paramref name="folder"/> (<see cref="Migrations.Sqlite"/> or
    /// <see cref="Migrations.Postgres"/>) not yet listed in schema_migrations, after checking the database is not
    /// newer than the program and no applied script was changed (see <see cref="Migrations"/>).
    /// </summary>
    protected MigrationReport ApplyMigrations(DbConnection connection, string folder) =>
        Migrations.Apply(connection, folder, (c, tx) => Sql.Scalar<long>(c, tx, ColumnExists, ("@t", "schema_migrations"), ("@c", "checksum")) > 0, Describe());

    /// <summary>A query counting the columns named @c of table @t (0 or 1).</summary>
    protected abstract string ColumnExists { get; }

    /// <summary>Where the database is, for messages to the operator: a file path, or host and database (never a password).</summary>
    public abstract string Describe();
}

/// <summary>A read connection on loan; disposing it gives it back. Converts to the connection it lends.</summary>
public sealed class ReadLease(Database database, DbConnection connection) : IDisposable
{
    public DbConnection Connection { get; } = connection;

    public static implicit operator DbConnection(ReadLease lease) => lease.Connection;

    public void Dispose() => database.Return(Connection);
}
