using System.Data.Common;
using System.Reflection;
using System.Security.Cryptography;
using System.Text;

namespace Herald.Storage;

/// <summary>One schema script shipped in this program: its file name, text and SHA-256 (see <see cref="Migrations.Checksum"/>).</summary>
public sealed record Migration(string Name, string Script, string Checksum);

/// <summary>What <see cref="Database.Migrate"/> found and did, for the start-up log.</summary>
/// <param name="Applied">applied by this start, in order</param>
/// <param name="AlreadyApplied">found applied, their checksums matching this program's scripts</param>
/// <param name="Backfilled">applied before checksums were recorded; given this program's checksum now</param>
public sealed record MigrationReport(IReadOnlyList<string> Applied, IReadOnlyList<string> AlreadyApplied, IReadOnlyList<string> Backfilled);

/// <summary>
/// The schema scripts embedded under <c>Sqlite/Migrations</c> and <c>Postgres/Migrations</c>, and the rules for a
/// database that has them: each is applied once, in name order, in its own transaction, and recorded in
/// schema_migrations with its checksum. A database that lists a migration this program does not have (it was used by
/// a newer Herald) or one whose checksum differs from this program's script (the script was edited after it ran) is
/// refused: running on a schema other than the one the code was written for can lose data quietly.
/// </summary>
public static class Migrations
{
    /// <summary>Folder names as embedded resources, per engine.</summary>
    public const string Sqlite = "Sqlite.Migrations";
    public const string Postgres = "Postgres.Migrations";

    /// <summary>This program's scripts for one engine, in the order they apply.</summary>
    public static IReadOnlyList<Migration> Known(string folder)
    {
        var assembly = Assembly.GetExecutingAssembly();
        var prefix = $".{folder}.";
        return [.. assembly.GetManifestResourceNames()
            .Where(n => n.Contains(prefix, StringComparison.Ordinal) && n.EndsWith(".sql", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .Select(resource =>
            {
                using var stream = assembly.GetManifestResourceStream(resource)!;
                using var reader = new StreamReader(stream);
                var script = reader.ReadToEnd();
                return new Migration(resource[(resource.IndexOf(prefix, StringComparison.Ordinal) + prefix.Length)..], script, Checksum(script));
            })];
    }

    /// <summary>
    /// SHA-256 of the script's UTF-8 text, lower-case hex. Line ends are made \n first, so a checkout that turned
    /// them into \r\n (Git on Windows) does not look like an edited script.
    /// </summary>
    public static string Checksum(string script) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(script.TrimStart('\uFEFF').ReplaceLineEndings("\n"))));

    /// <summary>
    /// Throws unless every migration recorded in the database is one of <paramref name="known"/> with the same
    /// checksum (where one was recorded). Nothing is changed.
    /// </summary>
    /// <returns>name → recorded checksum (null where none was recorded yet)</returns>
    public static Dictionary<string, string?> Verify(DbConnection connection, IReadOnlyList<Migration> known, bool hasChecksums, string where)
    {
        var applied = Sql.Query(connection, null, hasChecksums ? "SELECT name, checksum FROM schema_migrations" : "SELECT name, NULL FROM schema_migrations",
            r => (Name: r.GetString(0), Checksum: Sql.Str(r, 1))).ToDictionary(r => r.Name, r => r.Checksum);
        var byName = known.ToDictionary(m => m.Name);
        var unknown = applied.Keys.Where(n => !byName.ContainsKey(n)).Order(StringComparer.Ordinal).ToList();
        if (unknown.Count > 0)
            throw new DatabaseNewerThanProgramException(where, unknown);
        var changed = applied.Where(a => a.Value is not null && a.Value != byName[a.Key].Checksum).Select(a => a.Key).Order(StringComparer.Ordinal).ToList();
        if (changed.Count > 0)
            throw new MigrationChecksumMismatchException(where, [.. changed.Select(n => (n, applied[n]!, byName[n].Checksum))]);
        return applied;
    }

    /// <summary>
    /// Verifies, then applies the scripts not applied yet. Rows recorded before the checksum column existed get this
    /// program's checksum in the transaction that adds the column (SQL cannot hash the script that once ran; from
    /// then on an edited script is caught).
    /// </summary>
    internal static MigrationReport Apply(DbConnection connection, string folder, Func<DbConnection, DbTransaction?, bool> hasChecksums, string where)
    {
        Database.Execute(connection, "CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT PRIMARY KEY, applied_at BIGINT NOT NULL);");
        var known = Known(folder);
        var recorded = Verify(connection, known, hasChecksums(connection, null), where);
        var unrecorded = recorded.Where(r => r.Value is null).Select(r => r.Key).ToHashSet();
        var applied = new List<string>();
        var backfilled = new List<string>();
        foreach (var migration in known.Where(m => !recorded.ContainsKey(m.Name)))
        {
            using var tx = connection.BeginTransaction();
            Database.Execute(connection, migration.Script, tx, timeoutSeconds: 0); // a migration takes as long as it takes
            Sql.Exec(connection, tx, "INSERT INTO schema_migrations (name, applied_at) VALUES (@n, @t)",
                ("@n", migration.Name), ("@t", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()));
            if (hasChecksums(connection, tx))
            {
                // This one, those found without a checksum, and those this start applied before the column existed.
                foreach (var m in known.Where(m => m.Name == migration.Name || unrecorded.Contains(m.Name) || applied.Contains(m.Name)))
                    Sql.Exec(connection, tx, "UPDATE schema_migrations SET checksum = @c WHERE name = @n AND checksum IS NULL", ("@c", m.Checksum), ("@n", m.Name));
                backfilled.AddRange(unrecorded.Order(StringComparer.Ordinal));
                unrecorded.Clear();
            }
            tx.Commit();
            applied.Add(migration.Name);
        }
        return new MigrationReport(applied, [.. recorded.Keys.Order(StringComparer.Ordinal)], backfilled);
    }
}

/// <summary>Why a database cannot be used by this program; <c>herald serve</c> prints the message and exits with 1.</summary>
public abstract class IncompatibleDatabaseException(string message) : InvalidOperationException(message);

/// <summary>The database lists migrations this program does not have: a newer Herald has used it.</summary>
public sealed class DatabaseNewerThanProgramException(string where, IReadOnlyList<string> unknown) : IncompatibleDatabaseException(
    $"The database ({where}) has migration{(unknown.Count == 1 ? "" : "s")} {string.Join(", ", unknown)} that this version of Herald " +
    "does not know: a newer Herald has used it. Run that version (or a newer one), or restore a backup taken before the upgrade. " +
    "Herald does not run on a schema newer than its code.")
{
    public IReadOnlyList<string> Unknown { get; } = unknown;
}

/// <summary>An applied migration's recorded checksum differs from this program's script of the same name.</summary>
public sealed class MigrationChecksumMismatchException(string where, IReadOnlyList<(string Name, string Recorded, string Program)> changed)
    : IncompatibleDatabaseException(
        $"The database ({where}) ran migration{(changed.Count == 1 ? "" : "s")} " +
        string.Join(", ", changed.Select(c => $"{c.Name} (recorded sha256 {c.Recorded[..Math.Min(12, c.Recorded.Length)]}…, this program's {c.Program[..12]}…)")) +
        " from a different script than this program ships: the schema may not be the one this code expects. Run the Herald " +
        "version that created the database, or restore a backup; an applied migration is never edited, a change goes in a new one.")
{
    public IReadOnlyList<string> Changed { get; } = [.. changed.Select(c => c.Name)];
}
