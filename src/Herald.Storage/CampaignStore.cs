using System.Data.Common;
using System.Text.Json;
using Herald.Core.Campaigns;
using Herald.Core.Json;
using Herald.Core.Messages;
using Herald.Core.Privacy;

namespace Herald.Storage;

/// <summary>
/// Campaigns, their audiences and their progress. The message and each recipient's params are content: stored
/// encrypted, and dropped once no longer needed (a recipient's params when it is sent to, the message when the
/// campaign ends).
/// </summary>
public sealed class CampaignStore(Database database, Writer writer, ContentCipher cipher)
{
    private const string Columns =
        "id, business_id, name, category, template_id, rate_per_second, state, start_at, recipients, bad_rows, created_at, started_at, ended_at";

    public Task Insert(Campaign campaign, SendMessageRequest message)
    {
        var sealedMessage = cipher.Encrypt(JsonSerializer.SerializeToUtf8Bytes(message, CoreJson.Default.SendMessageRequest), MessageAad(campaign.Id));
        return writer.Write((c, tx) => Sql.Exec(c, tx, $"""
            INSERT INTO campaigns ({Columns}, message) VALUES (@id,@b,@name,@cat,@tpl,@rate,'draft',NULL,0,0,@t,NULL,NULL,@m)
            """, ("@id", campaign.Id), ("@b", campaign.BusinessId), ("@name", campaign.Name), ("@cat", WireNames.Of(campaign.Category)),
            ("@tpl", campaign.TemplateId), ("@rate", campaign.RatePerSecond), ("@t", Sql.Ms(campaign.CreatedAt)), ("@m", sealedMessage)));
    }

    /// <summary>A campaign of this business; another business's id is simply not found.</summary>
    public Campaign? Get(string businessId, string id)
    {
        using var c = database.Read();
        return Sql.Query(c, null, $"SELECT {Columns} FROM campaigns WHERE id=@id AND business_id=@b", Read, ("@id", id), ("@b", businessId)).SingleOrDefault();
    }

    /// <summary>This business's campaigns, newest first.</summary>
    public List<Campaign> List(string businessId, int limit)
    {
        using var c = database.Read();
        return Sql.Query(c, null, $"SELECT {Columns} FROM campaigns WHERE business_id=@b ORDER BY created_at DESC, id DESC LIMIT @n", Read,
            ("@b", businessId), ("@n", limit));
    }

    /// <summary>The message every recipient gets (its template params aside); null once the campaign ended.</summary>
    public SendMessageRequest? Message(string id)
    {
        using var c = database.Read();
        var sealedMessage = Sql.Query(c, null, "SELECT message FROM campaigns WHERE id=@id", r => Sql.Bytes(r, 0), ("@id", id)).SingleOrDefault();
        return sealedMessage is null ? null
            : JsonSerializer.Deserialize(cipher.Decrypt(sealedMessage, MessageAad(id)), CoreJson.Default.SendMessageRequest);
    }

    /// <summary>Empties a draft's audience before a new upload. False when the campaign is no longer a draft.</summary>
    public Task<bool> ClearAudience(string id) => writer.Write((c, tx) =>
    {
        if (!IsDraft(c, tx, id))
            return false;
        Sql.Exec(c, tx, "DELETE FROM campaign_recipients WHERE campaign_id=@id", ("@id", id));
        Sql.Exec(c, tx, "UPDATE campaigns SET recipients=0, bad_rows=0 WHERE id=@id", ("@id", id));
        return true;
    });

    /// <summary>
    /// Adds one chunk of an upload's good rows. Returns the lines whose phone number the audience already has (they
    /// are not added); throws <see cref="CampaignNotEditableException"/> when the campaign left the draft state meanwhile.
    /// </summary>
    public Task<List<long>> AddRecipients(string id, IReadOnlyList<AudienceRow> rows)
    {
        var sealedRows = rows.Select(r => (r.Line, r.Phone, Params: r.Params.Count == 0 ? null
            : cipher.Encrypt(JsonSerializer.SerializeToUtf8Bytes(r.Params, CampaignJson.Default.DictionaryStringString), ParamsAad(id, r.Line)))).ToList();
        return writer.Write((c, tx) =>
        {
            if (!IsDraft(c, tx, id))
                throw new CampaignNotEditableException();
            var duplicates = new List<long>();
            foreach (var row in sealedRows)
            {
                if (Sql.Exec(c, tx, "INSERT INTO campaign_recipients (campaign_id, line, phone, params, state) VALUES (@c,@l,@p,@params,'queued') ON CONFLICT DO NOTHING",
                        ("@c", id), ("@l", row.Line), ("@p", row.Phone), ("@params", row.Params)) == 0)
                    duplicates.Add(row.Line);
            }
            Sql.Exec(c, tx, "UPDATE campaigns SET recipients = recipients + @n WHERE id=@id", ("@n", (long)(sealedRows.Count - duplicates.Count)), ("@id", id));
            return duplicates;
        });
    }

    public Task SetBadRows(string id, long badRows) =>
        writer.Write((c, tx) => Sql.Exec(c, tx, "UPDATE campaigns SET bad_rows=@n WHERE id=@id", ("@n", badRows), ("@id", id)));

    /// <summary>
    /// Moves a campaign to <paramref name="to"/> when <paramref name="allowed"/> says its current state may. Returns
    /// the state it found (null: no such campaign of this business) and whether it moved. Cancelling drops what is
    /// still queued (its params with it); ending drops the message.
    /// </summary>
    public Task<(CampaignState? Found, bool Moved)> Move(string businessId, string id, Func<CampaignState, bool> allowed, CampaignState to,
        DateTimeOffset now, DateTimeOffset? startAt = null) => writer.Write<(CampaignState?, bool)>((c, tx) =>
    {
        var found = Sql.Query(c, tx, $"SELECT state FROM campaigns WHERE id=@id AND business_id=@b{database.LockRows}",
            r => (CampaignState?)CampaignStates.Parse(r.GetString(0)), ("@id", id), ("@b", businessId)).SingleOrDefault();
        if (found is not { } state || !allowed(state))
            return (found, false);
        var ended = CampaignStates.HasEnded(to);
        Sql.Exec(c, tx, """
            UPDATE campaigns SET state=@s, start_at = CASE WHEN @scheduled = 1 THEN @start ELSE start_at END,
              started_at = CASE WHEN @s = 'running' AND started_at IS NULL THEN @t ELSE started_at END,
              ended_at = CASE WHEN @ended = 1 THEN @t ELSE ended_at END,
              message = CASE WHEN @ended = 1 THEN NULL ELSE message END
            WHERE id=@id
            """, ("@s", CampaignStates.Of(to)), ("@scheduled", to == CampaignState.Scheduled ? 1 : 0), ("@start", startAt is { } s ? Sql.Ms(s) : null),
            ("@t", Sql.Ms(now)), ("@ended", ended ? 1 : 0), ("@id", id));
        if (to == CampaignState.Cancelled)
            Sql.Exec(c, tx, "UPDATE campaign_recipients SET state='cancelled', params=NULL, processed_at=@t WHERE campaign_id=@id AND state='queued'",
                ("@t", Sql.Ms(now)), ("@id", id));
        return (state, true);
    });

    /// <summary>
    /// Scheduled campaigns whose start time has come begin running. Looks first with a read: the runner asks ten times
    /// a second, and an idle server should not commit (and fsync) that often.
    /// </summary>
    public async Task<int> StartDue(DateTimeOffset now)
    {
        using (var c = database.Read())
        {
            if (Sql.Query(c, null, "SELECT 1 FROM campaigns WHERE state='scheduled' AND start_at <= @t LIMIT 1", r => 1, ("@t", Sql.Ms(now))).Count == 0)
                return 0;
        }
        return await writer.Write((c, tx) =>
            Sql.Exec(c, tx, "UPDATE campaigns SET state='running', started_at=@t WHERE state='scheduled' AND start_at <= @t", ("@t", Sql.Ms(now))));
    }

    /// <summary>Every running campaign, for the runner.</summary>
    public List<Campaign> Running()
    {
        using var c = database.Read();
        return Sql.Query(c, null, $"SELECT {Columns} FROM campaigns WHERE state='running' ORDER BY started_at, id", Read);
    }

    /// <summary>The next recipients not yet handled, in line order, with their params decrypted.</summary>
    public List<AudienceRow> NextQueued(string id, int count)
    {
        using var c = database.Read();
        return Sql.Query(c, null, "SELECT line, phone, params FROM campaign_recipients WHERE campaign_id=@c AND state='queued' ORDER BY line LIMIT @n",
            r =>
            {
                var line = r.GetInt64(0);
                var sealedParams = Sql.Bytes(r, 2);
                IReadOnlyDictionary<string, string> parameters = sealedParams is null ? new Dictionary<string, string>()
                    : JsonSerializer.Deserialize(cipher.Decrypt(sealedParams, ParamsAad(id, line)), CampaignJson.Default.DictionaryStringString)!;
                return new AudienceRow(line, r.GetString(1), parameters);
            }, ("@c", id), ("@n", count));
    }

    /// <summary>
    /// The part of a send that records which recipient got which message, for <see cref="MessageStore.Accept"/>'s
    /// same transaction. It throws <see cref="CampaignNotRunningException"/> (so nothing of the batch is stored) when
    /// the campaign is no longer running (paused or cancelled since the batch was read), and
    /// <see cref="RecipientAlreadyHandledException"/> when a recipient is no longer queued (another runner got there
    /// first): a recipient is thus marked exactly once, in the transaction that stores its only message.
    /// </summary>
    public Action<DbConnection, DbTransaction> RecordOutcomes(string id, IReadOnlyList<RecipientOutcome> outcomes, DateTimeOffset now) => (c, tx) =>
    {
        // Locks the campaign's row on PostgreSQL: a pause committing meanwhile waits for this batch, or this batch sees it.
        var state = Sql.Query(c, tx, $"SELECT state FROM campaigns WHERE id=@id{database.LockRows}", r => r.GetString(0), ("@id", id)).SingleOrDefault();
        if (state != "running")
            throw new CampaignNotRunningException();
        foreach (var o in outcomes)
        {
            if (Sql.Exec(c, tx, """
                    UPDATE campaign_recipients SET state=@s, message_id=@m, refusal=@r, params=NULL, processed_at=@t
                    WHERE campaign_id=@c AND line=@l AND state='queued'
                    """, ("@s", o.MessageId is null ? "refused" : "accepted"), ("@m", o.MessageId), ("@r", o.Refusal), ("@t", Sql.Ms(now)),
                    ("@c", id), ("@l", o.Line)) == 0)
                throw new RecipientAlreadyHandledException();
        }
    };

    /// <summary>Marks a running campaign completed once nothing is queued. True when it did.</summary>
    public Task<bool> CompleteIfDone(string id, DateTimeOffset now) => writer.Write((c, tx) =>
        Sql.Exec(c, tx, """
            UPDATE campaigns SET state='completed', ended_at=@t, message=NULL
            WHERE id=@id AND state='running' AND NOT EXISTS (SELECT 1 FROM campaign_recipients WHERE campaign_id=@id AND state='queued')
            """, ("@t", Sql.Ms(now)), ("@id", id)) == 1);

    /// <summary>How many recipients are in each state (refused ones by code), and the campaign's messages by status (failed ones by reason).</summary>
    public CampaignCounts Counts(string id)
    {
        using var c = database.Read();
        var recipients = Sql.Query(c, null, "SELECT state, refusal, COUNT(*) FROM campaign_recipients WHERE campaign_id=@c GROUP BY state, refusal",
            r => (State: r.GetString(0), Refusal: Sql.Str(r, 1), Count: r.GetInt64(2)), ("@c", id));
        var messages = Sql.Query(c, null, "SELECT status, reason, COUNT(*) FROM messages WHERE campaign_id=@c GROUP BY status, reason",
            r => (Status: r.GetString(0), Reason: Sql.Str(r, 1), Count: r.GetInt64(2)), ("@c", id));
        return new CampaignCounts(
            recipients.GroupBy(r => r.State).ToDictionary(g => g.Key, g => g.Sum(r => r.Count)),
            recipients.Where(r => r.Refusal is not null).ToDictionary(r => r.Refusal!, r => r.Count),
            messages.GroupBy(m => m.Status).ToDictionary(g => g.Key, g => g.Sum(m => m.Count)),
            messages.Where(m => m.Status == "failed" && m.Reason is not null).ToDictionary(m => m.Reason!, m => m.Count));
    }

    /// <summary>Every recipient with its message's status and times, in line order, read a page at a time. Metadata only.</summary>
    public IEnumerable<RecipientStatus> Statuses(string id, int pageSize = 5000)
    {
        var after = long.MinValue;
        while (true)
        {
            List<RecipientStatus> page;
            using (var c = database.Read())
            {
                page = Sql.Query(c, null, """
                    SELECT r.line, r.phone, r.state, r.message_id, r.refusal, m.status, m.reason, m.accepted_at, m.delivered_at, m.seen_at, m.ended_at
                    FROM campaign_recipients r LEFT JOIN messages m ON m.id = r.message_id
                    WHERE r.campaign_id=@c AND r.line > @after ORDER BY r.line LIMIT @n
                    """, r => new RecipientStatus(r.GetInt64(0), r.GetString(1), Sql.Str(r, 3), Sql.Str(r, 5) ?? r.GetString(2), Sql.Str(r, 4) ?? Sql.Str(r, 6),
                        Sql.Time(r, 7), Sql.Time(r, 8), Sql.Time(r, 9), Sql.Time(r, 10)),
                    ("@c", id), ("@after", after), ("@n", pageSize));
            }
            foreach (var row in page)
                yield return row;
            if (page.Count < pageSize)
                yield break;
            after = page[^1].Line;
        }
    }

    private bool IsDraft(DbConnection c, DbTransaction tx, string id) =>
        Sql.Query(c, tx, $"SELECT state FROM campaigns WHERE id=@id{database.LockRows}", r => r.GetString(0), ("@id", id)).SingleOrDefault() == "draft";

    private static string MessageAad(string id) => id + "/message";
    private static string ParamsAad(string id, long line) => $"{id}/{line}";

    private static Campaign Read(DbDataReader r) => new(
        r.GetString(0), r.GetString(1), r.GetString(2), WireNames.ParseCategory(r.GetString(3)), Sql.Str(r, 4), (int)r.GetInt64(5),
        CampaignStates.Parse(r.GetString(6)), Sql.Time(r, 7), r.GetInt64(8), r.GetInt64(9), Sql.Time(r.GetInt64(10)), Sql.Time(r, 11), Sql.Time(r, 12));
}

public sealed record Campaign(
    string Id, string BusinessId, string Name, MessageCategory Category, string? TemplateId, int RatePerSecond, CampaignState State,
    DateTimeOffset? StartAt, long Recipients, long BadRows, DateTimeOffset CreatedAt, DateTimeOffset? StartedAt, DateTimeOffset? EndedAt);

/// <summary>What the send path made of one recipient: its message's id, or the problem code that refused it.</summary>
public sealed record RecipientOutcome(long Line, string? MessageId, string? Refusal);

/// <param name="Recipients">queued, accepted, refused, cancelled: how many of each (refused ones all counted here too)</param>
/// <param name="Refused">refused recipients by problem code</param>
/// <param name="Messages">the campaign's messages by status</param>
/// <param name="Failed">its failed messages by reason</param>
public sealed record CampaignCounts(
    IReadOnlyDictionary<string, long> Recipients, IReadOnlyDictionary<string, long> Refused,
    IReadOnlyDictionary<string, long> Messages, IReadOnlyDictionary<string, long> Failed);

/// <param name="Status">the message's status; queued, refused or cancelled for a recipient that got none</param>
/// <param name="Reason">the refusal's problem code, or the failed message's reason</param>
public sealed record RecipientStatus(
    long Line, string Phone, string? MessageId, string Status, string? Reason,
    DateTimeOffset? AcceptedAt, DateTimeOffset? DeliveredAt, DateTimeOffset? SeenAt, DateTimeOffset? EndedAt);

public sealed class CampaignNotEditableException() : InvalidOperationException("The campaign is no longer a draft.");
public sealed class CampaignNotRunningException() : InvalidOperationException("The campaign is not running.");
public sealed class RecipientAlreadyHandledException() : InvalidOperationException("A recipient of this batch was already handled.");

[System.Text.Json.Serialization.JsonSerializable(typeof(Dictionary<string, string>))]
internal sealed partial class CampaignJson : System.Text.Json.Serialization.JsonSerializerContext;
