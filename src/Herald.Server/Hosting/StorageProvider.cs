using Herald.Storage;
using Herald.Storage.Postgres;
using Herald.Storage.Sqlite;

namespace Herald.Server.Hosting;

/// <summary>Picks the database from <c>Herald:Storage</c>: embedded SQLite in the data directory (default) or PostgreSQL.</summary>
public static class StorageProvider
{
    public static Database Create(HeraldOptions options)
    {
        switch (options.Storage.Provider.ToLowerInvariant())
        {
            case "sqlite":
                Directory.CreateDirectory(options.DataDirectory);
                return new SqliteDatabase(Path.Combine(options.DataDirectory, "herald.db")) { Patience = Patience(options) };
            case "postgres" or "postgresql":
                if (string.IsNullOrWhiteSpace(options.Storage.ConnectionString))
                    throw new InvalidOperationException(
                        "Herald:Storage:Provider is postgres but Herald:Storage:ConnectionString is empty (set Herald__Storage__ConnectionString).");
                return new PostgresDatabase(options.Storage.ConnectionString, Patience(options));
            default:
                throw new InvalidOperationException($"Unknown Herald:Storage:Provider '{options.Storage.Provider}': use sqlite or postgres.");
        }
    }

    private static TimeSpan Patience(HeraldOptions options) =>
        options.Storage.TimeoutSeconds > 0
            ? TimeSpan.FromSeconds(options.Storage.TimeoutSeconds)
            : throw new InvalidOperationException("Herald:Storage:TimeoutSeconds must be more than 0.");
}
