using Herald.Storage;
using Herald.Storage.Sqlite;

namespace Herald.Server.Tests.Storage;

/// <summary>
/// The writer's after-commit actions: what a work item asks for runs once its batch is committed (before the caller
/// hears of it), and never for work that was rolled back.
/// </summary>
public sealed class WriterAfterCommitTests : IAsyncLifetime
{
    private readonly string _data = Path.Combine(Path.GetTempPath(), "herald-aftercommit-" + Guid.NewGuid().ToString("N"));
    private Writer _writer = null!;

    public Task InitializeAsync()
    {
        Directory.CreateDirectory(_data);
        var database = new SqliteDatabase(Path.Combine(_data, "herald.db"));
        database.Migrate();
        _writer = new Writer(database);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task An_action_runs_after_the_commit_before_the_caller_resumes_and_not_for_work_that_failed()
    {
        var ran = 0;
        void Wake() => Interlocked.Increment(ref ran);

        await _writer.Write((c, tx) =>
        {
            _writer.AfterCommit(Wake);
            _writer.AfterCommit(Wake); // asked twice in one batch: runs once
            Assert.Equal(0, ran); // not yet: nothing is committed
            return 0;
        });
        Assert.Equal(1, ran);

        await Assert.ThrowsAnyAsync<Exception>(() => _writer.Write<int>((c, tx) =>
        {
            _writer.AfterCommit(Wake);
            throw new InvalidOperationException("rolled back");
        }));
        await _writer.Write((c, tx) => 0); // a later batch does not run what the failed one asked for either
        Assert.Equal(1, ran);
    }

    public async Task DisposeAsync()
    {
        await _writer.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_data, recursive: true);
    }
}
