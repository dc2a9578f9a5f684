namespace Herald.Server.Hosting;

/// <summary>The <c>Herald</c> configuration section (appsettings.json or <c>Herald__Section__Key</c>).</summary>
public sealed class HeraldOptions
{
    public const string Section = "Herald";

    /// <summary>Where the embedded database, the content key and other state live.</summary>
    public string DataDirectory { get; set; } = "./herald-data";
    public StorageOptions Storage { get; set; } = new();
    public ConsumerOptions Consumers { get; set; } = new();
    public WebhookOptions Webhooks { get; set; } = new();
    public PrivacyOptions Privacy { get; set; } = new();
    public NetworkOptions Network { get; set; } = new();
    public BusinessOptions Business { get; set; } = new();
    public ClusterOptions Cluster { get; set; } = new();
    public TlsOptions Tls { get; set; } = new();
    public PushOptions Push { get; set; } = new();
    public AccountOptions Accounts { get; set; } = new();
}

/// <summary>Console accounts and their sessions (docs/accounts.md).</summary>
public sealed class AccountOptions
{
    /// <summary>A Console session ends after this long without a request.</summary>
    public int IdleTimeoutMinutes { get; set; } = 30;
    /// <summary>A Console session ends this long after sign-in, however busy.</summary>
    public int AbsoluteTimeoutHours { get; set; } = 12;
    /// <summary>How long an invitation or password-reset link works.</summary>
    public int LinkLifetimeHours { get; set; } = 72;
    /// <summary>Sign-in attempts one e-mail address may make per 15 minutes (from anywhere).</summary>
    public int AttemptsPerAccount { get; set; } = 10;
    /// <summary>Sign-in attempts one client address may make per 15 minutes (whatever the accounts).</summary>
    public int AttemptsPerAddress { get; set; } = 30;
}

/// <summary>Web Push to devices whose Messenger is closed (docs/operations.md).</summary>
public sealed class PushOptions
{
    /// <summary>The VAPID public key (base64url, uncompressed P-256 point). With <see cref="PrivateKey"/>; else read from or made in <see cref="KeyFile"/>.</summary>
    public string? PublicKey { get; set; }
    /// <summary>The VAPID private key (base64url, 32 bytes).</summary>
    public string? PrivateKey { get; set; }
    /// <summary>Where the key pair is kept when not given above; default DIR/vapid.json, made on first start.</summary>
    public string? KeyFile { get; set; }
    /// <summary>The VAPID contact (mailto: or https:) push services may use to reach the operator.</summary>
    public string? Subject { get; set; }
    /// <summary>Send content-free wake-ups only: no message content passes through push services.</summary>
    public bool WakeOnly { get; set; }
    /// <summary>Lets push endpoints be plain http and reach loopback and private networks. For development and tests only.</summary>
    public bool AllowPrivateNetworks { get; set; }
    /// <summary>Pushes waiting to be sent; beyond this a push is skipped (the message still waits for the device's next connection).</summary>
    public int QueueCapacity { get; set; } = 10_000;
    /// <summary>Pushes in flight at once.</summary>
    public int Concurrency { get; set; } = 16;
    /// <summary>Attempts per push when the push service answers 429 or 5xx.</summary>
    public int MaxAttempts { get; set; } = 5;
    /// <summary>
    /// In a cluster: how long a push waits before it checks that the device has still not acknowledged the message
    /// (it may be connected to another node, which delivered it over its WebSocket).
    /// </summary>
    public int ClusterGraceMilliseconds { get; set; } = 2000;
}

public sealed class TlsOptions
{
    /// <summary>The server certificate: a PEM file (with <see cref="KeyPath"/>) or a PKCS#12 (.pfx/.p12) file. Used by https:// URLs.</summary>
    public string? CertificatePath { get; set; }
    /// <summary>The PEM private key, when the certificate is PEM and its key is in a file of its own.</summary>
    public string? KeyPath { get; set; }
    /// <summary>The PKCS#12 file's password, if it has one.</summary>
    public string? Password { get; set; }
}

public sealed class ClusterOptions
{
    /// <summary>
    /// NATS server(s) the nodes of one cluster share (e.g. nats://10.0.0.5:4222). Set it on every node, together with
    /// PostgreSQL storage and the same content key file; unset means a single node.
    /// </summary>
    public string? NatsUrl { get; set; }
}

public sealed class BusinessOptions
{
    /// <summary>Sends per second for businesses without a limit of their own.</summary>
    public int DefaultRateLimitPerSecond { get; set; } = 1000;
}

public sealed class StorageOptions
{
    public string Provider { get; set; } = "sqlite";
    public string? ConnectionString { get; set; }
    /// <summary>
    /// How long a request waits on a database that does not answer before it gets 503 <c>database_unavailable</c>:
    /// the writer stalled this long refuses writes, and PostgreSQL reads and connection attempts give up after it.
    /// </summary>
    public double TimeoutSeconds { get; set; } = 3;
}

public sealed class ConsumerOptions
{
    /// <summary>Where sign-in codes are POSTed as <c>{"phone","code"}</c>; unset in Development means "write to the log".</summary>
    public string? CodeHookUrl { get; set; }
    public int CodeLifetimeSeconds { get; set; } = 600;
    public int CodeMaxAttempts { get; set; } = 5;
    /// <summary>Codes one phone number may be sent per hour.</summary>
    public int CodesPerPhonePerHour { get; set; } = 5;
    /// <summary>Codes one client address may ask for per minute (whatever the numbers).</summary>
    public int CodesPerAddressPerMinute { get; set; } = 30;
}

public sealed class WebhookOptions
{
    /// <summary>Lets callback URLs reach loopback and private networks. For development and tests only.</summary>
    public bool AllowPrivateNetworks { get; set; }
    /// <summary>Events per POST: larger batches let one slow receiver keep up with thousands of events a second.</summary>
    public int BatchSize { get; set; } = 250;
    public int TimeoutSeconds { get; set; } = 10;
    public int Concurrency { get; set; } = 16;
}

public sealed class PrivacyOptions
{
    /// <summary>The AES-256 content key (base64, 32 bytes). Created on first start when absent.</summary>
    public string? KeyFile { get; set; }
    public int MetadataRetentionDays { get; set; } = 30;
}

public sealed class NetworkOptions
{
    /// <summary>Proxies whose X-Forwarded-For is believed (addresses or CIDR ranges).</summary>
    public List<string> TrustedProxies { get; set; } = [];

    /// <summary>
    /// Serve the APIs over plain HTTP outside Development. Only for a node that sits behind a TLS-terminating proxy on
    /// a network of its own and cannot be reached otherwise; a trusted proxy's X-Forwarded-Proto: https is enough
    /// without it.
    /// </summary>
    public bool AllowPlainHttp { get; set; }
}
