using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Herald.Server.Tests.Infrastructure;

namespace Herald.Server.Tests.Campaigns;

/// <summary>
/// /v1/campaigns over real HTTP on a real store (SQLite, or PostgreSQL with HERALD_TEST_STORE=postgres): creating,
/// uploading audiences with bad lines reported by number, the state moves, another business's ids, broken files and
/// rates above the limit.
/// </summary>
public sealed class CampaignApiTests
{
    [Fact]
    public async Task An_upload_keeps_the_good_lines_and_reports_each_bad_one_by_line_number()
    {
        await using var host = await HeraldHost.Start();
        var acme = await host.CreateBusiness();
        using var client = acme.Client();
        var id = await CampaignApi.Create(client);

        var csv = new StringBuilder("phone\n");
        csv.Append(CampaignApi.Phone(1)).Append('\n');   // line 2
        csv.Append("07700900123\n");                      // line 3: not E.164
        csv.Append(CampaignApi.Phone(2)).Append('\n');   // line 4
        csv.Append('\n');                                  // line 5: blank, skipped
        csv.Append(CampaignApi.Phone(1)).Append('\n');   // line 6: duplicate of line 2
        csv.Append("\"+4477009\"00003\"\n");             // line 7: malformed quotes
        csv.Append(CampaignApi.Phone(4)).Append(",extra\n"); // line 8: too many fields
        var report = await CampaignApi.UploadOk(client, id, csv.ToString());

        Assert.Equal(2, report.GetProperty("recipients").GetInt64());
        Assert.Equal(4, report.GetProperty("bad_rows").GetInt64());
        var errors = report.GetProperty("errors").EnumerateArray().Select(e => (e.GetProperty("line").GetInt64(), e.GetProperty("reason").GetString()!)).ToList();
        Assert.Equal([3L, 6, 7, 8], errors.Select(e => e.Item1));
        Assert.StartsWith("phone: must be an E.164", errors[0].Item2);
        Assert.Contains("already in the audience", errors[1].Item2);
        Assert.Equal("malformed quotes", errors[2].Item2);
        Assert.Equal("expected 1 field, found 2", errors[3].Item2);

        var campaign = await CampaignApi.Get(client, id);
        Assert.Equal("draft", campaign.GetProperty("state").GetString());
        Assert.Equal(2, campaign.GetProperty("recipients").GetInt64());
        Assert.Equal(2, campaign.GetProperty("progress").GetProperty("queued").GetInt64());

        // A new upload replaces the audience.
        report = await CampaignApi.UploadOk(client, id, $"phone\n{CampaignApi.Phone(9)}\n");
        Assert.Equal(1, report.GetProperty("recipients").GetInt64());
        Assert.Equal(1, (await CampaignApi.Get(client, id)).GetProperty("progress").GetProperty("queued").GetInt64());
    }

    [Fact]
    public async Task Only_the_first_100_bad_lines_are_listed_and_all_are_counted()
    {
        await using var host = await HeraldHost.Start();
        using var client = (await host.CreateBusiness()).Client();
        var id = await CampaignApi.Create(client);
        var csv = new StringBuilder("phone\n");
        for (var i = 0; i < 250; i++)
            csv.Append(i % 2 == 0 ? "nonsense\n" : CampaignApi.Phone(i) + "\n");
        var report = await CampaignApi.UploadOk(client, id, csv.ToString());
        Assert.Equal(125, report.GetProperty("recipients").GetInt64());
        Assert.Equal(125, report.GetProperty("bad_rows").GetInt64());
        Assert.Equal(100, report.GetProperty("errors").GetArrayLength());
        Assert.Equal(2, report.GetProperty("errors")[0].GetProperty("line").GetInt64());
    }

    [Fact]
    public async Task Broken_files_are_refused_whole_with_a_code()
    {
        await using var host = await HeraldHost.Start();
        using var client = (await host.CreateBusiness()).Client();
        var id = await CampaignApi.Create(client);

        await AssertProblem(await CampaignApi.Upload(client, id, ""), 400, "invalid_csv");
        await AssertProblem(await CampaignApi.Upload(client, id, "number\n+447700900001\n"), 400, "invalid_csv");
        await AssertProblem(await CampaignApi.Upload(client, id, "phone,name\n+447700900001,Ann\n"), 400, "invalid_csv"); // no template: no params
        await AssertProblem(await CampaignApi.Upload(client, id, "phone\n+" + new string('1', 10_000) + "\n"), 400, "invalid_csv"); // a field too long to be anything
        var notUtf8 = new ByteArrayContent([.. "phone\n"u8.ToArray(), 0xff, 0xfe, 0x0a]);
        notUtf8.Headers.ContentType = new("text/csv");
        await AssertProblem(await client.PutAsync($"/v1/campaigns/{id}/audience", notUtf8), 400, "invalid_csv");
        await AssertProblem(await client.PutAsync($"/v1/campaigns/{id}/audience", JsonContent.Create(new { phone = "+447700900001" })), 415, "unsupported_media_type");
        Assert.Equal(0, (await CampaignApi.Get(client, id)).GetProperty("recipients").GetInt64());
        await AssertProblem(await client.PostAsync($"/v1/campaigns/{id}/start", null), 409, "audience_empty");
    }

    [Fact]
    public async Task More_than_a_million_lines_are_refused_and_nothing_is_kept()
    {
        await using var host = await HeraldHost.Start();
        using var client = (await host.CreateBusiness()).Client();
        var id = await CampaignApi.Create(client);
        // Every line bad (so nothing is written) keeps this fast: it is the count of lines that is limited.
        var content = new StreamContent(new LinesStream("phone\n", "x\n", 1_000_001));
        content.Headers.ContentType = new("text/csv");
        await AssertProblem(await client.PutAsync($"/v1/campaigns/{id}/audience", content), 413, "audience_too_large");
        Assert.Equal(0, (await CampaignApi.Get(client, id)).GetProperty("recipients").GetInt64());
    }

    [Fact]
    public async Task Bad_campaigns_are_refused_with_stable_codes()
    {
        await using var host = await HeraldHost.Start();
        var acme = await host.CreateBusiness();
        using var client = acme.Client();

        await AssertProblem(await client.PostAsJsonAsync("/v1/campaigns", new { name = "x", message = new { category = "promotional", text = "hi" }, rate_per_second = 1001 }),
            400, "rate_above_limit");
        await AssertProblem(await client.PostAsJsonAsync("/v1/campaigns", new { name = "x", message = new { category = "transactional", template = new { id = "tpl_nope" } } }),
            400, "template_not_approved");
        await AssertProblem(await client.PostAsJsonAsync("/v1/campaigns", new { name = "x", message = new { category = "transactional", text = "hi", qr = "q" } }),
            400, "content_not_allowed_for_category");
        var invalid = await AssertProblem(await client.PostAsJsonAsync("/v1/campaigns", new { message = new { to = "+447700900001", category = "promotional", text = "hi" } }),
            400, "invalid_request");
        Assert.Equal(["message.to", "name"], invalid.GetProperty("errors").EnumerateObject().Select(p => p.Name).Order());
    }

    [Fact]
    public async Task Pause_resume_and_cancel_move_only_from_the_states_that_allow_them()
    {
        await using var host = await HeraldHost.Start();
        using var client = (await host.CreateBusiness()).Client();
        var id = await CampaignApi.Create(client, rate: 1);
        await CampaignApi.UploadOk(client, id, "phone\n" + string.Join('\n', Enumerable.Range(0, 50).Select(CampaignApi.Phone)) + "\n");

        await AssertProblem(await client.PostAsync($"/v1/campaigns/{id}/pause", null), 409, "campaign_state_conflict"); // a draft
        var started = await CampaignApi.Act(client, id, "start", new { start_at = DateTimeOffset.UtcNow.AddHours(1) });
        Assert.Equal("scheduled", started.GetProperty("state").GetString());
        await AssertProblem(await CampaignApi.Upload(client, id, "phone\n+447700900001\n"), 409, "campaign_not_editable");
        Assert.Equal("paused", (await CampaignApi.Act(client, id, "pause")).GetProperty("state").GetString());
        await AssertProblem(await client.PostAsync($"/v1/campaigns/{id}/start", null), 409, "campaign_state_conflict");
        Assert.Equal("running", (await CampaignApi.Act(client, id, "resume")).GetProperty("state").GetString());
        await Wait.Until(async () => (await CampaignApi.Get(client, id)).GetProperty("progress").GetProperty("accepted").GetInt64() >= 1,
            TimeSpan.FromSeconds(10), "a first send");

        var cancelled = await CampaignApi.Act(client, id, "cancel");
        Assert.Equal("cancelled", cancelled.GetProperty("state").GetString());
        var progress = cancelled.GetProperty("progress");
        Assert.Equal(0, progress.GetProperty("queued").GetInt64());
        Assert.Equal(50, progress.GetProperty("accepted").GetInt64() + progress.GetProperty("cancelled").GetInt64());
        Assert.True(progress.GetProperty("cancelled").GetInt64() >= 40, "at 1 a second, most were never sent");
        await AssertProblem(await client.PostAsync($"/v1/campaigns/{id}/resume", null), 409, "campaign_state_conflict");
        await AssertProblem(await client.PostAsync($"/v1/campaigns/{id}/cancel", null), 409, "campaign_state_conflict");
    }

    [Fact]
    public async Task A_scheduled_campaign_starts_by_itself_when_its_time_comes()
    {
        await using var host = await HeraldHost.Start();
        using var client = (await host.CreateBusiness()).Client();
        var id = await CampaignApi.Create(client);
        await CampaignApi.UploadOk(client, id, $"phone\n{CampaignApi.Phone(1)}\n{CampaignApi.Phone(2)}\n");
        var startAt = DateTimeOffset.UtcNow.AddSeconds(2);
        Assert.Equal("scheduled", (await CampaignApi.Act(client, id, "start", new { start_at = startAt })).GetProperty("state").GetString());
        Assert.Equal(2, (await CampaignApi.Get(client, id)).GetProperty("progress").GetProperty("queued").GetInt64());
        var done = await CampaignApi.WaitForState(client, id, "completed", TimeSpan.FromSeconds(15));
        Assert.True(done.GetProperty("started_at").GetDateTimeOffset() >= startAt.AddMilliseconds(-1));
        Assert.Equal(2, done.GetProperty("progress").GetProperty("accepted").GetInt64());
    }

    [Fact]
    public async Task Another_business_sees_none_of_it()
    {
        await using var host = await HeraldHost.Start();
        using var acme = (await host.CreateBusiness()).Client();
        using var other = (await host.CreateBusiness(name: "Other")).Client();
        var id = await CampaignApi.Create(acme);
        await CampaignApi.UploadOk(acme, id, $"phone\n{CampaignApi.Phone(1)}\n");

        await AssertProblem(await other.GetAsync($"/v1/campaigns/{id}"), 404, "not_found");
        await AssertProblem(await other.GetAsync($"/v1/campaigns/{id}/recipients.csv"), 404, "not_found");
        await AssertProblem(await CampaignApi.Upload(other, id, "phone\n+447700900001\n"), 404, "not_found");
        foreach (var action in new[] { "start", "pause", "resume", "cancel" })
            await AssertProblem(await other.PostAsync($"/v1/campaigns/{id}/{action}", null), 404, "not_found");
        Assert.Empty((await other.GetFromJsonAsync<JsonElement>("/v1/campaigns")).EnumerateArray());
        Assert.Equal(id, (await acme.GetFromJsonAsync<JsonElement>("/v1/campaigns"))[0].GetProperty("id").GetString());
        Assert.Equal("draft", (await CampaignApi.Get(acme, id)).GetProperty("state").GetString());
    }

    [Fact]
    public async Task A_template_campaign_fills_each_message_from_its_line_and_carries_the_campaign_id()
    {
        await using var host = await HeraldHost.Start();
        var acme = await host.CreateBusiness();
        using var client = acme.Client();
        using var op = host.Operator();
        var submitted = await (await client.PostAsJsonAsync("/v1/templates", new { name = "greeting", text = "Hello {{name}}, your code is {{code}}" })).Content.ReadFromJsonAsync<JsonElement>();
        var templateId = submitted.GetProperty("id").GetString()!;
        (await op.PostAsync($"/admin/v1/templates/{templateId}/approve", null)).EnsureSuccessStatusCode();
        var id = await CampaignApi.Create(client, new { category = "transactional", template = new { id = templateId } });

        await AssertProblem(await CampaignApi.Upload(client, id, "phone,name\n+447700900001,Ann\n"), 400, "invalid_csv"); // {{code}} has no column
        const string Ann = "+447700900123";
        var report = await CampaignApi.UploadOk(client, id, $"phone,name,code\n{Ann},\"Ann, Jr.\",42\n{CampaignApi.Phone(1)},Bob,{new string('x', 201)}\n");
        Assert.Equal(1, report.GetProperty("recipients").GetInt64());
        Assert.Equal(3, report.GetProperty("errors")[0].GetProperty("line").GetInt64());

        await using var device = await host.Connect(await host.SignIn(Ann));
        await device.Next("ready");
        await CampaignApi.Act(client, id, "start");
        var pushed = (await device.Next("message")).GetProperty("message");
        Assert.Equal("Hello Ann, Jr., your code is 42", pushed.GetProperty("text").GetString());
        var messageId = pushed.GetProperty("message_id").GetString()!;
        Assert.Equal(id, (await acme.Status(messageId)).GetProperty("campaign_id").GetString());
        await device.Ack("seen", messageId);
        var events = await host.Receiver.WaitForEvents(e => e.Any(x => x.GetProperty("type").GetString() == "seen"));
        Assert.All(events.Where(e => e.TryGetProperty("message_id", out _)), e => Assert.Equal(id, e.GetProperty("campaign_id").GetString()));

        var done = await CampaignApi.WaitForState(client, id, "completed", TimeSpan.FromSeconds(10));
        Assert.Equal(1, done.GetProperty("funnel").GetProperty("seen").GetInt64());
        Assert.Equal(1, done.GetProperty("funnel").GetProperty("delivered").GetInt64());
        var export = await CampaignApi.Export(client, id);
        Assert.Equal(["line", "phone", "message_id", "status", "reason", "accepted_at", "delivered_at", "seen_at", "ended_at"], export[0]);
        Assert.Equal(["2", Ann, messageId, "seen", ""], export[1][..5]);
        Assert.DoesNotContain("Hello", string.Join(",", export.SelectMany(r => r)));
    }

    internal static async Task<JsonElement> AssertProblem(HttpResponseMessage response, int status, string code)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode == status, $"{(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var json = JsonDocument.Parse(body).RootElement;
        Assert.Equal(code, json.GetProperty("code").GetString());
        return json;
    }

    /// <summary>A header, then one line repeated, produced as it is read: a big upload without a big buffer.</summary>
    private sealed class LinesStream(string header, string line, int count) : Stream
    {
        private readonly byte[] _line = Encoding.UTF8.GetBytes(line);
        private byte[] _current = Encoding.UTF8.GetBytes(header);
        private int _left = count; // lines still to start
        private int _offset;

        public override int Read(byte[] buffer, int offset, int length)
        {
            var written = 0;
            while (written < length)
            {
                if (_offset == _current.Length)
                {
                    if (_left == 0)
                        break;
                    (_current, _offset) = (_line, 0);
                    _left--;
                }
                var n = Math.Min(length - written, _current.Length - _offset);
                Array.Copy(_current, _offset, buffer, offset + written, n);
                (written, _offset) = (written + n, _offset + n);
            }
            return written;
        }

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
