using System.Net;
using Herald.Server.Tests.Infrastructure;
using static Herald.Server.Tests.BusinessApiTests;

namespace Herald.Server.Tests;

/// <summary>
/// A query parameter that does not parse is the client's mistake in every mode: 400 <c>invalid_request</c> naming the
/// parameter, never a 500 (Development used to throw) nor a 400 without <c>errors</c>.
/// </summary>
public sealed class QueryBindingTests
{
    public static TheoryData<string, string, string> Cases()
    {
        var data = new TheoryData<string, string, string>();
        foreach (var environment in new[] { "Production", "Development" })
        {
            data.Add(environment, "/admin/v1/audit?limit=abc", "limit");
            data.Add(environment, "/admin/v1/audit?before=x", "before");
            data.Add(environment, "/admin/v1/audit?limit=99999999999", "limit");
            data.Add(environment, "/v1/stats/daily?days=abc", "days");
            data.Add(environment, "/v1/stats/daily?days=1.5", "days");
            data.Add(environment, "/v1/webhook/deliveries?before=x", "before");
            data.Add(environment, "/v1/webhook/deliveries?limit=abc&before=1", "limit");
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task A_query_parameter_that_does_not_parse_is_400_invalid_request_naming_it(string environment, string path, string parameter)
    {
        await using var host = await HeraldHost.Start(environment: environment);
        var business = await host.CreateBusiness(webhook: false);
        using var client = host.Client(path.StartsWith("/admin/", StringComparison.Ordinal) ? HeraldHost.OperatorToken : business.ApiKey);

        var problem = await AssertProblem(await client.GetAsync(path), HttpStatusCode.BadRequest, "invalid_request");

        var errors = problem.GetProperty("errors");
        Assert.Equal([parameter], errors.EnumerateObject().Select(p => p.Name));
        Assert.False(string.IsNullOrWhiteSpace(errors.GetProperty(parameter).GetString()));
        Assert.DoesNotContain(host.Logs.Lines, l => l.Contains("BadHttpRequestException", StringComparison.Ordinal));
    }
}
