using Herald.Server.Tests.Infrastructure;
using Herald.Storage;

namespace Herald.Server.Tests.Storage;

/// <summary>
/// Migrations on the suite's store (SQLite, or PostgreSQL with HERALD_TEST_STORE=postgres): each applied one is
/// recorded with the SHA-256 of its script; a database newer than the program, or one whose applied script has
/// changed, is refused at start with a clear error and exit code 1, and nothing in it is touched.
/// </summary>
public sealed class MigrationTests : IAsyncLifetime
{
    private readonly string _data = Path.Combine(Path.GetTempPath(), "herald-migrations-" + Guid.NewGuid().ToString("N"));
    private TestStore _store = null!;
    private Database _database = null!;

    public async Task InitializeAsync()
    {
        _store = await TestStore.Create();
        _database = StoreFiles.Open(_store, _data);
    }

    private IReadOnlyList<Migration> Known => Migrations.Known(StoreFiles.Folder(_database));

    [Fact]
    public void A_new_database_records_every_migration_with_the_checksum_of_its_script()
    {
        var report = _database.Migrate();

        Assert.Equal(Known.Select(m => m.Name), report.Applied);
        var recorded = StoreFiles.Query(_database, "SELECT name, checksum FROM schema_migrations", r => (r.GetString(0), r.GetString(1)));
        Assert.Equal(Known.Select(m => (m.Name, m.Checksum)).Order(), recorded.Order());
        Assert.All(recorded, r => Assert.Matches("^[0-9a-f]{64}$", r.Item2));

        var again = _database.Migrate();
        Assert.Empty(again.Applied);
        Assert.Equal(Known.Count, again.AlreadyApplied.Count);
    }

    /// <summary>A database migrated by the Herald before checksums: its rows get them when the column arrives, and are checked from then on.</summary>
    [Fact]
    public void Migrations_applied_before_checksums_were_kept_are_back_filled_and_then_enforced()
    {
        var before = Known.TakeWhile(m => !m.Name.EndsWith("_migration_checksums.sql", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(before);
        StoreFiles.Execute(_database, "CREATE TABLE schema_migrations (name TEXT PRIMARY KEY, applied_at BIGINT NOT NULL)");
        foreach (var migration in before)
            StoreFiles.Execute(_database, migration.Script + $"\nINSERT INTO schema_migrations (name, applied_at) VALUES ('{migration.Name}', 0);");

        var report = _database.Migrate();

        Assert.Equal(before.Select(m => m.Name), report.AlreadyApplied);
        Assert.Equal(before.Select(m => m.Name), report.Backfilled);
        Assert.Equal(Known.Skip(before.Count).Select(m => m.Name), report.Applied);
        var recorded = StoreFiles.Query(_database, "SELECT name, checksum FROM schema_migrations", r => (r.GetString(0), r.GetString(1)));
        Assert.Equal(Known.Select(m => (m.Name, m.Checksum)).Order(), recorded.Order());

        StoreFiles.Execute(_database, $"UPDATE schema_migrations SET checksum = '{new string('0', 64)}' WHERE name = '{before[0].Name}'");
        var refused = Assert.Throws<MigrationChecksumMismatchException>(() => _database.Migrate());
        Assert.Equal([before[0].Name], refused.Changed);
    }

    /// <summary>
    /// Secrets issued before Standard Webhooks were whsec_ + unpadded base64url of 32 bytes; the migration re-spells
    /// them in standard base64 with the same key bytes, so the business keeps its key and verifier libraries read it.
    /// </summary>
    [Fact]
    public void The_standard_webhooks_migration_keeps_each_secret_key_and_spells_it_in_standard_base64()
    {
        var before = MigrateToJustBefore("_standard_webhooks.sql");
        // Bytes whose base64 has + and / (so base64url has - and _): the re-spelling is exercised, not only the padding.
        var key = Enumerable.Range(0, 32).Select(i => (byte)(i % 3 == 0 ? 0xfb : i % 3 == 1 ? 0xff : 0xbf)).ToArray();
        var old = "whsec_" + Convert.ToBase64String(key).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        Assert.Contains('-', old);
        StoreFiles.Execute(_database, $"""
            INSERT INTO businesses (id, name, allowed_ips, created_at, updated_at, callback_url, webhook_secret) VALUES
              ('old', 'Old', '[]', 0, 0, 'https://old.example/hook', '{old}'),
              ('none', 'None', '[]', 0, 0, NULL, NULL)
            """);

        var report = _database.Migrate();

        Assert.Equal(Known.Skip(before.Count).Select(m => m.Name), report.Applied);
        var secrets = StoreFiles.Query(_database, "SELECT id, webhook_secret FROM businesses ORDER BY id", r => (r.GetString(0), r.IsDBNull(1) ? null : r.GetString(1)));
        Assert.Equal([("none", null), ("old", "whsec_" + Convert.ToBase64String(key))], secrets);
        Assert.True(Herald.Core.Callbacks.WebhookSignature.TryKey(secrets[1].Item2, out var read));
        Assert.Equal(key, read);
    }

    /// <summary>
    /// Read sync used to index every seen message; the migration keeps the reads a consumer's other device may still
    /// have to learn of (seen while they had several devices) and drops the rest from the index.
    /// </summary>
    [Fact]
    public void The_read_sync_migration_keeps_the_reads_of_consumers_with_several_devices()
    {
        var before = MigrateToJustBefore("_read_sync.sql");
        // Two consumers: "two" has a phone and a laptop (and a revoked tablet), "one" a single phone plus a revoked one.
        StoreFiles.Execute(_database, """
            INSERT INTO businesses (id, name, allowed_ips, created_at, updated_at) VALUES ('b', 'B', '[]', 0, 0);
            INSERT INTO consumers (id, phone, created_at) VALUES ('two', '+100', 0), ('one', '+200', 0);
            INSERT INTO devices (id, consumer_id, token_hash, created_at, revoked_at) VALUES
              ('d1', 'two', '\x01', 0, NULL), ('d2', 'two', '\x02', 0, NULL), ('d3', 'two', '\x03', 0, 5),
              ('d4', 'one', '\x04', 0, NULL), ('d5', 'one', '\x05', 0, 5);
            INSERT INTO messages (id, business_id, to_phone, consumer_id, category, status, accepted_at, expires_at, seen_at) VALUES
              ('m-two-seen', 'b', '+100', 'two', 'transactional', 'seen', 1, 99, 7),
              ('m-two-delivered', 'b', '+100', 'two', 'transactional', 'delivered', 1, 99, NULL),
              ('m-one-seen', 'b', '+200', 'one', 'transactional', 'seen', 1, 99, 7);
            """);

        var report = _database.Migrate();

        Assert.Equal(Known.Skip(before.Count).Select(m => m.Name), report.Applied);
        var marked = StoreFiles.Query(_database, "SELECT id FROM messages WHERE read_sync = 1 ORDER BY id", r => r.GetString(0));
        Assert.Equal(["m-two-seen"], marked);
    }

    /// <summary>A database as the Herald before the migration ending in <paramref name="suffix"/> left it; returns the migrations applied.</summary>
    private List<Migration> MigrateToJustBefore(string suffix)
    {
        var before = Known.TakeWhile(m => !m.Name.EndsWith(suffix, StringComparison.Ordinal)).ToList();
        Assert.NotEqual(Known.Count, before.Count);
        StoreFiles.Execute(_database, "CREATE TABLE schema_migrations (name TEXT PRIMARY KEY, applied_at BIGINT NOT NULL)");
        foreach (var migration in before)
            StoreFiles.Execute(_database, migration.Script + $"\nINSERT INTO schema_migrations (name, applied_at) VALUES ('{migration.Name}', 0);");
        foreach (var migration in before)
            StoreFiles.Execute(_database, $"UPDATE schema_migrations SET checksum = '{migration.Checksum}' WHERE name = '{migration.Name}'");
        return before;
    }

    [Fact]
    public async Task Serve_refuses_a_database_newer_than_the_program_and_changes_nothing()
    {
        _database.Migrate();
        StoreFiles.Execute(_database, $"INSERT INTO schema_migrations (name, applied_at, checksum) VALUES ('9999_from_a_newer_herald.sql', 0, '{new string('a', 64)}')");
        var tablesBefore = Tables();

        var serve = await Serve();

        Assert.True(serve.ExitCode == 1, serve.ToString());
        Assert.Contains("9999_from_a_newer_herald.sql", serve.Stderr, StringComparison.Ordinal);
        Assert.Contains("newer Herald", serve.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", serve.Stdout + serve.Stderr, StringComparison.Ordinal); // a message, not a stack trace
        Assert.Equal(tablesBefore, Tables());
        Assert.IsType<DatabaseNewerThanProgramException>(Record.Exception(() => _database.Migrate()));
    }

    [Fact]
    public async Task Serve_refuses_a_database_whose_applied_migration_script_has_changed()
    {
        _database.Migrate();
        var first = Known[0];
        StoreFiles.Execute(_database, $"UPDATE schema_migrations SET checksum = '{Migrations.Checksum(first.Script + "-- edited after it ran\n")}' WHERE name = '{first.Name}'");

        var serve = await Serve();

        Assert.True(serve.ExitCode == 1, serve.ToString());
        Assert.Contains(first.Name, serve.Stderr, StringComparison.Ordinal);
        Assert.Contains("different script", serve.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", serve.Stdout + serve.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void A_checksum_ignores_how_a_checkout_ends_its_lines()
    {
        Assert.Equal(Migrations.Checksum("CREATE TABLE a (x TEXT);\nCREATE TABLE b (y TEXT);\n"),
            Migrations.Checksum("\uFEFFCREATE TABLE a (x TEXT);\r\nCREATE TABLE b (y TEXT);\r\n"));
        Assert.NotEqual(Migrations.Checksum("CREATE TABLE a (x TEXT);"), Migrations.Checksum("CREATE TABLE a (x BLOB);"));
    }

    private List<string> Tables() => StoreFiles.Query(_database, _database is Herald.Storage.Sqlite.SqliteDatabase
        ? "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
        : "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() ORDER BY table_name", r => r.GetString(0));

    private Task<CliResult> Serve()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools(); // the program opens the file itself
        return HeraldCli.Run(_store.Environment, "serve", "--urls", "http://127.0.0.1:0", "--data", _data);
    }

    public async Task DisposeAsync()
    {
        StoreFiles.Close(_database);
        await _store.DisposeAsync();
        try { Directory.Delete(_data, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
