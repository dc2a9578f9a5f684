using Microsoft.AspNetCore.Http;

namespace Herald.Server.Http;

/// <summary>An already-serialized JSON answer with a status code (stored idempotent answers are replayed byte for byte).</summary>
public sealed class JsonBytesResult(byte[] body, int statusCode) : IResult
{
    public Task ExecuteAsync(HttpContext httpContext)
    {
        httpContext.Response.StatusCode = statusCode;
        httpContext.Response.ContentType = "application/json";
        httpContext.Response.ContentLength = body.Length;
        return httpContext.Response.Body.WriteAsync(body).AsTask();
    }
}
