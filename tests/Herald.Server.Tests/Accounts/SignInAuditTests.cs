using System.Net;
using Herald.Server.Tests.Infrastructure;

namespace Herald.Server.Tests.Accounts;

/// <summary>Console sign-ins in the audit log: who and from where, filterable, and never a password, code or mistyped secret.</summary>
public sealed class SignInAuditTests
{
    [Fact]
    public async Task Sign_ins_refusals_and_sign_outs_are_audited_under_the_person_s_e_mail_without_secrets()
    {
        await using var host = await HeraldHost.Start(new() { ["Herald:Accounts:AttemptsPerAccount"] = "5" }, fakeTime: true);
        using var ana = await AccountApi.Person(host, "ana@example.com", "owner"); // joined and signed in
        const string wrongPassword = "wrong-password-marker-7Q2";
        const string typedInEmailField = "password-in-the-email-field-9XK";
        using var session = Session.Open(host);
        Assert.Equal(HttpStatusCode.Unauthorized, (await session.SignIn("ana@example.com", wrongPassword)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await session.SignIn(typedInEmailField, AccountApi.Password)).StatusCode);
        var wrongCode = "000000" == AccountApi.NextCode(host, ana.Secret) ? "111111" : "000000";
        Assert.Equal(HttpStatusCode.Unauthorized, (await session.SignIn("ana@example.com", AccountApi.Password, wrongCode)).StatusCode);
        var code = AccountApi.NextCode(host, ana.Secret);
        Assert.Equal(HttpStatusCode.OK, (await session.SignIn("ana@example.com", AccountApi.Password, code)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await session.Send(HttpMethod.Post, "/auth/v1/sign-out")).StatusCode);
        // Attempts 5 and 6 for this e-mail (both sessions' sign-ins and the wrong ones count) go over the limit;
        // the second refusal within a minute is not written again.
        for (var i = 0; i < 3; i++)
            await session.SignIn("ana@example.com", wrongPassword);

        using var token = host.Operator();
        var entries = await OperatorTokenTests.Audit(token, "?actor=ana@example.com");
        Assert.Equal(["session.throttled", "session.wrong_password", "session.sign_out", "session.sign_in", "session.wrong_code", "session.wrong_password",
            "session.sign_in", "operator.join"], entries.Select(e => e.Action));
        Assert.All(entries, e => Assert.Equal("ana@example.com", e.Target));
        Assert.All(entries.Where(e => e.Action.StartsWith("session.", StringComparison.Ordinal)), e => Assert.Contains("\"address\":\"127.0.0.1\"", e.Details));
        Assert.Equal(["ana@example.com"], (await OperatorTokenTests.Audit(token, "?action=session.wrong_code")).Select(e => e.Actor));
        Assert.Equal(["unknown"], (await OperatorTokenTests.Audit(token, "?action=session.unknown_email")).Select(e => e.Actor));

        var everything = await token.GetStringAsync("/admin/v1/audit?limit=1000");
        foreach (var secret in new[] { AccountApi.Password, wrongPassword, typedInEmailField })
        {
            Assert.DoesNotContain(secret, everything);
            host.AssertNoClearText(secret);
        }
        // Six digits turn up by chance in database files, so the codes are looked for in the log and the audit entries only.
        foreach (var secret in new[] { wrongCode, code })
        {
            Assert.DoesNotContain(secret, everything);
            Assert.DoesNotContain(host.Logs.Lines, l => l.Contains(secret, StringComparison.Ordinal));
        }
    }
}
