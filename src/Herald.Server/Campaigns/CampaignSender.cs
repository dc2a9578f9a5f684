using Herald.Server.Delivery;
using Herald.Storage;

namespace Herald.Server.Campaigns;

/// <summary>
/// Sends a campaign's next queued recipients through <see cref="MessageAcceptor"/> — the same validation, templates,
/// country policies, consumer choices and callbacks as <c>POST /v1/messages</c> — with their messages tagged with
/// the campaign.
///
/// Exactly once per recipient, whatever stops the process: each message's id is chosen before the write
/// (<see cref="MessageAcceptor.Prepare"/>), and the recipient's row is moved from <c>queued</c> to <c>accepted</c>
/// with that id (or to <c>refused</c> with the problem code) in the very transaction that inserts the messages
/// (<see cref="CampaignStore.RecordOutcomes"/>). So the database holds either both the message and the recipient's
/// mark, or neither: a crash before the commit leaves the recipient queued and no message stored (the next run sends
/// it, with a new id); after the commit the recipient is no longer queued and is never read again. The row update is
/// conditional on <c>state = 'queued'</c> and on the campaign still running, and the transaction fails whole
/// otherwise — so a pause or cancel stops sending at once, and two runners (a leader change in a cluster) cannot
/// both send to one recipient.
/// </summary>
public sealed class CampaignSender(CampaignStore campaigns, BusinessStore businesses, MessageAcceptor acceptor, TimeProvider time)
{
    /// <summary>Sends to up to <paramref name="count"/> recipients; returns how many were handled (0: none queued, or it stopped running).</summary>
    public async Task<int> SendNext(Campaign campaign, int count)
    {
        if (businesses.Get(campaign.BusinessId) is not { } business || campaigns.Message(campaign.Id) is not { } message)
            return 0;
        var rows = campaigns.NextQueued(campaign.Id, count);
        if (rows.Count == 0)
            return 0;
        var approved = new Dictionary<string, Template?>();
        var batch = new List<NewMessage>(rows.Count);
        var outcomes = new List<RecipientOutcome>(rows.Count);
        foreach (var row in rows)
        {
            var request = message with
            {
                To = row.Phone,
                Template = message.Template is { } template ? template with { Params = new Dictionary<string, string>(row.Params) } : null,
            };
            var (accepted, error) = acceptor.Prepare(business, request, approved);
            if (accepted is not null)
            {
                batch.Add(accepted with { CampaignId = campaign.Id });
                outcomes.Add(new RecipientOutcome(row.Line, accepted.Id, null));
            }
            else
            {
                outcomes.Add(new RecipientOutcome(row.Line, null, error!.Code));
            }
        }
        try
        {
            await acceptor.Store(batch, null, campaigns.RecordOutcomes(campaign.Id, outcomes, time.GetUtcNow()));
        }
        catch (Exception ex) when (ex is CampaignNotRunningException or RecipientAlreadyHandledException)
        {
            return 0; // nothing of the batch was stored
        }
        return rows.Count;
    }
}
