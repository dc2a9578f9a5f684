namespace Herald.Client;

/// <summary>Where the server is, who is calling, and how patiently to retry.</summary>
public sealed record HeraldClientOptions
{
    /// <summary>The server's base address, such as <c>https://herald.example.com/</c>.</summary>
    public required Uri BaseAddress { get; init; }

    /// <summary>
    /// The bearer credential: an API key (<c>hk_…</c>) for <see cref="HeraldClient"/>, an operator token (<c>hop_…</c>)
    /// for <see cref="HeraldOperatorClient"/>.
    /// </summary>
    public required string Credential { get; init; }

    /// <summary>
    /// How many times a request is tried again after a <c>429</c>, a <c>5xx</c> or a failed connection. 0 turns
    /// retries off. Sends always carry an <c>Idempotency-Key</c>, so a retried send is never delivered twice.
    /// </summary>
    public int MaxRetries { get; init; } = 3;

    /// <summary>
    /// The longest single wait before a retry. A server asking (by <c>Retry-After</c>) for a longer wait than this
    /// gets no retry: the call fails at once with <see cref="HeraldApiException.RetryAfter"/> set, so a caller is never
    /// stuck for minutes inside one call.
    /// </summary>
    public TimeSpan MaxRetryDelay { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The wait before the first retry when the server gives no <c>Retry-After</c>; it doubles each time.</summary>
    public TimeSpan InitialRetryDelay { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>The clock retries wait on (tests pass a fake one).</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}
