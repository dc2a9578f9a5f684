namespace Herald.Storage;

/// <summary>The health check's round trip, on a connection of its own.</summary>
public static class DatabaseProbe
{
    /// <summary>Opens a connection and reads a table (so SQLite touches the file, not only its library); throws when it cannot.</summary>
    public static void RoundTrip(Database database)
    {
        using var connection = database.Open();
        Sql.Scalar<long>(connection, null, "SELECT COUNT(*) FROM schema_migrations");
    }
}
