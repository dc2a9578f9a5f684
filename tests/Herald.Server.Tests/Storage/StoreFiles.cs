using System.Data.Common;
using Herald.Server.Tests.Infrastructure;
using Herald.Storage;
using Herald.Storage.Postgres;
using Herald.Storage.Sqlite;

namespace Herald.Server.Tests.Storage;

/// <summary>The database of a <see cref="TestStore"/> opened directly, as the server opens it, to set up or read its schema.</summary>
public static class StoreFiles
{
    public static Database Open(TestStore store, string dataDirectory)
    {
        if (store.Settings.TryGetValue("Herald:Storage:ConnectionString", out var connectionString))
            return new PostgresDatabase(connectionString);
        Directory.CreateDirectory(dataDirectory);
        return new SqliteDatabase(Path.Combine(dataDirectory, "herald.db"));
    }

    public static string Folder(Database database) => database is PostgresDatabase ? Migrations.Postgres : Migrations.Sqlite;

    public static void Execute(Database database, string sql)
    {
        using var connection = database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    public static List<T> Query<T>(Database database, string sql, Func<DbDataReader, T> map)
    {
        using var connection = database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var rows = new List<T>();
        while (reader.Read())
            rows.Add(map(reader));
        return rows;
    }

    /// <summary>Releases the database's connections so its file can be copied or deleted.</summary>
    public static void Close(Database database)
    {
        (database as IDisposable)?.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
    }
}
