using Microsoft.Data.Sqlite;
using Npgsql;

namespace Herald.Server.Tests.Infrastructure;

/// <summary>
/// Makes the server's database refuse every move of a message to <c>seen</c>, as a full disk or a lost database
/// would, with a trigger beside the server's own connections: the server's code runs unchanged. Disposing drops it.
/// </summary>
public sealed class SeenRefusal : IAsyncDisposable
{
    private const string Name = "herald_test_refuse_seen";
    private readonly HeraldHost _host;

    private SeenRefusal(HeraldHost host) => _host = host;

    public static async Task<SeenRefusal> Start(HeraldHost host)
    {
        await Run(host, host.PostgresConnectionString is null
            ? [$"CREATE TRIGGER {Name} BEFORE UPDATE OF status ON messages WHEN NEW.status = 'seen' BEGIN SELECT RAISE(ABORT, 'test: seen refused'); END"]
            : [$"CREATE FUNCTION {Name}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'test: seen refused'; END $$",
               $"CREATE TRIGGER {Name} BEFORE UPDATE ON messages FOR EACH ROW WHEN (NEW.status = 'seen') EXECUTE FUNCTION {Name}()"]);
        return new SeenRefusal(host);
    }

    public async ValueTask DisposeAsync() =>
        await Run(_host, _host.PostgresConnectionString is null
            ? [$"DROP TRIGGER {Name}"]
            : [$"DROP TRIGGER {Name} ON messages", $"DROP FUNCTION {Name}()"]);

    private static async Task Run(HeraldHost host, string[] statements)
    {
        if (host.PostgresConnectionString is { } postgres)
        {
            await using var connection = new NpgsqlConnection(postgres);
            await connection.OpenAsync();
            foreach (var sql in statements)
            {
                await using var command = new NpgsqlCommand(sql, connection);
                await command.ExecuteNonQueryAsync();
            }
            return;
        }
        await using (var connection = new SqliteConnection($"Data Source={Path.Combine(host.DataDirectory, "herald.db")};Pooling=False"))
        {
            await connection.OpenAsync();
            foreach (var sql in statements)
            {
                await using var command = connection.CreateCommand();
                command.CommandText = sql;
                await command.ExecuteNonQueryAsync();
            }
        }
    }
}
