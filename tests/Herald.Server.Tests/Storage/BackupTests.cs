using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Text.Json;
using Herald.Server.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Herald.Server.Tests.Storage;

/// <summary>
/// <c>herald backup</c> and <c>herald restore</c> on the embedded SQLite store (always SQLite: for PostgreSQL the
/// operator uses PostgreSQL's own tools, docs/operations.md), driven as an operator would: real processes.
/// </summary>
public sealed class BackupTests(ITestOutputHelper output) : IDisposable
{
    private const string Phone = "+447700900777";
    private const string OperatorToken = "hop_backup-test-token";
    private readonly string _dir = Directory.CreateTempSubdirectory("herald-backup-").FullName;

    private string Node => Path.Combine(_dir, "node");
    private string Restored => Path.Combine(_dir, "restored");
    private string BackupFile => Path.Combine(_dir, "herald-backup.db");

    [Fact]
    public async Task A_backup_taken_under_load_restores_every_message_accepted_before_it_began()
    {
        await using var receiver = await Receiver.Start();
        var environment = Environment(receiver);
        var herald = HeraldProcess.Serve(Node, environment);
        await herald.WaitHealthy();
        var business = await Api.CreateBusiness(() => herald.BaseAddress, OperatorToken, receiver.WebhookUrl);
        var token = await Api.SignIn(herald.BaseAddress, receiver, Phone); // the device stays offline: every message waits

        var accepted = new ConcurrentQueue<string>();
        using var stopSending = new CancellationTokenSource();
        var senders = Enumerable.Range(0, 4).Select(worker => Task.Run(async () =>
        {
            using var client = business.Client();
            for (var i = 0; !stopSending.IsCancellationRequested; i++)
            {
                var response = await client.PostAsJsonAsync("/v1/messages", new { to = Phone, category = "transactional", text = $"w{worker} n{i}" });
                Assert.Equal(System.Net.HttpStatusCode.Accepted, response.StatusCode);
                accepted.Enqueue((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("message_id").GetString()!);
            }
        })).ToArray();

        await Wait.Until(() => accepted.Count >= 500, TimeSpan.FromSeconds(60), "500 accepted messages");
        var beforeBackup = accepted.ToArray(); // every 202 received before the backup starts
        var backup = await HeraldCli.Run(null, "backup", "--to", BackupFile, "--data", Node, "--json");
        var duringBackup = accepted.Count - beforeBackup.Length;
        await Wait.Until(() => accepted.Count >= beforeBackup.Length + duringBackup + 100, TimeSpan.FromSeconds(30), "sends going on after the backup");
        await stopSending.CancelAsync();
        await Task.WhenAll(senders);
        Assert.True(backup.ExitCode == 0, backup.ToString());
        Assert.True(duringBackup > 0, "no send completed while the backup ran, so it was not taken under load");
        var inBackup = backup.Json.GetProperty("waiting_messages").GetInt32();
        Assert.InRange(inBackup, beforeBackup.Length, beforeBackup.Length + duringBackup);
        Assert.Contains("content key is not in the backup", backup.Json.GetProperty("note").GetString(), StringComparison.Ordinal);
        Assert.False(File.Exists(BackupFile + ".key"));
        await herald.Terminate();
        await herald.DisposeAsync();

        var restore = await HeraldCli.Run(null, "restore", "--from", BackupFile, "--data", Restored, "--key", Path.Combine(Node, "content.key"));
        Assert.True(restore.ExitCode == 0, restore.ToString());
        Assert.Contains("decrypts the backup's waiting messages", restore.Stdout, StringComparison.Ordinal);

        await using var restarted = HeraldProcess.Serve(Restored, environment);
        await restarted.WaitHealthy();
        await using var device = await TestDevice.Connect(restarted.BaseAddress, token);
        var received = new List<string>();
        await Wait.Until(async () =>
        {
            received.AddRange((await device.MessagesWithin(TimeSpan.FromMilliseconds(300))).Select(m => m.GetProperty("message_id").GetString()!));
            return received.Count >= inBackup;
        }, TimeSpan.FromSeconds(60), $"the {inBackup} messages of the backup on the device");
        received.AddRange((await device.MessagesWithin(TimeSpan.FromMilliseconds(500))).Select(m => m.GetProperty("message_id").GetString()!));

        output.WriteLine($"accepted before the backup began: {beforeBackup.Length}; accepted while it ran: {duringBackup}; in the backup: {inBackup}; " +
            $"accepted in all: {accepted.Count}; received from the restored node: {received.Count} ({received.Distinct().Count()} distinct)");
        Assert.Empty(beforeBackup.Except(received)); // every message accepted before the backup began
        Assert.Equal(received.Count, received.Distinct().Count()); // none twice
        Assert.Equal(inBackup, received.Count);
        Assert.Subset(accepted.ToHashSet(), received.ToHashSet()); // and nothing that was never accepted
    }

    [Fact]
    public async Task Restore_checks_the_file_the_target_directory_and_the_content_key()
    {
        await using var receiver = await Receiver.Start();
        var herald = HeraldProcess.Serve(Node, Environment(receiver));
        await herald.WaitHealthy();
        var business = await Api.CreateBusiness(() => herald.BaseAddress, OperatorToken, receiver.WebhookUrl);
        await Api.SignIn(herald.BaseAddress, receiver, Phone);
        for (var i = 0; i < 3; i++)
            await business.SendOk(new { to = Phone, category = "transactional", text = $"waiting {i}" });
        Assert.Equal(0, (await HeraldCli.Run(null, "backup", "--to", BackupFile, "--data", Node)).ExitCode);
        var again = await HeraldCli.Run(null, "backup", "--to", BackupFile, "--data", Node);
        Assert.True(again.ExitCode == 1 && again.Stderr.Contains("--force", StringComparison.Ordinal), again.ToString()); // an existing backup is kept
        await herald.Terminate();
        await herald.DisposeAsync();
        var key = Path.Combine(Node, "content.key");

        var notHerald = Path.Combine(_dir, "other.db");
        using (var other = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={notHerald};Pooling=False"))
        {
            other.Open();
            using var create = other.CreateCommand();
            create.CommandText = "CREATE TABLE notes (text TEXT)";
            create.ExecuteNonQuery();
        }
        var refused = await HeraldCli.Run(null, "restore", "--from", notHerald, "--data", Restored, "--key", key);
        Assert.True(refused.ExitCode == 1 && refused.Stderr.Contains("not a Herald one", StringComparison.Ordinal), refused.ToString());
        var text = Path.Combine(_dir, "notes.txt");
        File.WriteAllText(text, "not a database at all, but long enough to have a header of sorts: " + new string('x', 200));
        refused = await HeraldCli.Run(null, "restore", "--from", text, "--data", Restored, "--key", key);
        Assert.True(refused.ExitCode == 1 && refused.Stderr.Contains("not a readable SQLite database", StringComparison.Ordinal), refused.ToString());

        refused = await HeraldCli.Run(null, "restore", "--from", BackupFile, "--data", Restored);
        Assert.True(refused.ExitCode == 1 && refused.Stderr.Contains("3 waiting messages", StringComparison.Ordinal), refused.ToString());
        var wrongKey = Path.Combine(_dir, "wrong.key");
        File.WriteAllText(wrongKey, Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)));
        refused = await HeraldCli.Run(null, "restore", "--from", BackupFile, "--data", Restored, "--key", wrongKey);
        Assert.True(refused.ExitCode == 1 && refused.Stderr.Contains("does not decrypt", StringComparison.Ordinal), refused.ToString());
        Assert.False(File.Exists(Path.Combine(Restored, "herald.db"))); // nothing written by a refusal

        Assert.Equal(0, (await HeraldCli.Run(null, "restore", "--from", BackupFile, "--data", Restored, "--key", key)).ExitCode);
        refused = await HeraldCli.Run(null, "restore", "--from", BackupFile, "--data", Restored, "--key", key);
        Assert.True(refused.ExitCode == 1 && refused.Stderr.Contains("already holds a database", StringComparison.Ordinal), refused.ToString());
        var forced = await HeraldCli.Run(null, "restore", "--from", BackupFile, "--data", Restored, "--key", key, "--force");
        Assert.True(forced.ExitCode == 0, forced.ToString());
        var withoutKey = await HeraldCli.Run(null, "restore", "--from", BackupFile, "--data", Path.Combine(_dir, "keyless"), "--without-key");
        Assert.True(withoutKey.ExitCode == 0 && withoutKey.Stdout.Contains("No content key", StringComparison.Ordinal), withoutKey.ToString());
    }

    private static Dictionary<string, string> Environment(Receiver receiver) => new()
    {
        ["HERALD_BOOTSTRAP_TOKEN"] = OperatorToken,
        ["Herald__Webhooks__AllowPrivateNetworks"] = "true",
        ["Herald__Consumers__CodeHookUrl"] = receiver.CodeHookUrl.ToString(),
    };

    public void Dispose()
    {
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
