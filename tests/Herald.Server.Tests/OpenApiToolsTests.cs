using System.Net.Http.Json;
using System.Text.Json;
using Herald.Server.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Herald.Server.Tests;

/// <summary>
/// The served document through tools Herald's code had no hand in (pinned in tools/openapi-check): two linters, then
/// openapi-typescript's types and a client compiled with <c>tsc --strict</c> that does the README walk-through
/// against the real server. Each linter's warnings must be among those docs/api.md lists and justifies.
/// </summary>
public sealed class OpenApiToolsTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const string OperatorToken = "hop_openapi_tools_test";
    private static readonly string[] s_redoclyJustified = ["operation-4xx-response", "operation-2xx-response"];
    private static readonly string[] s_spectralJustified = ["info-contact", "operation-success-response"];
    private readonly string _data = Path.Combine(Path.GetTempPath(), "herald-openapi-tools-" + Guid.NewGuid().ToString("N"));
    private TestStore _store = null!;

    public async Task InitializeAsync() => _store = await TestStore.Create();

    [Fact]
    public async Task Linters_pass_and_a_strict_TypeScript_client_generated_from_the_document_does_the_walk_through()
    {
        var tool = await NodeTool.Installed("openapi-check", "openapi-typescript");
        await using var herald = HeraldProcess.Serve(_data, new Dictionary<string, string>(_store.Environment) { ["HERALD_BOOTSTRAP_TOKEN"] = OperatorToken });
        await herald.WaitHealthy();
        using var http = new HttpClient { BaseAddress = herald.BaseAddress };
        var generated = Directory.CreateDirectory(Path.Combine(tool, "generated")).FullName;
        var document = Path.Combine(generated, "herald.json");
        await File.WriteAllBytesAsync(document, await http.GetByteArrayAsync("/openapi/v1.json"));

        var (redocly, redoclyOutput) = await Tool(tool, "node_modules/.bin/redocly", $"lint {document} --format json");
        Assert.True(redocly == 0, redoclyOutput);
        var redoclyProblems = FirstJson(redoclyOutput).GetProperty("problems").EnumerateArray().ToList();
        Assert.DoesNotContain(redoclyProblems, p => p.GetProperty("severity").GetString() == "error");
        Assert.All(redoclyProblems, p => Assert.Contains(p.GetProperty("ruleId").GetString(), s_redoclyJustified));

        var (spectral, spectralOutput) = await Tool(tool, "node_modules/.bin/spectral", $"lint {document} -r .spectral.yaml -f json --fail-severity error --quiet");
        Assert.True(spectral == 0, spectralOutput);
        var spectralProblems = FirstJson(spectralOutput).EnumerateArray().ToList();
        Assert.All(spectralProblems, p => Assert.Contains(p.GetProperty("code").GetString(), s_spectralJustified));

        var (types, typesOutput) = await Tool(tool, "node_modules/.bin/openapi-typescript", $"{document} -o {Path.Combine(generated, "herald.d.ts")}");
        Assert.True(types == 0, typesOutput);
        var (tsc, tscOutput) = await Tool(tool, "node_modules/.bin/tsc", "-p tsconfig.json");
        Assert.True(tsc == 0, tscOutput);

        var (walk, walkOutput) = await Tool(tool, "node", $"out/walkthrough.js {herald.BaseAddress.GetLeftPart(UriPartial.Authority)} {OperatorToken}");
        Assert.True(walk == 0, walkOutput);
        var result = JsonDocument.Parse(walkOutput).RootElement;
        Assert.Equal("failed", result.GetProperty("status").GetString()); // nobody registered the phone
        Assert.Equal("not_registered", result.GetProperty("reason").GetString());
        Assert.Equal("not_found", result.GetProperty("not_found_code").GetString());
        Assert.StartsWith("msg_", result.GetProperty("message_id").GetString(), StringComparison.Ordinal);
    }

    private async Task<(int, string)> Tool(string directory, string program, string arguments)
    {
        var (code, text) = await NodeTool.Run(program == "node" ? "node" : Path.Combine(directory, program), arguments, directory, timeout: TimeSpan.FromMinutes(3));
        output.WriteLine($"$ {program} {arguments} → {code}\n{text}");
        return (code, text);
    }

    /// <summary>The JSON report, past any line a tool prints before it and before what it prints on stderr after.</summary>
    private static JsonElement FirstJson(string text)
    {
        var reader = new Utf8JsonReader(System.Text.Encoding.UTF8.GetBytes(text[text.IndexOfAny(['{', '['])..]));
        return JsonElement.ParseValue(ref reader);
    }

    public async Task DisposeAsync()
    {
        await _store.DisposeAsync();
        try { Directory.Delete(_data, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
