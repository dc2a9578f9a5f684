namespace Herald.Storage;

/// <summary>Country policies by calling code.</summary>
public sealed class PolicyStore(Database database, Writer writer)
{
    public Task Set(CountryPolicy policy, AuditEntry audit) => writer.Write((c, tx) =>
    {
        Sql.Exec(c, tx, """
            INSERT INTO country_policies (calling_code, transactional_requires_template, updated_at) VALUES (@code,@req,@t)
            ON CONFLICT(calling_code) DO UPDATE SET transactional_requires_template=@req, updated_at=@t
            """, ("@code", policy.CallingCode), ("@req", policy.TransactionalRequiresTemplate), ("@t", Sql.Ms(policy.UpdatedAt)));
        AuditLog.Append(c, tx, audit);
        return 1;
    });

    public List<CountryPolicy> List()
    {
        using var c = database.Read();
        return Sql.Query(c, null, "SELECT calling_code, transactional_requires_template, updated_at FROM country_policies ORDER BY calling_code",
            r => new CountryPolicy(r.GetString(0), r.GetBoolean(1), Sql.Time(r.GetInt64(2))));
    }
}

public sealed record CountryPolicy(string CallingCode, bool TransactionalRequiresTemplate, DateTimeOffset UpdatedAt);
