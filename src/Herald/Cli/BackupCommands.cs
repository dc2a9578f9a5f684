using System.CommandLine;
using System.Security.Cryptography;
using Herald.Storage.Sqlite;
using Spectre.Console;

namespace Herald.Cli;

/// <summary>
/// <c>herald backup</c> and <c>herald restore</c>: a consistent copy of a (running) node's embedded SQLite database,
/// and putting one back. They work on files, not through the API. The content key is not in the copy (docs/operations.md).
/// </summary>
internal static class BackupCommands
{
    private const string KeyFileName = "content.key";

    public static Command Backup()
    {
        var to = new Option<string>("--to") { Description = "The backup file to write", Required = true };
        var data = DataOption();
        var force = new Option<bool>("--force") { Description = "Replace the backup file if it exists" };
        var withKey = new Option<bool>("--with-key")
        {
            Description = "Also copy the content key to FILE.key (owner-only). Anyone with both files can read the waiting messages",
        };
        var command = new Command("backup", "Copy a node's SQLite database, consistently, while it runs (SQLite's online backup API)") { to, data, force, withKey };
        command.Run((cli, _) => Guarded(() =>
        {
            var dataDirectory = cli.Parsed.GetValue(data)!;
            var file = cli.Parsed.GetValue(to)!;
            var summary = SqliteBackup.Backup(dataDirectory, file, cli.Parsed.GetValue(force));
            var keyPath = Path.Combine(dataDirectory, KeyFileName);
            var key = File.Exists(keyPath) ? ReadKey(keyPath) : null;
            string? keyCopy = null;
            if (cli.Parsed.GetValue(withKey))
            {
                if (key is null)
                    throw new UsageException($"--with-key: there is no content key at {Path.GetFullPath(keyPath)}.");
                keyCopy = summary.File + ".key";
                WriteOwnerOnly(keyCopy, File.ReadAllText(keyPath));
            }
            var result = new BackupResult(summary.File, summary.Bytes, summary.WaitingMessages, summary.PendingCallbacks, summary.LastMigration,
                key is null ? null : Fingerprint(key), keyCopy,
                keyCopy is null
                    ? $"The content key is not in the backup. Waiting messages and pending callbacks in it are encrypted with {Path.GetFullPath(keyPath)}: " +
                      "keep a copy of that file apart from the backups; a restore without it cannot decrypt them."
                    : $"The content key is beside the backup in {keyCopy}: anyone who has both files can read the waiting messages. Store them apart.");
            cli.Out.Show(result, r => new Rows(
                new Text($"Backed up {Path.GetFullPath(Path.Combine(dataDirectory, SqliteBackup.DatabaseFile))} to {r.File} ({r.Bytes:N0} bytes, integrity checked).\n"),
                Output.Fields(("waiting messages", Count(r.WaitingMessages)), ("pending callbacks", Count(r.PendingCallbacks)), ("schema", r.Schema),
                    ("content key", r.KeyFingerprint is null ? "none found" : $"fingerprint {r.KeyFingerprint}")),
                new Text(r.Note + "\n", new Style(Color.Yellow))));
            return ExitCodes.Ok;
        }));
        return command;
    }

    public static Command Restore()
    {
        var from = new Option<string>("--from") { Description = "The backup file", Required = true };
        var data = DataOption();
        var key = new Option<string?>("--key") { Description = $"The content key file that goes with the backup; copied to DIR/{KeyFileName}" };
        var force = new Option<bool>("--force") { Description = "Replace a database (and a different content key) already in DIR; stop its node first" };
        var withoutKey = new Option<bool>("--without-key")
        {
            Description = "Restore although no content key is at hand: the waiting messages and pending callbacks will not be deliverable",
        };
        var command = new Command("restore", "Put a backup in place as a data directory's database, after checking it") { from, data, key, force, withoutKey };
        command.Run((cli, _) => Guarded(() =>
        {
            var file = cli.Parsed.GetValue(from)!;
            var dataDirectory = cli.Parsed.GetValue(data)!;
            var overwrite = cli.Parsed.GetValue(force);
            var checkedBackup = SqliteBackup.Inspect(file);

            // Which key the restored node will use: the one given, else one already in the directory.
            var givenKey = cli.Parsed.GetValue(key);
            var keyPath = Path.Combine(dataDirectory, KeyFileName);
            var keyText = givenKey is not null ? File.ReadAllText(givenKey) : File.Exists(keyPath) ? File.ReadAllText(keyPath) : null;
            var keyBytes = keyText is null ? null : ReadKey(givenKey ?? keyPath);
            var encrypted = checkedBackup.WaitingMessages + checkedBackup.PendingCallbacks;
            if (keyBytes is null && encrypted > 0 && !cli.Parsed.GetValue(withoutKey))
                throw new BackupException($"The backup holds {checkedBackup.WaitingMessages} waiting messages and {checkedBackup.PendingCallbacks} pending callbacks, " +
                    $"encrypted with the content key of the node it came from, and no key was given: pass that key with --key FILE " +
                    "(or --without-key to restore without them being deliverable).", refused: true);
            var opens = keyBytes is null ? null : SqliteBackup.KeyOpens(file, keyBytes);
            if (opens == false)
                throw new BackupException($"The content key {(givenKey ?? keyPath)} (fingerprint {Fingerprint(keyBytes!)}) does not decrypt this backup's " +
                    "waiting messages: it is not the key of the node the backup came from. Pass that key with --key FILE.", refused: true);
            if (givenKey is not null && File.Exists(keyPath) && File.ReadAllText(keyPath).Trim() != keyText!.Trim() && !overwrite)
                throw new BackupException($"{Path.GetFullPath(keyPath)} holds a different content key; add --force to replace it.", refused: true);

            var restored = SqliteBackup.Restore(file, dataDirectory, overwrite);
            if (givenKey is not null)
                WriteOwnerOnly(keyPath, keyText!);
            var result = new RestoreResult(restored.File, restored.WaitingMessages, restored.PendingCallbacks, restored.LastMigration,
                keyBytes is null ? null : Fingerprint(keyBytes),
                (keyBytes, opens) switch
                {
                    (null, _) when encrypted > 0 => "No content key: put the key of the node the backup came from in place before starting, or its waiting " +
                        "messages and pending callbacks cannot be decrypted and will not be delivered.",
                    (null, _) => "No content key: the backup holds nothing encrypted, and the node creates a new key at its first start.",
                    (_, true) => $"The content key in {Path.GetFullPath(keyPath)} decrypts the backup's waiting messages. Start the node with --data {dataDirectory}.",
                    _ => $"The backup holds nothing encrypted; the node will use the content key in {Path.GetFullPath(keyPath)}. Start it with --data {dataDirectory}.",
                });
            cli.Out.Show(result, r => new Rows(
                new Text($"Restored {Path.GetFullPath(file)} to {r.Database}.\n"),
                Output.Fields(("waiting messages", Count(r.WaitingMessages)), ("pending callbacks", Count(r.PendingCallbacks)), ("schema", r.Schema),
                    ("content key", r.KeyFingerprint is null ? "none" : $"fingerprint {r.KeyFingerprint}")),
                new Text(r.Note + "\n", new Style(keyBytes is null && encrypted > 0 ? Color.Yellow : Color.Default))));
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static Option<string> DataOption() =>
        new("--data") { Description = "The node's data directory (as given to serve)", DefaultValueFactory = _ => "./herald-data" };

    private static Task<int> Guarded(Func<int> action)
    {
        try
        {
            return Task.FromResult(action());
        }
        catch (BackupException ex)
        {
            Console.Error.WriteLine("error: " + ex.Message);
            return Task.FromResult(ex.Refused ? ExitCodes.Refused : ExitCodes.Usage);
        }
        catch (IOException ex)
        {
            Console.Error.WriteLine("error: " + ex.Message);
            return Task.FromResult(ExitCodes.Usage);
        }
    }

    private static byte[] ReadKey(string path)
    {
        try
        {
            var key = Convert.FromBase64String(File.ReadAllText(path).Trim());
            return key.Length == 32 ? key : throw new FormatException();
        }
        catch (FormatException)
        {
            throw new UsageException($"{path} is not a content key (32 bytes of base64).");
        }
    }

    /// <summary>Names a key without revealing it: the first 16 hex digits of its SHA-256, to match a key file to a backup.</summary>
    private static string Fingerprint(byte[] key) => Convert.ToHexStringLower(SHA256.HashData(key))[..16];

    private static void WriteOwnerOnly(string path, string text)
    {
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        using var file = new StreamWriter(path, options);
        file.Write(text.Trim());
    }

    private static string Count(int n) => n.ToString("N0", System.Globalization.CultureInfo.InvariantCulture);

    private sealed record BackupResult(string File, long Bytes, int WaitingMessages, int PendingCallbacks, string Schema, string? KeyFingerprint,
        string? KeyFile, string Note);

    private sealed record RestoreResult(string Database, int WaitingMessages, int PendingCallbacks, string Schema, string? KeyFingerprint, string Note);
}
