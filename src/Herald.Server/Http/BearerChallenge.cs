using Microsoft.AspNetCore.Http;

namespace Herald.Server.Http;

/// <summary>
/// The 401 answer for every bearer credential: problem+json <c>unauthorized</c> and, as RFC 6750 §3 says,
/// <c>WWW-Authenticate: Bearer</c> with <c>error="invalid_token"</c> when a token came and is no good, and without an
/// error when none came (the client may not have known the call needs one).
/// </summary>
public static class BearerChallenge
{
    public static Task Write(HttpContext context, bool tokenSent, string detail)
    {
        // error_description may hold no '"' or '\' (RFC 6750 §3): the details are fixed sentences without them.
        context.Response.Headers.WWWAuthenticate = tokenSent ? $"Bearer error=\"invalid_token\", error_description=\"{detail}\"" : "Bearer";
        return Problems.Unauthorized(detail).ExecuteAsync(context);
    }
}
