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
    /// The handshake is made by the openssl command line with security level 0, a client that still speaks TLS 1.0
    /// and 1.1 (.NET's own client on this system refuses them itself, which would prove nothing about the server).
    /// Debian's OpenSSL policy also refuses them server-side; Herald's own setting keeps that true on systems whose
    /// policy is looser.
    /// </summary>
    [Theory]
    [InlineData("-tls1_2", true)]
    [InlineData("-tls1_3", true)]
    [InlineData("-tls1_1", false)]
    [InlineData("-tls1", false)]
    public async Task Only_tls_1_2_and_1_3_are_spoken(string protocol, bool accepted)
    {
        await using var host = await Start(new() { ["Herald:Tls:CertificatePath"] = WritePfx(), ["Herald:Tls:Password"] = "s3cret" });
        var https = host.Addresses.Single(a => a.Scheme == "https");
        var start = new ProcessStartInfo("openssl") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { "s_client", "-connect", $"127.0.0.1:{https.Port}", protocol, "-cipher", "DEFAULT@SECLEVEL=0" })
            start.ArgumentList.Add(arg);
        using var openssl = Process.Start(start)!;
        openssl.StandardInput.Close();
        var output = await openssl.StandardOutput.ReadToEndAsync() + await openssl.StandardError.ReadToEndAsync();
        await openssl.WaitForExitAsync();

        // s_client reports the session as "New, <protocol>, Cipher is <cipher>", or "New, (NONE)" when none was agreed.
        var negotiated = Regex.Match(output, @"New, ([^,]+),").Groups[1].Value;
        if (accepted)
            Assert.Equal(protocol == "-tls1_2" ? "TLSv1.2" : "TLSv1.3", negotiated);
        else
            Assert.True(negotiated is "" or "(NONE)" && output.Contains("alert", StringComparison.Ordinal), output);
    }

    public void Dispose()
    {
        _certificate.Dispose();
        Directory.Delete(_dir, recursive: true);
    }
}
