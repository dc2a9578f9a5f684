namespace Herald.Storage;

/// <summary>
/// People who sign in to the Console, and their single-use invitation and reset links (kept as hashes). Every change
/// is audited in its own transaction.
/// </summary>
public sealed class AccountStore(Database database, Writer writer)
{
    private const string Columns = "id, email, business_id, role, password_hash, totp_secret, totp_last_step, stamp, created_at";

    /// <summary>An active account (not removed) by e-mail, which is compared lower-cased.</summary>
    public Account? FindByEmail(string email) => One("email=@v", email.Trim().ToLowerInvariant());

    /// <summary>An active account (not removed).</summary>
    public Account? Get(string id) => One("id=@v", id);

    /// <summary>The operator team (no business) or one business's members; oldest first.</summary>
    public List<Account> List(string? businessId)
    {
        using var c = database.Read();
        var (scope, args) = Scope(businessId);
        return Sql.Query(c, null, $"SELECT {Columns} FROM accounts WHERE removed_at IS NULL AND {scope} ORDER BY created_at, id", Read, args);
    }

    /// <summary>The team's condition: PostgreSQL is given no parameter the statement does not use.</summary>
    private static (string Sql, (string, object?)[] Args) Scope(string? businessId, params (string, object?)[] more) =>
        businessId is null ? ("business_id IS NULL", more) : ("business_id=@b", [.. more, ("@b", businessId)]);

    private Account? One(string where, string value)
    {
        using var c = database.Read();
        return Sql.Query(c, null, $"SELECT {Columns} FROM accounts WHERE removed_at IS NULL AND {where}", Read, ("@v", value)).FirstOrDefault();
    }

    private static Account Read(System.Data.Common.DbDataReader r) =>
        new(r.GetString(0), r.GetString(1), Sql.Str(r, 2), r.GetString(3), Sql.Str(r, 4), Sql.Bytes(r, 5), r.GetInt64(6), r.GetString(7), Sql.Time(r.GetInt64(8)));

    /// <summary>Creates a not-yet-usable account with its invitation link; false when the e-mail has an active account.</summary>
    public Task<bool> Invite(Account account, AccountLink link, AuditEntry audit) => writer.Write((c, tx) =>
    {
        if (Sql.Scalar<long>(c, tx, "SELECT COUNT(*) FROM accounts WHERE email=@e AND removed_at IS NULL", ("@e", account.Email)) > 0)
            return false;
        Sql.Exec(c, tx, "DELETE FROM accounts WHERE email=@e AND removed_at IS NOT NULL", ("@e", account.Email));
        Sql.Exec(c, tx, """
            INSERT INTO accounts (id, email, business_id, role, password_hash, totp_secret, totp_last_step, stamp, created_at)
            VALUES (@id,@e,@b,@r,NULL,NULL,0,@s,@t)
            """, ("@id", account.Id), ("@e", account.Email), ("@b", account.BusinessId), ("@r", account.Role), ("@s", account.Stamp),
            ("@t", Sql.Ms(account.CreatedAt)));
        InsertLink(c, tx, link);
        AuditLog.Append(c, tx, audit);
        return true;
    });

    /// <summary>A reset link for an active account; the new stamp ends the person's sessions at once.</summary>
    public Task<bool> AddResetLink(AccountLink link, string newStamp, AuditEntry audit) => writer.Write((c, tx) =>
    {
        if (Sql.Exec(c, tx, "UPDATE accounts SET stamp=@s WHERE id=@id AND removed_at IS NULL", ("@s", newStamp), ("@id", link.AccountId)) == 0)
            return false;
        // An older link for the same person stops working: only the newest one is theirs to use.
        Sql.Exec(c, tx, "UPDATE account_links SET used_at=@t WHERE account_id=@id AND used_at IS NULL", ("@t", Sql.Ms(link.CreatedAt)), ("@id", link.AccountId));
        InsertLink(c, tx, link);
        AuditLog.Append(c, tx, audit);
        return true;
    });

    private static void InsertLink(System.Data.Common.DbConnection c, System.Data.Common.DbTransaction tx, AccountLink link) =>
        Sql.Exec(c, tx, """
            INSERT INTO account_links (id, token_hash, account_id, kind, totp_secret, created_by, created_at, expires_at)
            VALUES (@id,@h,@a,@k,@s,@by,@t,@x)
            """, ("@id", link.Id), ("@h", link.TokenHash), ("@a", link.AccountId), ("@k", link.Kind), ("@s", link.TotpSecret),
            ("@by", link.CreatedBy), ("@t", Sql.Ms(link.CreatedAt)), ("@x", Sql.Ms(link.ExpiresAt)));

    /// <summary>An unused, unexpired link of an active account, by the hash of its token.</summary>
    public (AccountLink Link, Account Account)? FindLink(byte[] tokenHash, DateTimeOffset now)
    {
        using var c = database.Read();
        var link = Sql.Query(c, null, """
            SELECT id, token_hash, account_id, kind, totp_secret, created_by, created_at, expires_at FROM account_links
            WHERE token_hash=@h AND used_at IS NULL AND expires_at > @now
            """, r => new AccountLink(r.GetString(0), (byte[])r.GetValue(1), r.GetString(2), r.GetString(3), (byte[])r.GetValue(4), r.GetString(5),
                Sql.Time(r.GetInt64(6)), Sql.Time(r.GetInt64(7))), ("@h", tokenHash), ("@now", Sql.Ms(now))).FirstOrDefault();
        return link is not null && Get(link.AccountId) is { } account ? (link, account) : null;
    }

    /// <summary>
    /// Uses a link once: sets the password, the TOTP secret (null: none) and a new stamp. False when the link was
    /// used meanwhile (two tabs): the first one wins.
    /// </summary>
    public Task<bool> UseLink(AccountLink link, string passwordHash, byte[]? totpSecret, long totpStep, string newStamp, DateTimeOffset now, AuditEntry audit) =>
        writer.Write((c, tx) =>
        {
            if (Sql.Exec(c, tx, "UPDATE account_links SET used_at=@t WHERE id=@id AND used_at IS NULL", ("@t", Sql.Ms(now)), ("@id", link.Id)) == 0)
                return false;
            if (Sql.Exec(c, tx, "UPDATE accounts SET password_hash=@p, totp_secret=@s, totp_last_step=@step, stamp=@stamp WHERE id=@id AND removed_at IS NULL",
                    ("@p", passwordHash), ("@s", totpSecret), ("@step", totpStep), ("@stamp", newStamp), ("@id", link.AccountId)) == 0)
                return false;
            AuditLog.Append(c, tx, audit);
            return true;
        });

    /// <summary>Records the time step of a code just used; false when that step (or a later one) was used already: a code works once.</summary>
    public Task<bool> UseTotpStep(string accountId, long step) => writer.Write((c, tx) =>
        Sql.Exec(c, tx, "UPDATE accounts SET totp_last_step=@s WHERE id=@id AND totp_last_step < @s", ("@s", step), ("@id", accountId)) == 1);

    /// <summary>A password hash rehashed with newer settings (PasswordHasher's SuccessRehashNeeded).</summary>
    public Task Rehash(string accountId, string passwordHash) => writer.Write((c, tx) =>
        Sql.Exec(c, tx, "UPDATE accounts SET password_hash=@p WHERE id=@id", ("@p", passwordHash), ("@id", accountId)));

    /// <summary>Removes an account: its sessions and links stop at once. The last owner of a team cannot go.</summary>
    public Task<RemoveOutcome> Remove(string id, string? businessId, string ownerRole, DateTimeOffset now, AuditEntry audit) => writer.Write((c, tx) =>
    {
        var (scope, args) = Scope(businessId, ("@id", id));
        var role = Sql.Scalar<string>(c, tx, $"SELECT role FROM accounts WHERE id=@id AND removed_at IS NULL AND {scope}", args);
        if (role is null)
            return RemoveOutcome.NotFound;
        if (role == ownerRole && Sql.Scalar<long>(c, tx,
                $"SELECT COUNT(*) FROM accounts WHERE role=@r AND removed_at IS NULL AND password_hash IS NOT NULL AND {scope}",
                Scope(businessId, ("@r", ownerRole)).Args) <= 1)
            return RemoveOutcome.LastOwner;
        Sql.Exec(c, tx, "UPDATE accounts SET removed_at=@t, stamp=@s WHERE id=@id", ("@t", Sql.Ms(now)), ("@s", Guid.NewGuid().ToString("N")), ("@id", id));
        Sql.Exec(c, tx, "UPDATE account_links SET used_at=@t WHERE account_id=@id AND used_at IS NULL", ("@t", Sql.Ms(now)), ("@id", id));
        AuditLog.Append(c, tx, audit);
        return RemoveOutcome.Removed;
    });
}

public enum RemoveOutcome { Removed, NotFound, LastOwner }

/// <param name="Email">lower-cased</param>
/// <param name="BusinessId">null for the operator team</param>
/// <param name="PasswordHash">null until the invitation is accepted</param>
/// <param name="TotpSecret">encrypted with the content key; null without a second factor</param>
/// <param name="Stamp">changes when the password is reset or the account removed; a session carrying another stamp is over</param>
public sealed record Account(string Id, string Email, string? BusinessId, string Role, string? PasswordHash, byte[]? TotpSecret,
    long TotpLastStep, string Stamp, DateTimeOffset CreatedAt)
{
    public bool Active => PasswordHash is not null;
}

/// <param name="Kind">invitation or reset</param>
/// <param name="TotpSecret">the secret offered for enrolment, encrypted with the content key</param>
public sealed record AccountLink(string Id, byte[] TokenHash, string AccountId, string Kind, byte[] TotpSecret, string CreatedBy,
    DateTimeOffset CreatedAt, DateTimeOffset ExpiresAt);
