using System.Collections;
using System.Data.Common;
using SQLitePCL;

namespace Herald.Storage.Sqlite;

/// <summary>
/// The current row of a statement <see cref="SqliteStatements"/> steps, for the stores' row mappers. It reads columns
/// as Microsoft.Data.Sqlite's reader does (integers as long, text as string, blobs as byte arrays, a getter on NULL
/// throws) and offers only what a mapper asks of a row; stepping belongs to <see cref="SqliteStatements"/>.
/// </summary>
internal sealed class StatementReader(sqlite3_stmt stmt) : DbDataReader
{
    private const int Integer = 1, Float = 2, Text = 3, Blob = 4, Null = 5;

    public override int FieldCount => raw.sqlite3_column_count(stmt);
    public override bool IsDBNull(int ordinal) => Type(ordinal) == Null;

    public override long GetInt64(int ordinal) => raw.sqlite3_column_int64(stmt, NotNull(ordinal));
    public override int GetInt32(int ordinal) => checked((int)GetInt64(ordinal));
    public override short GetInt16(int ordinal) => checked((short)GetInt64(ordinal));
    public override byte GetByte(int ordinal) => checked((byte)GetInt64(ordinal));
    public override bool GetBoolean(int ordinal) => GetInt64(ordinal) != 0;
    public override double GetDouble(int ordinal) => raw.sqlite3_column_double(stmt, NotNull(ordinal));
    public override float GetFloat(int ordinal) => (float)GetDouble(ordinal);
    public override string GetString(int ordinal) => raw.sqlite3_column_text(stmt, NotNull(ordinal)).utf8_to_string();

    public override object GetValue(int ordinal) => Type(ordinal) switch
    {
        Integer => raw.sqlite3_column_int64(stmt, ordinal),
        Float => raw.sqlite3_column_double(stmt, ordinal),
        Text => raw.sqlite3_column_text(stmt, ordinal).utf8_to_string(),
        Blob => raw.sqlite3_column_blob(stmt, ordinal).ToArray(),
        _ => DBNull.Value,
    };

    public override int GetValues(object[] values)
    {
        var count = Math.Min(values.Length, FieldCount);
        for (var i = 0; i < count; i++)
            values[i] = GetValue(i);
        return count;
    }

    public override object this[int ordinal] => GetValue(ordinal);
    public override object this[string name] => GetValue(GetOrdinal(name));
    public override string GetName(int ordinal) => raw.sqlite3_column_name(stmt, ordinal).utf8_to_string();

    public override int GetOrdinal(string name)
    {
        for (var i = 0; i < FieldCount; i++)
        {
            if (string.Equals(GetName(i), name, StringComparison.OrdinalIgnoreCase))
                return i;
        }
        throw new ArgumentOutOfRangeException(nameof(name), name, "No such column.");
    }

    public override string GetDataTypeName(int ordinal) => raw.sqlite3_column_decltype(stmt, ordinal).utf8_to_string() ?? "";

    // The stepping is SqliteStatements'; a mapper only reads the row it is given.
    public override bool Read() => throw new NotSupportedException("Rows are stepped by SqliteStatements.");
    public override bool NextResult() => false;
    public override int Depth => 0;
    public override bool HasRows => true;
    public override bool IsClosed => false;
    public override int RecordsAffected => -1;
    public override IEnumerator GetEnumerator() => throw new NotSupportedException();
    public override Type GetFieldType(int ordinal) => throw new NotSupportedException();
    public override char GetChar(int ordinal) => throw new NotSupportedException();
    public override long GetBytes(int ordinal, long dataOffset, byte[]? buffer, int bufferOffset, int length) => throw new NotSupportedException();
    public override long GetChars(int ordinal, long dataOffset, char[]? buffer, int bufferOffset, int length) => throw new NotSupportedException();
    public override DateTime GetDateTime(int ordinal) => throw new NotSupportedException("Herald stores times as Unix milliseconds (Sql.Time).");
    public override decimal GetDecimal(int ordinal) => throw new NotSupportedException();
    public override Guid GetGuid(int ordinal) => throw new NotSupportedException();

    /// <summary>The column's type; SQLite says NULL for a column that is not there, Microsoft.Data.Sqlite throws.</summary>
    private int Type(int ordinal) => (uint)ordinal < (uint)FieldCount
        ? raw.sqlite3_column_type(stmt, ordinal)
        : throw new ArgumentOutOfRangeException(nameof(ordinal), ordinal, $"The row has {FieldCount} columns.");

    private int NotNull(int ordinal) => IsDBNull(ordinal)
        ? throw new InvalidOperationException($"The data is NULL at ordinal {ordinal}. This method can't be called on NULL values. Check using IsDBNull before calling.")
        : ordinal;
}
