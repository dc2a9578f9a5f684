using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using Herald.Server.Hosting;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Herald.Server.Consumer;

/// <summary>
/// Makes and delivers one-time sign-in codes. Codes are stored as HMACs under a server key: a six-digit code's plain
/// hash could be reversed by trying all million codes, an HMAC cannot without the key.
/// </summary>
public sealed partial class SignInCodes(
    IHttpClientFactory http, IOptions<HeraldOptions> options, IHostEnvironment environment, ContentKeyMaterial key,
    ILogger<SignInCodes> log)
{
    public const string HookClientName = "code-hook";

    public byte[] Hash(string phone, string code) =>
        HMACSHA256.HashData(key.CodeHashKey, Encoding.UTF8.GetBytes(phone + ":" + code));

    /// <returns>false when no way to deliver codes is configured</returns>
    public async Task<bool> Deliver(string phone, string code, CancellationToken cancel)
    {
        var hook = options.Value.Consumers.CodeHookUrl;
        if (!string.IsNullOrEmpty(hook))
        {
            using var response = await http.CreateClient(HookClientName).PostAsJsonAsync(hook, new CodeHookBody(phone, code), cancel);
            response.EnsureSuccessStatusCode();
            return true;
        }
        if (environment.IsDevelopment())
        {
            // Development only: there is no SMS gateway, so the code goes to the console for the developer to type in.
            LogDevelopmentCode(phone, code);
            return true;
        }
        return false;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Development sign-in code for {Phone}: {Code}")]
    private partial void LogDevelopmentCode(string phone, string code);

    private sealed record CodeHookBody(string phone, string code);
}

/// <summary>Keys derived from the operator's content key, one per purpose.</summary>
public sealed class ContentKeyMaterial(byte[] contentKey)
{
    public byte[] ContentKey { get; } = contentKey;
    public byte[] CodeHashKey { get; } = HKDF.DeriveKey(HashAlgorithmName.SHA256, contentKey, 32, info: Encoding.UTF8.GetBytes("herald sign-in codes"));
}
