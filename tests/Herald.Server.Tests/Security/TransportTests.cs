using System.Net;
using System.Net.Http.Json;
using System.Net.Security;
using System.Diagnostics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using System.Text.RegularExpressions;
using Herald.Server.Tests.Infrastructure;

namespace Herald.Server.Tests.Security;

/// <summary>
/// API8 (security misconfiguration), transport: HTTPS with the operator's certificate, TLS 1.2+ only, HSTS, and no
/// API over plain HTTP outside Development.
/// </summary>
public sealed class TransportTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("herald-tls-").FullName;
    private readonly X509Certificate2 _certificate = SelfSigned();

    private static X509Certificate2 SelfSigned()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=herald.test", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
    }

    private string WritePfx()
    {
        var path = Path.Combine(_dir, "herald.pfx");
        File.WriteAllBytes(path, _certificate.Export(X509ContentType.Pkcs12, "s3cret"));
        return path;
    }

    private (string Cert, string Key) WritePem()
    {
        var cert = Path.Combine(_dir, "herald.crt");
        var key = Path.Combine(_dir, "herald.key");
        File.WriteAllText(cert, _certificate.ExportCertificatePem());
        File.WriteAllText(key, _certificate.GetECDsaPrivateKey()!.ExportPkcs8PrivateKeyPem());
        return (cert, key);
    }

    private Task<HeraldHost> Start(Dictionary<string, string?> tls, string environment = "Production") =>
        HeraldHost.Start(new Dictionary<string, string?>(tls) { ["Herald:Network:AllowPlainHttp"] = "false" },
            urls: "https://127.0.0.1:0;http://127.0.0.1:0", environment: environment);

    private HttpClient TrustingClient(Uri address, string? bearer = null)
    {
        var handler = new SocketsHttpHandler
        {
            SslOptions = new SslClientAuthenticationOptions
            {
                RemoteCertificateValidationCallback = (_, presented, _, _) => presented is not null && presented.GetCertHashString() == _certificate.GetCertHashString(),
            },
        };
        var client = new HttpClient(handler) { BaseAddress = address };
        if (bearer is not null)
            client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", bearer);
        return client;
    }

    [Fact]
    public async Task The_apis_answer_over_https_with_the_operators_certificate_and_hsts()
    {
        await using var host = await Start(new() { ["Herald:Tls:CertificatePath"] = WritePfx(), ["Herald:Tls:Password"] = "s3cret" });
        var https = host.Addresses.Single(a => a.Scheme == "https");
        using var client = TrustingClient(https, HeraldHost.OperatorToken);

        var response = await client.PostAsJsonAsync("/admin/v1/businesses", new { name = "Acme" });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("max-age=31536000", response.Headers.GetValues("Strict-Transport-Security").Single());
    }

    [Fact]
    public async Task A_pem_certificate_and_key_work_too()
    {
        var (cert, key) = WritePem();
        await using var host = await Start(new() { ["Herald:Tls:CertificatePath"] = cert, ["Herald:Tls:KeyPath"] = key });
        using var client = TrustingClient(host.Addresses.Single(a => a.Scheme == "https"));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/healthz")).StatusCode);
    }

    [Fact]
    public async Task Plain_http_to_any_api_is_refused_with_a_clear_problem_but_health_checks_pass()
    {
        await using var host = await Start(new() { ["Herald:Tls:CertificatePath"] = WritePfx(), ["Herald:Tls:Password"] = "s3cret" });
        using var http = Api.Client(host.Addresses.Single(a => a.Scheme == "http"), HeraldHost.OperatorToken);

        foreach (var path in new[] { "/admin/v1/businesses", "/v1/messages/msg_x", "/consumer/v1/settings", "/app/", "/" })
        {
            var response = await http.GetAsync(path);
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal("https_required", problem.GetProperty("code").GetString());
            Assert.Contains("https://", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        }
        var created = await http.PostAsJsonAsync("/admin/v1/businesses", new { name = "Sneaky" });
        Assert.Equal(HttpStatusCode.Forbidden, created.StatusCode);
        using var admin = TrustingClient(host.Addresses.Single(a => a.Scheme == "https"), HeraldHost.OperatorToken);
        Assert.Empty(await admin.GetFromJsonAsync<List<JsonElement>>("/admin/v1/businesses") ?? []); // the refused request did nothing
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/healthz")).StatusCode);
    }

    [Fact]
    public async Task A_forwarded_proto_header_counts_only_from_a_trusted_proxy()
    {
        await using var trusted = await HeraldHost.Start(new() { ["Herald:Network:AllowPlainHttp"] = "false", ["Herald:Network:TrustedProxies:0"] = "127.0.0.1" });
        using var viaProxy = Api.Client(trusted.BaseAddress, HeraldHost.OperatorToken);
        viaProxy.DefaultRequestHeaders.Add("X-Forwarded-Proto", "https");
        Assert.Equal(HttpStatusCode.OK, (await viaProxy.GetAsync("/admin/v1/businesses")).StatusCode);

        await using var untrusted = await HeraldHost.Start(new() { ["Herald:Network:AllowPlainHttp"] = "false" });
        using var spoofing = Api.Client(untrusted.BaseAddress, HeraldHost.OperatorToken);
        spoofing.DefaultRequestHeaders.Add("X-Forwarded-Proto", "https");
        Assert.Equal(HttpStatusCode.Forbidden, (await spoofing.GetAsync("/admin/v1/businesses")).StatusCode);
    }

    [Fact]
    public async Task Development_mode_serves_plain_http()
    {
        await using var host = await HeraldHost.Start(new() { ["Herald:Network:AllowPlainHttp"] = "false" }, environment: "Development");
        using var http = Api.Client(host.BaseAddress, HeraldHost.OperatorToken);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/admin/v1/businesses")).StatusCode);
    }

    /// <summary>
    /// TLS 1.0 and 1.1 are refused by Herald's own protocol setting, not only by the system's OpenSSL policy. Debian's
    /// policy (security level 2) already refuses them, so a refused handshake under it would prove nothing about
    /// Herald. Here both servers are <c>herald serve</c> in its own process under an OpenSSL configuration that allows
    /// TLS 1.0 and security level 0 (OpenSSL reads OPENSSL_CONF when the process starts, hence a process). The control
    /// serves the same certificate through Kestrel's own default-certificate setting, so without Herald's protocol
    /// setting: it must speak TLS 1.0 and 1.1, or the test fails, since Herald's refusals would again prove nothing.
    /// Herald, given the certificate as an operator gives it, must refuse them with a protocol_version alert and
    /// speak TLS 1.2 and 1.3. The client is the openssl command line under the same configuration (.NET's own client
    /// refuses TLS 1.0 and 1.1 itself).
    /// </summary>
    [Fact]
    public async Task Tls_1_0_and_1_1_are_refused_by_herald_itself_even_where_openssl_allows_them()
    {
        var relaxed = Path.Combine(_dir, "openssl-tls1.cnf");
        File.WriteAllText(relaxed, """
            openssl_conf = default_conf
            [default_conf]
            ssl_conf = ssl_sect
            [ssl_sect]
            system_default = system_default_sect
            [system_default_sect]
            MinProtocol = TLSv1
            CipherString = DEFAULT@SECLEVEL=0
            """);
        var pfx = WritePfx();
        await using var control = HeraldProcess.ServeWithHttps(Path.Combine(_dir, "control"), new Dictionary<string, string>
        {
            ["OPENSSL_CONF"] = relaxed,
            ["Kestrel__Certificates__Default__Path"] = pfx,
            ["Kestrel__Certificates__Default__Password"] = "s3cret",
        });
        await using var herald = HeraldProcess.ServeWithHttps(Path.Combine(_dir, "herald"), new Dictionary<string, string>
        {
            ["OPENSSL_CONF"] = relaxed,
            ["Herald__Tls__CertificatePath"] = pfx,
            ["Herald__Tls__Password"] = "s3cret",
        });
        await Task.WhenAll(control.WaitHealthy(), herald.WaitHealthy());

        foreach (var (option, protocol) in new[] { ("-tls1", "TLSv1"), ("-tls1_1", "TLSv1.1") })
        {
            var spoken = await Handshake(control.HttpsAddress!, option, relaxed);
            Assert.True(spoken.Protocol == protocol,
                $"Control: Kestrel without Herald's protocol setting did not speak {protocol} under {relaxed}, so Herald's refusal " +
                "would prove nothing. Make the configuration allow it again (or, if Herald now restricts protocols without " +
                $"Herald__Tls__CertificatePath too, find another control).\n{spoken.Output}");

            var refused = await Handshake(herald.HttpsAddress!, option, relaxed);
            Assert.True(refused.Protocol is null && refused.Output.Contains("alert protocol version", StringComparison.Ordinal),
                $"Herald did not refuse {protocol} with a protocol_version alert:\n{refused.Output}");
        }
        foreach (var (option, protocol) in new[] { ("-tls1_2", "TLSv1.2"), ("-tls1_3", "TLSv1.3") })
        {
            var spoken = await Handshake(herald.HttpsAddress!, option, relaxed);
            Assert.True(spoken.Protocol == protocol, $"Herald did not speak {protocol}:\n{spoken.Output}");
        }
    }

    /// <summary>
    /// TLS 1.2 is AEAD-only: the CBC suites (flagged by testssl.sh for LUCKY13) are refused by Herald's own cipher
    /// setting, and the GCM and ChaCha20-Poly1305 suites still work. The control is the same program serving the same
    /// certificate through Kestrel's default-certificate setting (without Herald's setting), under the system's own
    /// OpenSSL policy: it must agree at least one CBC suite, or Herald's refusals would prove nothing.
    /// </summary>
    [Fact]
    public async Task Tls_1_2_speaks_only_aead_suites_and_refuses_cbc_ones()
    {
        var pfx = WritePfx();
        await using var control = HeraldProcess.ServeWithHttps(Path.Combine(_dir, "control"), new Dictionary<string, string>
        {
            ["Kestrel__Certificates__Default__Path"] = pfx,
            ["Kestrel__Certificates__Default__Password"] = "s3cret",
        });
        await using var herald = HeraldProcess.ServeWithHttps(Path.Combine(_dir, "herald"), new Dictionary<string, string>
        {
            ["Herald__Tls__CertificatePath"] = pfx,
            ["Herald__Tls__Password"] = "s3cret",
        });
        await Task.WhenAll(control.WaitHealthy(), herald.WaitHealthy());

        string[] cbc = ["ECDHE-ECDSA-AES128-SHA256", "ECDHE-ECDSA-AES256-SHA384", "ECDHE-ECDSA-AES128-SHA", "ECDHE-ECDSA-AES256-SHA"];
        var controlSpoke = new List<string>();
        foreach (var cipher in cbc)
        {
            if ((await Handshake(control.HttpsAddress!, "-tls1_2", opensslConf: null, cipher)).Cipher == cipher)
                controlSpoke.Add(cipher);
            var refused = await Handshake(herald.HttpsAddress!, "-tls1_2", opensslConf: null, cipher);
            Assert.True(refused.Protocol is null, $"Herald agreed the CBC suite {cipher} over TLS 1.2:\n{refused.Output}");
        }
        Assert.True(controlSpoke.Count > 0,
            "Control: Kestrel without Herald's cipher setting agreed none of the CBC suites, so Herald's refusals prove nothing. " +
            "Find a control that speaks them (or, if the system policy now refuses them all, say so here).");

        foreach (var cipher in new[] { "ECDHE-ECDSA-AES128-GCM-SHA256", "ECDHE-ECDSA-AES256-GCM-SHA384", "ECDHE-ECDSA-CHACHA20-POLY1305" })
        {
            var spoken = await Handshake(herald.HttpsAddress!, "-tls1_2", opensslConf: null, cipher);
            Assert.True(spoken.Protocol == "TLSv1.2" && spoken.Cipher == cipher, $"Herald did not agree {cipher} over TLS 1.2:\n{spoken.Output}");
        }
        var tls13 = await Handshake(herald.HttpsAddress!, "-tls1_3", opensslConf: null);
        Assert.True(tls13.Protocol == "TLSv1.3", $"Herald did not speak TLS 1.3:\n{tls13.Output}");
    }

    /// <summary>
    /// One handshake by <c>openssl s_client -brief</c> forced to one protocol version: the version agreed, or null when
    /// none was, and the suite agreed (OpenSSL's name). -brief prints "CONNECTION ESTABLISHED", "Protocol version: …"
    /// and "Ciphersuite: …" as soon as the handshake is done.
    /// (Without it, the "New, TLSvX, Cipher is …" line gives the cipher's version, not the one agreed, and the
    /// session's "Protocol :" line of a TLS 1.3 session may never be printed if the client quits before the server's
    /// session ticket arrives.)
    /// </summary>
    private static async Task<(string? Protocol, string Output, string? Cipher)> Handshake(Uri server, string protocolOption, string? opensslConf,
        string? cipher = null)
    {
        var start = new ProcessStartInfo("openssl") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { "s_client", "-brief", "-connect", $"127.0.0.1:{server.Port}", protocolOption })
            start.ArgumentList.Add(arg);
        if (cipher is not null)
        {
            start.ArgumentList.Add("-cipher"); // the TLS 1.2 suites offered (TLS 1.3's are set by -ciphersuites)
            start.ArgumentList.Add(cipher);
        }
        if (opensslConf is not null)
            start.Environment["OPENSSL_CONF"] = opensslConf;
        using var openssl = Process.Start(start)!;
        openssl.StandardInput.Close();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var stdout = openssl.StandardOutput.ReadToEndAsync(timeout.Token);
        var stderr = openssl.StandardError.ReadToEndAsync(timeout.Token);
        try
        {
            await openssl.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            openssl.Kill();
            throw;
        }
        var output = await stdout + await stderr;

        var agreed = Regex.Match(output, @"^CONNECTION ESTABLISHED\r?\nProtocol version: (\S+)", RegexOptions.Multiline);
        var suite = Regex.Match(output, @"^Ciphersuite: (\S+)", RegexOptions.Multiline);
        return (agreed.Success ? agreed.Groups[1].Value : null, output, suite.Success ? suite.Groups[1].Value : null);
    }

    public void Dispose()
    {
        _certificate.Dispose();
        Directory.Delete(_dir, recursive: true);
    }
}
