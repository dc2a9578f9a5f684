using System.Data.Common;
using System.Text;
using Herald.Core.Businesses;
using Herald.Core.Privacy;

namespace Herald.Storage;

/// <summary>
/// The replies inbox: replies wait here, encrypted, until the business's Console takes them (then they are deleted;
/// the Console keeps the conversation in the browser) or for 14 days at most — the same rule as messages' content.
/// </summary>
public sealed class InboxStore(Database database, Writer writer, ContentCipher cipher)
{
    public static readonly TimeSpan MaxWait = TimeSpan.FromDays(14);

    public ReplyDestinations Destinations(string businessId)
    {
        using var c = database.Read();
        return ReplyDestinationNames.Parse(Sql.Scalar<string>(c, null, "SELECT replies_to FROM businesses WHERE id=@b", ("@b", businessId))!);
    }

    public Task SetDestinations(string businessId, ReplyDestinations destinations) =>
        writer.Write((c, tx) => Sql.Exec(c, tx, "UPDATE businesses SET replies_to=@r WHERE id=@b",
            ("@r", ReplyDestinationNames.Of(destinations)), ("@b", businessId)));

    /// <summary>Called by the reply's own transaction (see <see cref="MessageStore.Reply"/>).</summary>
    internal void Add(DbConnection c, DbTransaction tx, string businessId, string replyId, string fromPhone, string? messageId, string text, DateTimeOffset at) =>
        Sql.Exec(c, tx, """
            INSERT INTO inbox_replies (business_id, reply_id, from_phone, message_id, content, received_at)
            VALUES (@b,@id,@from,@m,@content,@t)
            """, ("@b", businessId), ("@id", replyId), ("@from", fromPhone), ("@m", messageId),
            ("@content", cipher.Encrypt(Encoding.UTF8.GetBytes(text), replyId)), ("@t", Sql.Ms(at)));

    /// <summary>The replies waiting for the business, oldest first, after <paramref name="afterSeq"/>.</summary>
    public List<InboxReply> Waiting(string businessId, long afterSeq, int limit)
    {
        using var c = database.Read();
        return Sql.Query(c, null, """
            SELECT seq, reply_id, from_phone, message_id, content, received_at FROM inbox_replies
            WHERE business_id=@b AND seq > @after ORDER BY seq LIMIT @n
            """, r => new InboxReply(r.GetInt64(0), r.GetString(1), r.GetString(2), Sql.Str(r, 3),
                Encoding.UTF8.GetString(cipher.Decrypt((byte[])r.GetValue(4), r.GetString(1))), Sql.Time(r.GetInt64(5))),
            ("@b", businessId), ("@after", afterSeq), ("@n", limit));
    }

    public int Count(string businessId)
    {
        using var c = database.Read();
        return (int)Sql.Scalar<long>(c, null, "SELECT COUNT(*) FROM inbox_replies WHERE business_id=@b", ("@b", businessId));
    }

    /// <summary>The Console has stored these replies: delete them. Another business's ids change nothing.</summary>
    public Task<int> Take(string businessId, IReadOnlyList<string> replyIds) => writer.Write((c, tx) =>
    {
        var deleted = 0;
        foreach (var id in replyIds.Distinct())
            deleted += Sql.Exec(c, tx, "DELETE FROM inbox_replies WHERE business_id=@b AND reply_id=@id", ("@b", businessId), ("@id", id));
        return deleted;
    });

    /// <summary>Replies no Console took within <see cref="MaxWait"/> are deleted, as unfetched message content is.</summary>
    public Task<int> DeleteExpired(DateTimeOffset now) =>
        writer.Write((c, tx) => Sql.Exec(c, tx, "DELETE FROM inbox_replies WHERE received_at < @t", ("@t", Sql.Ms(now - MaxWait))));
}

/// <param name="Seq">the inbox's order; pass the last one seen as <c>after</c></param>
public sealed record InboxReply(long Seq, string ReplyId, string From, string? MessageId, string Text, DateTimeOffset ReceivedAt);
