using System.Security.Cryptography;

namespace Herald.Core.Security;

/// <summary>
/// Random bytes that are not secrets (ids, AES-GCM nonces), drawn from <see cref="RandomNumberGenerator"/> a few
/// kilobytes at a time per thread. Each call to the generator costs a system call (OpenSSL checks its process id),
/// and a message takes about five such draws; a pool makes that one call per few hundred messages. Secrets (tokens,
/// keys, codes) still come straight from the generator, so no future secret sits in memory before it is needed.
/// </summary>
public static class RandomPool
{
    private const int Size = 4096;
    [ThreadStatic] private static byte[]? t_pool;
    [ThreadStatic] private static int t_used;

    public static void Fill(Span<byte> destination)
    {
        if (destination.Length > Size)
        {
            RandomNumberGenerator.Fill(destination);
            return;
        }
        var pool = t_pool ??= new byte[Size];
        if (t_used == 0 || Size - t_used < destination.Length)
        {
            RandomNumberGenerator.Fill(pool);
            t_used = 0;
        }
        var taken = pool.AsSpan(t_used, destination.Length);
        taken.CopyTo(destination);
        taken.Clear(); // handed out once
        t_used += destination.Length;
        if (t_used == Size)
            t_used = 0;
    }
}
