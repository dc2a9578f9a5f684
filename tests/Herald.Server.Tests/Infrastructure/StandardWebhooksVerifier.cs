using System.Text.Json;

namespace Herald.Server.Tests.Infrastructure;

/// <summary>
/// Checks a received callback with the Standard Webhooks reference library (npm <c>standardwebhooks</c>, pinned in
/// tools/webhook-verify), run by node: an implementation Herald's code had no hand in. Its timestamp tolerance is the
/// library's own (five minutes against the real clock).
/// </summary>
public static class StandardWebhooksVerifier
{
    /// <returns>node's exit code (0: verified) and what it printed</returns>
    public static async Task<(int ExitCode, string Output)> Verify(ReceivedPost post, string secret, byte[]? body = null)
    {
        var tool = await NodeTool.Installed("webhook-verify", "standardwebhooks");
        var input = JsonSerializer.Serialize(new Dictionary<string, string>
        {
            ["secret"] = secret, ["id"] = post.WebhookId, ["timestamp"] = post.Timestamp, ["signature"] = post.Signature,
            ["body_base64"] = Convert.ToBase64String(body ?? post.Body),
        });
        return await NodeTool.Run("node", "verify.js", tool, input);
    }
}
