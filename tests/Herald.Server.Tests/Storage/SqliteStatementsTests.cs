using Herald.Storage;
using Microsoft.Data.Sqlite;

namespace Herald.Server.Tests.Storage;

/// <summary>
/// <see cref="Sql.Exec"/> on SQLite runs on SQLite's C API (<c>SqliteStatements</c>), not through Microsoft.Data.Sqlite's
/// command: what it stores, counts and throws must be what Microsoft.Data.Sqlite would have, value type by value type.
/// </summary>
public sealed class SqliteStatementsTests : IDisposable
{
    private readonly string _file = Path.Combine(Path.GetTempPath(), "herald-statements-" + Guid.NewGuid().ToString("N") + ".db");
    private readonly SqliteConnection _connection;

    public SqliteStatementsTests()
    {
        _connection = new SqliteConnection($"Data Source={_file};Pooling=false");
        _connection.Open();
        using var create = _connection.CreateCommand();
        create.CommandText = "CREATE TABLE raw (k TEXT PRIMARY KEY, v ANY); CREATE TABLE mds (k TEXT PRIMARY KEY, v ANY);";
        create.ExecuteNonQuery();
    }

    public static TheoryData<string, object?> Values => new()
    {
        { "text", "héllo ✓ 👋" }, { "empty text", "" }, { "null", null }, { "db null", DBNull.Value },
        { "long", long.MaxValue }, { "int", -7 }, { "true", true }, { "false", false }, { "double", 2.5 },
        { "blob", new byte[] { 0, 1, 255 } }, { "empty blob", Array.Empty<byte>() },
        { "other type (goes through Microsoft.Data.Sqlite)", 3.5m },
    };

    [Theory]
    [MemberData(nameof(Values))]
    public void A_value_is_stored_as_Microsoft_Data_Sqlite_stores_it(string kind, object? value)
    {
        Assert.Equal(1, Sql.Exec(_connection, null, "INSERT INTO raw (k, v) VALUES (@k, @v)", ("@k", kind), ("@v", value)));
        using (var command = _connection.CreateCommand())
        {
            command.CommandText = "INSERT INTO mds (k, v) VALUES (@k, @v)";
            command.Parameters.AddWithValue("@k", kind);
            command.Parameters.AddWithValue("@v", value ?? DBNull.Value);
            command.ExecuteNonQuery();
        }
        Assert.Equal(Stored("mds", kind), Stored("raw", kind));
    }

    [Fact]
    public void Rows_changed_a_parameter_used_twice_and_a_statement_that_changes_nothing_count_as_with_Microsoft_Data_Sqlite()
    {
        Sql.Exec(_connection, null, "INSERT INTO raw (k, v) VALUES ('a', 1), ('b', 1), ('c', 2)");
        Assert.Equal(2, Sql.Exec(_connection, null, "UPDATE raw SET v = @n + @n WHERE v = 1", ("@n", 5L)));
        Assert.Equal(0, Sql.Exec(_connection, null, "UPDATE raw SET v = 0 WHERE k = @k", ("@k", "none")));
        Assert.Equal(new object[] { 10L, 10L, 2L }, Column("SELECT v FROM raw ORDER BY k"));
        using var command = _connection.CreateCommand();
        command.CommandText = "SELECT 1";
        Assert.Equal(command.ExecuteNonQuery(), Sql.Exec(_connection, null, "SELECT 1"));
    }

    [Fact]
    public void A_constraint_violation_is_the_SqliteException_Microsoft_Data_Sqlite_throws_and_the_statement_is_usable_after()
    {
        Sql.Exec(_connection, null, "INSERT INTO raw (k, v) VALUES (@k, @v)", ("@k", "x"), ("@v", 1L));
        var error = Assert.Throws<SqliteException>(() => Sql.Exec(_connection, null, "INSERT INTO raw (k, v) VALUES (@k, @v)", ("@k", "x"), ("@v", 2L)));
        Assert.Equal(19, error.SqliteErrorCode); // SQLITE_CONSTRAINT
        Assert.Equal(1555, error.SqliteExtendedErrorCode); // SQLITE_CONSTRAINT_PRIMARYKEY
        Assert.Contains("UNIQUE constraint failed: raw.k", error.Message, StringComparison.Ordinal);
        Assert.True(new Herald.Storage.Sqlite.SqliteDatabase(_file).IsUniqueViolation(error));
        Assert.Equal(1, Sql.Exec(_connection, null, "INSERT INTO raw (k, v) VALUES (@k, @v)", ("@k", "y"), ("@v", 3L)));
    }

    [Fact]
    public void A_missing_parameter_and_several_statements_in_one_text_behave_as_with_Microsoft_Data_Sqlite()
    {
        var missing = Assert.Throws<InvalidOperationException>(() => Sql.Exec(_connection, null, "INSERT INTO raw (k, v) VALUES (@k, @v)", ("@k", "m")));
        Assert.Contains("@v", missing.Message, StringComparison.Ordinal);
        Assert.Empty(Column("SELECT k FROM raw"));
        Sql.Exec(_connection, null, "INSERT INTO raw (k, v) VALUES (@k, 1); INSERT INTO raw (k, v) VALUES (@k || '2', 2);", ("@k", "s"));
        Assert.Equal(new object[] { "s", "s2" }, Column("SELECT k FROM raw ORDER BY k"));
    }

    [Fact]
    public void Statements_are_released_when_the_connection_closes_and_prepared_again_when_it_reopens()
    {
        Sql.Exec(_connection, null, "INSERT INTO raw (k, v) VALUES (@k, 1)", ("@k", "before"));
        _connection.Close();
        _connection.Open();
        Sql.Exec(_connection, null, "INSERT INTO raw (k, v) VALUES (@k, 1)", ("@k", "after"));
        Assert.Equal(new object[] { "after", "before" }, Column("SELECT k FROM raw ORDER BY k"));
    }

    [Fact]
    public void A_row_reads_as_with_Microsoft_Data_Sqlite_column_by_column_and_getter_by_getter()
    {
        const string Select = "SELECT 42, 2.5, 'text', X'00FF', NULL, '', '17', 1, 0, 'héllo ✓ 👋', X''";
        using var command = _connection.CreateCommand();
        command.CommandText = Select;
        using var expected = command.ExecuteReader();
        Assert.True(expected.Read());
        var rows = Sql.Query(_connection, null, Select, actual =>
        {
            Assert.Equal(expected.FieldCount, actual.FieldCount);
            for (var i = 0; i < expected.FieldCount; i++)
            {
                Assert.Equal(expected.IsDBNull(i), actual.IsDBNull(i));
                Assert.Equal(expected.GetValue(i), actual.GetValue(i));
                Assert.Equal(Outcome(() => expected.GetString(i)), Outcome(() => actual.GetString(i)));
                Assert.Equal(Outcome(() => expected.GetInt64(i)), Outcome(() => actual.GetInt64(i)));
                Assert.Equal(Outcome(() => expected.GetInt32(i)), Outcome(() => actual.GetInt32(i)));
                Assert.Equal(Outcome(() => expected.GetBoolean(i)), Outcome(() => actual.GetBoolean(i)));
                Assert.Equal(Outcome(() => expected.GetDouble(i)), Outcome(() => actual.GetDouble(i)));
            }
            return 1;
        });
        Assert.Single(rows);
        Assert.Equal(3_000_000_000L, Sql.Query(_connection, null, "SELECT 3000000000", r => r.GetInt64(0)).Single());
        Assert.Throws<OverflowException>(() => Sql.Query(_connection, null, "SELECT 3000000000", r => r.GetInt32(0)));
    }

    [Fact]
    public void A_column_past_the_last_one_is_an_error_as_with_Microsoft_Data_Sqlite_not_a_null()
    {
        using var command = _connection.CreateCommand();
        command.CommandText = "SELECT 1";
        using var expected = command.ExecuteReader();
        Assert.True(expected.Read());
        Assert.Throws<ArgumentOutOfRangeException>(() => expected.GetValue(1));
        Assert.Throws<ArgumentOutOfRangeException>(() => Sql.Query(_connection, null, "SELECT 1", r => r.GetValue(1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => Sql.Query(_connection, null, "SELECT 1", r => r.IsDBNull(1)));
    }

    [Fact]
    public void A_statement_in_a_transaction_SQLite_already_ended_is_refused_as_Microsoft_Data_Sqlite_refuses_it_not_committed_alone()
    {
        var tx = _connection.BeginTransaction();
        Sql.Exec(_connection, tx, "INSERT INTO raw (k, v) VALUES (@k, 1)", ("@k", "in"));
        using (var end = _connection.CreateCommand())
        {
            end.Transaction = tx;
            end.CommandText = "ROLLBACK"; // as SQLite does by itself after SQLITE_FULL
            end.ExecuteNonQuery();
        }
        var refused = Assert.Throws<InvalidOperationException>(() => Sql.Exec(_connection, tx, "INSERT INTO raw (k, v) VALUES (@k, 1)", ("@k", "alone")));
        Assert.Contains("has completed", refused.Message, StringComparison.Ordinal);
        tx.Dispose();
        Assert.Empty(Column("SELECT k FROM raw"));
    }

    [Fact]
    public void Queries_and_scalars_bind_their_parameters_and_give_every_row()
    {
        for (var i = 0; i < 5; i++)
            Sql.Exec(_connection, null, "INSERT INTO raw (k, v) VALUES (@k, @v)", ("@k", $"k{i}"), ("@v", (long)i));
        Assert.Equal(["k1", "k2", "k3"], Sql.Query(_connection, null, "SELECT k FROM raw WHERE v BETWEEN @low AND @high ORDER BY v", r => r.GetString(0), ("@low", 1L), ("@high", 3L)));
        Assert.Equal(5L, Sql.Scalar<long>(_connection, null, "SELECT COUNT(*) FROM raw"));
        Assert.Null(Sql.Scalar<string>(_connection, null, "SELECT k FROM raw WHERE v = @v", ("@v", 99L)));
        Assert.Equal(2, Sql.Scalar<int>(_connection, null, "SELECT v FROM raw WHERE k = @k", ("@k", "k2")));
        Assert.Empty(Sql.Query(_connection, null, "SELECT k FROM raw WHERE k = @k", r => r.GetString(0), ("@k", "none")));
    }

    /// <summary>What a getter gave, or the type of what it threw.</summary>
    private static string Outcome<T>(Func<T> get)
    {
        try
        {
            return "value " + Convert.ToString(get(), System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (Exception ex)
        {
            return "threw " + ex.GetType().Name;
        }
    }

    private string Stored(string table, string key) =>
        (string)Column($"SELECT typeof(v) || ':' || quote(v) FROM {table} WHERE k = '{key.Replace("'", "''", StringComparison.Ordinal)}'").Single()!;

    private List<object?> Column(string sql)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var values = new List<object?>();
        while (reader.Read())
            values.Add(reader.GetValue(0));
        return values;
    }

    public void Dispose()
    {
        _connection.Dispose();
        File.Delete(_file);
    }
}
