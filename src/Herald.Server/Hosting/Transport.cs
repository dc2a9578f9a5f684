using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Herald.Core.Network;
using Herald.Server.Http;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Herald.Server.Hosting;

/// <summary>
/// HTTPS: the operator's certificate on every https:// URL, TLS 1.2 and 1.3 only with AEAD suites only, HSTS on every HTTPS answer, and
/// outside Development no API over plain HTTP (a request that arrives that way is refused, and says how to fix it).
/// </summary>
public static class Transport
{
    public static void ConfigureHttps(KestrelServerOptions kestrel, TlsOptions tls)
    {
        if (string.IsNullOrEmpty(tls.CertificatePath))
            return;
        var certificate = LoadCertificate(tls);
        kestrel.ConfigureHttpsDefaults(https =>
        {
            https.ServerCertificate = certificate;
            https.SslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13;
            // Windows takes its suites from the system (SChannel) policy and cannot be given a list per server.
            https.OnAuthenticate = (_, ssl) =>
            {
                if (!OperatingSystem.IsWindows())
                    ssl.CipherSuitesPolicy = AeadSuites.Policy;
            };
        });
    }

    /// <summary>
    /// Forward-secret AEAD suites only. TLS 1.2's CBC suites (.NET's defaults include ECDHE-…-AES128-SHA256 and
    /// -AES256-SHA384) are left out: their MAC-then-encrypt is what LUCKY13 times, and every client that speaks TLS
    /// 1.2 also speaks GCM. ECDSA and RSA variants, so either kind of certificate works.
    /// </summary>
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    private static class AeadSuites
    {
        public static readonly CipherSuitesPolicy Policy = new(
        [
            TlsCipherSuite.TLS_AES_256_GCM_SHA384,
            TlsCipherSuite.TLS_AES_128_GCM_SHA256,
            TlsCipherSuite.TLS_CHACHA20_POLY1305_SHA256,
            TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
            TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
            TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
            TlsCipherSuite.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
            TlsCipherSuite.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
            TlsCipherSuite.TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256,
        ]);
    }

    private static X509Certificate2 LoadCertificate(TlsOptions tls)
    {
        var path = tls.CertificatePath!;
        if (!File.Exists(path))
            throw new FileNotFoundException($"Herald:Tls:CertificatePath points to {path}, which does not exist.", path);
        var extension = Path.GetExtension(path).ToLowerInvariant();
        if (extension is ".pfx" or ".p12")
            return X509CertificateLoader.LoadPkcs12FromFile(path, tls.Password);
        return string.IsNullOrEmpty(tls.KeyPath)
            ? X509Certificate2.CreateFromPemFile(path)
            : X509Certificate2.CreateFromPemFile(path, tls.KeyPath);
    }

    public static void AddTransport(this IServiceCollection services) =>
        services.AddHsts(hsts =>
        {
            hsts.MaxAge = TimeSpan.FromDays(365);
            hsts.ExcludedHosts.Clear(); // also for hosts named by address: Herald is often reached that way
        });

    public static void UseTransport(this IApplicationBuilder app)
    {
        app.UseHsts();
        var options = app.ApplicationServices.GetRequiredService<IOptions<HeraldOptions>>().Value.Network;
        if (app.ApplicationServices.GetRequiredService<IHostEnvironment>().IsDevelopment() || options.AllowPlainHttp)
            return;
        var trustedProxies = IpAllowlist.Parse(options.TrustedProxies, out _);
        // Not async: a WebSocket request keeps every middleware's state for the socket's life, and this one has none to keep.
        app.Use((context, next) =>
            context.Request.IsHttps || IsHealthProbe(context.Request.Path) || ForwardedOverHttps(context, trustedProxies)
                ? next(context)
                : Problems.Create(StatusCodes.Status403Forbidden, "https_required", "Herald accepts requests over HTTPS only.",
                        "Use the https:// address of this server. Operators: set Herald__Tls__CertificatePath and listen on an https:// URL, " +
                        "or put Herald behind a TLS-terminating proxy listed in Herald__Network__TrustedProxies.")
                    .ExecuteAsync(context));
    }

    /// <summary>Load balancers probe health over plain HTTP; the answers carry no secret.</summary>
    private static bool IsHealthProbe(PathString path) => path == "/healthz" || path.StartsWithSegments("/health");

    /// <summary>A proxy the operator trusts says the client's connection to it was HTTPS.</summary>
    private static bool ForwardedOverHttps(HttpContext context, IpAllowlist trustedProxies) =>
        context.Connection.RemoteIpAddress is { } peer && trustedProxies.Admits(IpAllowlist.Normalize(peer)) &&
        string.Equals(context.Request.Headers["X-Forwarded-Proto"].ToString().Split(',')[^1].Trim(), "https", StringComparison.OrdinalIgnoreCase);
}
