using System.Globalization;
using Herald.Client.Http;

namespace Herald.Client;

/// <summary>
/// The operator API (<c>/admin/v1</c>) with an operator token: businesses, API keys, template review, country
/// policies, the team and its tokens, and the audit log. Thread-safe.
/// </summary>
public sealed partial class HeraldOperatorClient : IDisposable
{
    private readonly ApiTransport _api;
    private readonly HttpClient? _owned;

    /// <summary>A client with its own <see cref="HttpClient"/>.</summary>
    public HeraldOperatorClient(HeraldClientOptions options)
        : this(new HttpClient(), options) => _owned = _api.Http;

    /// <summary>A client over your <see cref="HttpClient"/>; its BaseAddress is set from the options.</summary>
    public HeraldOperatorClient(HttpClient http, HeraldClientOptions options) =>
        _api = new ApiTransport(http, options);

    /// <summary>Creates a business (<see cref="BusinessChanges.Name"/> is required).</summary>
    public Task<BusinessInfo> CreateBusinessAsync(BusinessChanges business, CancellationToken cancel = default) =>
        _api.Send(HttpMethod.Post, "admin/v1/businesses", ApiTransport.Json(business, ClientJson.Default.BusinessChanges), ClientJson.Default.BusinessInfo, cancel);

    /// <summary>Changes the fields that are set; the others keep their value.</summary>
    public Task<BusinessInfo> UpdateBusinessAsync(string businessId, BusinessChanges changes, CancellationToken cancel = default) =>
        _api.Send(HttpMethod.Patch, "admin/v1/businesses/" + Uri.EscapeDataString(businessId), ApiTransport.Json(changes, ClientJson.Default.BusinessChanges),
            ClientJson.Default.BusinessInfo, cancel);

    /// <summary>Every business.</summary>
    public Task<List<BusinessInfo>> ListBusinessesAsync(CancellationToken cancel = default) =>
        _api.Send(HttpMethod.Get, "admin/v1/businesses", null, ClientJson.Default.ListBusinessInfo, cancel);

    /// <summary>One business.</summary>
    public Task<BusinessInfo> GetBusinessAsync(string businessId, CancellationToken cancel = default) =>
        _api.Send(HttpMethod.Get, "admin/v1/businesses/" + Uri.EscapeDataString(businessId), null, ClientJson.Default.BusinessInfo, cancel);

    /// <summary>Issues an API key with every scope that never expires; its clear text is in this answer only.</summary>
    public Task<IssuedApiKey> IssueKeyAsync(string businessId, CancellationToken cancel = default) => IssueKeyAsync(businessId, new KeyRequest(), cancel);

    /// <summary>Issues a named, scoped or expiring API key; its clear text is in this answer only.</summary>
    public Task<IssuedApiKey> IssueKeyAsync(string businessId, KeyRequest key, CancellationToken cancel = default) =>
        _api.Send(HttpMethod.Post, $"admin/v1/businesses/{Uri.EscapeDataString(businessId)}/keys", ApiTransport.Json(key, ClientJson.Default.KeyRequest),
            ClientJson.Default.IssuedApiKey, cancel);

    /// <summary>A business's keys: names, scopes and dates, never the keys.</summary>
    public Task<List<ApiKeyInfo>> ListKeysAsync(string businessId, CancellationToken cancel = default) =>
        _api.Send(HttpMethod.Get, $"admin/v1/businesses/{Uri.EscapeDataString(businessId)}/keys", null, ClientJson.Default.ListApiKeyInfo, cancel);

    /// <summary>Revokes a key at once.</summary>
    public Task RevokeKeyAsync(string businessId, string keyId, CancellationToken cancel = default) =>
        _api.SendNoAnswer(HttpMethod.Delete, $"admin/v1/businesses/{Uri.EscapeDataString(businessId)}/keys/{Uri.EscapeDataString(keyId)}", null, cancel);

    /// <summary>Templates, optionally only those with a <paramref name="status"/> (pending, approved, rejected) or of one business.</summary>
    public Task<List<Template>> ListTemplatesAsync(string? status = null, string? businessId = null, CancellationToken cancel = default)
    {
        var query = new List<string>();
        if (status is not null)
            query.Add("status=" + Uri.EscapeDataString(status));
        if (businessId is not null)
            query.Add("business_id=" + Uri.EscapeDataString(businessId));
        return _api.Send(HttpMethod.Get, "admin/v1/templates" + (query.Count > 0 ? "?" + string.Join('&', query) : ""), null, ClientJson.Default.ListTemplate, cancel);
    }

    /// <summary>Approves a pending template; the business gets <c>template_approved</c>.</summary>
    public Task<Template> ApproveTemplateAsync(string templateId, CancellationToken cancel = default) =>
        _api.Send(HttpMethod.Post, $"admin/v1/templates/{Uri.EscapeDataString(templateId)}/approve", null, ClientJson.Default.Template, cancel);

    /// <summary>Rejects a pending template with the reason the business is told.</summary>
    public Task<Template> RejectTemplateAsync(string templateId, string reason, CancellationToken cancel = default) =>
        _api.Send(HttpMethod.Post, $"admin/v1/templates/{Uri.EscapeDataString(templateId)}/reject", ApiTransport.Json(new RejectRequest(reason), ClientJson.Default.RejectRequest),
            ClientJson.Default.Template, cancel);

    /// <summary>Sets the policy for numbers with this calling code.</summary>
    public Task<CountryPolicy> SetPolicyAsync(string callingCode, bool transactionalRequiresTemplate, CancellationToken cancel = default) =>
        _api.Send(HttpMethod.Put, "admin/v1/policies/" + Uri.EscapeDataString(callingCode),
            ApiTransport.Json(new PolicyRequest(transactionalRequiresTemplate), ClientJson.Default.PolicyRequest), ClientJson.Default.CountryPolicy, cancel);

    /// <summary>Every country policy.</summary>
    public Task<List<CountryPolicy>> ListPoliciesAsync(CancellationToken cancel = default) =>
        _api.Send(HttpMethod.Get, "admin/v1/policies", null, ClientJson.Default.ListCountryPolicy, cancel);

    /// <summary>The audit log, newest first.</summary>
    public Task<List<AuditRecord>> GetAuditLogAsync(int limit = 100, long? before = null, CancellationToken cancel = default) =>
        _api.Send(HttpMethod.Get, "admin/v1/audit?limit=" + limit.ToString(CultureInfo.InvariantCulture)
            + (before is { } b ? "&before=" + b.ToString(CultureInfo.InvariantCulture) : ""), null, ClientJson.Default.ListAuditRecord, cancel);

    /// <summary>Disposes the HttpClient if this client made it.</summary>
    public void Dispose() => _owned?.Dispose();
}
