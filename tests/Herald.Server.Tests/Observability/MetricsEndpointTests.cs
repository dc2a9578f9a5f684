using System.Net;
using Herald.Server.Tests.Infrastructure;

namespace Herald.Server.Tests.Observability;

/// <summary>/metrics is on the main port for the operator token only: its series name businesses.</summary>
public sealed class MetricsEndpointTests
{
    [Fact]
    public async Task Metrics_are_refused_without_the_operator_token_and_served_with_it()
    {
        await using var host = await HeraldHost.Start();
        var business = await host.CreateBusiness();
        using (var anonymous = host.Client())
        {
            var refused = await anonymous.GetAsync("/metrics");
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
            Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        }
        using (var wrong = host.Client("hop_not-the-operator-token"))
            Assert.Equal(HttpStatusCode.Unauthorized, (await wrong.GetAsync("/metrics")).StatusCode);
        using (var asBusiness = business.Client())
            Assert.Equal(HttpStatusCode.Unauthorized, (await asBusiness.GetAsync("/metrics")).StatusCode);

        await business.SendOk(new { to = "+447700900998", category = "transactional", text = "hi" });
        using var operatorClient = host.Operator();
        var response = await operatorClient.GetAsync("/metrics");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var text = await response.Content.ReadAsStringAsync();
        Assert.Contains("herald_messages_accepted_total{", text, StringComparison.Ordinal);
        Assert.Contains("herald_writer_queue_depth", text, StringComparison.Ordinal);
        Assert.Contains("http_server_request_duration_seconds", text, StringComparison.Ordinal);
    }
}
