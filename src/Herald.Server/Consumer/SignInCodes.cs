using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Herald.Server.Hosting;
using Herald.Server.Http;
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
            // A byte array, so the gateway gets a Content-Length; only the status of its answer is read.
            using var request = new HttpRequestMessage(HttpMethod.Post, hook)
            {
                Content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(new CodeHookBody(phone, code))),
            };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            var status = await http.CreateClient(HookClientName).StatusOf(request, cancel);
            if ((int)status is < 200 or > 299)
                throw new HttpRequestException($"The code hook answered {(int)status}.", null, status);
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
