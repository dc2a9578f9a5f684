using System.Net;
using System.Text;
using System.Text.Json;
using Herald.Server.Tests.Infrastructure;

namespace Herald.Server.Tests;

/// <summary>
/// Every problem follows one convention, whoever wrote it (an endpoint, the authentication handlers, the framework's
/// status code pages, the binding-failure handler): problem+json, <c>status</c> equal to the answer's,
/// a stable <c>code</c>, and <c>type</c> = <c>https://herald.invalid/problems/&lt;code&gt;</c>.
/// </summary>
public sealed class ProblemConventionTests
{
    private const string Phone = "+447700900321";

    [Fact]
    public async Task Every_error_answer_is_a_problem_whose_type_names_its_code()
    {
        await using var host = await HeraldHost.Start();
        var business = await host.CreateBusiness(webhook: false);
        var outside = await host.CreateBusiness(["203.0.113.7"], webhook: false, name: "Elsewhere");
        var device = await host.SignIn(Phone);
        var key = business.ApiKey;
        var op = HeraldHost.OperatorToken;
        static HttpContent Json(string body) => new StringContent(body, Encoding.UTF8, "application/json");

        var requests = new (string Bearer, HttpMethod Method, string Path, Func<HttpContent?> Body, HttpStatusCode Status, string Code)[]
        {
            (key, HttpMethod.Post, "/v1/messages", () => Json("{\"to\":\"nope\"}"), HttpStatusCode.BadRequest, "invalid_request"),
            (key, HttpMethod.Post, "/v1/messages", () => Json("{\"to\":"), HttpStatusCode.BadRequest, "invalid_request"),
            (key, HttpMethod.Get, "/v1/stats/daily?days=abc", () => null, HttpStatusCode.BadRequest, "invalid_request"),
            (op, HttpMethod.Get, "/admin/v1/audit?limit=abc", () => null, HttpStatusCode.BadRequest, "invalid_request"),
            ("", HttpMethod.Get, "/v1/profile", () => null, HttpStatusCode.Unauthorized, "unauthorized"),
            ("hk_unknown", HttpMethod.Get, "/admin/v1/businesses", () => null, HttpStatusCode.Unauthorized, "unauthorized"),
            ("", HttpMethod.Get, "/metrics", () => null, HttpStatusCode.Unauthorized, "unauthorized"),
            (outside.ApiKey, HttpMethod.Get, "/v1/profile", () => null, HttpStatusCode.Forbidden, "ip_not_allowed"),
            (key, HttpMethod.Get, "/v1/messages/msg_unknown", () => null, HttpStatusCode.NotFound, "not_found"),
            (key, HttpMethod.Get, "/v1/no-such-route", () => null, HttpStatusCode.NotFound, "not_found"),
            ("", HttpMethod.Get, "/nothing-here", () => null, HttpStatusCode.NotFound, "not_found"),
            (key, HttpMethod.Delete, "/v1/profile", () => null, HttpStatusCode.MethodNotAllowed, "method_not_allowed"),
            (key, HttpMethod.Post, "/v1/messages", () => new StringContent("hello", Encoding.UTF8, "text/plain"), HttpStatusCode.UnsupportedMediaType, "unsupported_media_type"),
            (key, HttpMethod.Post, "/v1/messages", () => new StringContent("{}", Encoding.UTF8, "application/jsonx"), HttpStatusCode.UnsupportedMediaType, "unsupported_media_type"),
            (device, HttpMethod.Put, "/consumer/v1/settings", () => new ByteArrayContent([1, 2, 3]), HttpStatusCode.UnsupportedMediaType, "unsupported_media_type"),
            (key, HttpMethod.Post, "/v1/messages", () => Json($"{{\"to\":\"{Phone}\",\"text\":\"{new string('x', 70_000)}\"}}"), HttpStatusCode.RequestEntityTooLarge, "payload_too_large"),
            (device, HttpMethod.Post, "/consumer/v1/senders/nobody/block", () => null, HttpStatusCode.NotFound, "not_found"),
            (op, HttpMethod.Get, "/admin/v1/businesses/nobody", () => null, HttpStatusCode.NotFound, "not_found"),
        };
        foreach (var (bearer, method, path, body, status, code) in requests)
        {
            using var client = host.Client(bearer == "" ? null : bearer);
            using var request = new HttpRequestMessage(method, path) { Content = body() };
            var response = await client.SendAsync(request);
            var text = await response.Content.ReadAsStringAsync();
            var what = $"{method} {path}: {(int)response.StatusCode} {text}";
            Assert.True(response.StatusCode == status, what);
            Assert.True(response.Content.Headers.ContentType?.MediaType == "application/problem+json", what);
            var problem = JsonDocument.Parse(text).RootElement;
            Assert.True(problem.GetProperty("code").GetString() == code, what);
            Assert.True(problem.GetProperty("type").GetString() == $"https://herald.invalid/problems/{code}", what);
            Assert.True(problem.GetProperty("status").GetInt32() == (int)status, what);
            Assert.False(string.IsNullOrEmpty(problem.GetProperty("title").GetString()), what);
        }
    }
}
