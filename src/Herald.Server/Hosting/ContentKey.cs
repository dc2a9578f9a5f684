using System.Security.Cryptography;

namespace Herald.Server.Hosting;

/// <summary>Loads the operator's content key, or creates one (readable by the owner only) on first start.</summary>
internal static class ContentKey
{
    public static byte[] LoadOrCreate(string path)
    {
        if (File.Exists(path))
        {
            var key = Convert.FromBase64String(File.ReadAllText(path).Trim());
            if (key.Length != 32)
                throw new InvalidOperationException($"The content key in {path} must be 32 bytes of base64.");
            return key;
        }
        var created = RandomNumberGenerator.GetBytes(32);
        WriteOwnerOnly(path, Convert.ToBase64String(created));
        return created;
    }

    /// <summary>Creates a new file (never overwrites one) that only the owner may read, with its folder if needed.</summary>
    public static void WriteOwnerOnly(string path, string text)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        using var file = new StreamWriter(path, options);
        file.Write(text);
    }
}
