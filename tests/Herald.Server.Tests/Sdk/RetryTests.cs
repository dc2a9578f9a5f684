using System.Diagnostics;
using System.Net;
using Herald.Client;
using Herald.Server.Tests.Infrastructure;

namespace Herald.Server.Tests.Sdk;

/// <summary>The SDK retries 429 and 5xx, waits as Retry-After says, stays within its bounds, and never sends a message twice.</summary>
public sealed class RetryTests
{
    private const string Accepted = """{"message_id":"msg_1","status":"accepted"}""";
    private static readonly OutgoingMessage s_message = new() { To = "+447700900123", Category = MessageCategory.Transactional, Text = "hi" };

    [Fact]
    public async Task A_real_servers_429_is_waited_out_as_Retry_After_says_and_the_send_then_succeeds()
    {
        await using var host = await HeraldHost.Start();
        var business = await host.CreateBusiness();
        using (var admin = host.Operator())
            (await admin.PatchAsync($"/admin/v1/businesses/{business.Id}", System.Net.Http.Json.JsonContent.Create(new { rate_limit_per_second = 1 }))).EnsureSuccessStatusCode();
        using var patient = new HeraldClient(new HeraldClientOptions { BaseAddress = host.BaseAddress, Credential = business.ApiKey });
        using var impatient = new HeraldClient(new HeraldClientOptions { BaseAddress = host.BaseAddress, Credential = business.ApiKey, MaxRetries = 0 });

        await patient.SendAsync(s_message);
        var refused = await Assert.ThrowsAsync<HeraldApiException>(() => impatient.SendAsync(s_message));
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.Status);
        Assert.Equal("rate_limited", refused.Code);
        Assert.True(refused.RetryAfter >= TimeSpan.FromSeconds(1));

        var clock = Stopwatch.StartNew();
        var sent = await patient.SendAsync(s_message);
        Assert.StartsWith("msg_", sent.MessageId, StringComparison.Ordinal);
        Assert.True(clock.Elapsed >= TimeSpan.FromMilliseconds(900), $"sent after {clock.Elapsed} without waiting out Retry-After");
    }

    [Fact]
    public async Task A_503_with_Retry_After_is_retried_after_that_long_with_the_same_body_and_idempotency_key()
    {
        await using var stub = await StubServer.Start(StubServer.Status(503, "1"), StubServer.Status(503, "1"), StubServer.Json(Accepted, 202));
        using var client = Client(stub);

        var sent = await client.SendAsync(s_message);

        Assert.Equal("msg_1", sent.MessageId);
        var requests = stub.Requests;
        Assert.Equal(3, requests.Count);
        Assert.Single(requests.Select(r => r.IdempotencyKey).Distinct());
        Assert.False(string.IsNullOrEmpty(requests[0].IdempotencyKey));
        Assert.Single(requests.Select(r => r.Body).Distinct());
        Assert.Equal("Bearer hk_test", requests[0].Authorization);
        Assert.True(requests[1].At - requests[0].At >= TimeSpan.FromMilliseconds(900));
        Assert.True(requests[2].At - requests[1].At >= TimeSpan.FromMilliseconds(900));
    }

    [Fact]
    public async Task Retries_stop_after_MaxRetries_and_the_last_failure_is_reported()
    {
        await using var stub = await StubServer.Start(StubServer.Status(500));
        using var client = Client(stub, maxRetries: 2);

        var failure = await Assert.ThrowsAsync<HeraldApiException>(() => client.GetStatusAsync("msg_1"));

        Assert.Equal(3, stub.Requests.Count);
        Assert.Equal(HttpStatusCode.InternalServerError, failure.Status);
        Assert.Equal("server_error", failure.Code);
    }

    [Fact]
    public async Task A_Retry_After_longer_than_MaxRetryDelay_fails_at_once_and_says_how_long_to_wait()
    {
        await using var stub = await StubServer.Start(StubServer.Status(429, "120", "rate_limited"));
        using var client = Client(stub);
        var clock = Stopwatch.StartNew();

        var failure = await Assert.ThrowsAsync<HeraldApiException>(() => client.SendAsync(s_message));

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5));
        Assert.Single(stub.Requests);
        Assert.Equal("rate_limited", failure.Code);
        Assert.Equal(TimeSpan.FromSeconds(120), failure.RetryAfter);
    }

    [Fact]
    public async Task A_post_without_an_idempotency_key_is_not_repeated_after_a_5xx_but_is_after_a_429()
    {
        await using var failing = await StubServer.Start(StubServer.Status(502));
        using (var admin = new HeraldOperatorClient(new HeraldClientOptions { BaseAddress = failing.BaseAddress, Credential = "hop_test", InitialRetryDelay = TimeSpan.FromMilliseconds(10) }))
            await Assert.ThrowsAsync<HeraldApiException>(() => admin.IssueKeyAsync("acme"));
        Assert.Single(failing.Requests); // a key may have been issued: issuing again would make a second one

        await using var limited = await StubServer.Start(StubServer.Status(429, "0", "rate_limited"),
            StubServer.Json("""{"key_id":"key_1","api_key":"hk_1","created_at":"2026-11-25T07:27:11.266Z"}""", 201));
        using var retrying = new HeraldOperatorClient(new HeraldClientOptions { BaseAddress = limited.BaseAddress, Credential = "hop_test" });
        Assert.Equal("hk_1", (await retrying.IssueKeyAsync("acme")).ApiKey);
        Assert.Equal(2, limited.Requests.Count);
    }

    [Fact]
    public async Task An_unreachable_server_is_reported_as_unreachable_after_the_retries()
    {
        var closed = new Uri("http://127.0.0.1:1/");
        using var client = new HeraldClient(new HeraldClientOptions { BaseAddress = closed, Credential = "hk_test", MaxRetries = 1, InitialRetryDelay = TimeSpan.FromMilliseconds(10) });
        var failure = await Assert.ThrowsAsync<HeraldApiException>(() => client.GetProfileAsync());
        Assert.Null(failure.Status);
        Assert.Equal("unreachable", failure.Code);
    }

    private static HeraldClient Client(StubServer stub, int maxRetries = 3) =>
        new(new HeraldClientOptions { BaseAddress = stub.BaseAddress, Credential = "hk_test", MaxRetries = maxRetries, InitialRetryDelay = TimeSpan.FromMilliseconds(10) });
}
