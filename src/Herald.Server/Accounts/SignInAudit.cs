using Herald.Server.Http;
using Herald.Storage;

namespace Herald.Server.Accounts;

/// <summary>
/// Console sign-ins in the audit log: each names the person's e-mail (as actor and target) and the client's address,
/// never a password or code. An e-mail that is no account is not written at all (people type passwords into the
/// e-mail field): the entry says <c>unknown</c>. Refusals for too many attempts are written once a minute per e-mail
/// and address, so a flood of them cannot flood the log.
/// </summary>
public sealed class SignInAudit(AuditLog audit, TimeProvider time)
{
    public const string SignedIn = "session.sign_in";
    public const string WrongPassword = "session.wrong_password";
    public const string UnknownEmail = "session.unknown_email";
    public const string WrongCode = "session.wrong_code";
    public const string Throttled = "session.throttled";
    public const string SignedOut = "session.sign_out";
    public const string Unknown = "unknown";

    private readonly OncePerMinute _throttled = new(time);

    public Task Record(string action, string? email, string address) =>
        audit.Record(new AuditEntry(time.GetUtcNow(), email ?? Unknown, action, email ?? Unknown,
            System.Text.Json.JsonSerializer.Serialize(new { address }, ApiJson.Options)));

    public Task RecordThrottled(string? email, string address) =>
        _throttled.Due((email ?? Unknown) + " " + address) is null ? Task.CompletedTask : Record(Throttled, email, address);
}
