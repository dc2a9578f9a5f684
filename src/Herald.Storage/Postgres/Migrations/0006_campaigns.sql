-- Campaigns: one message (or approved template) sent to an uploaded audience at a chosen rate. See docs/campaigns.md.
CREATE TABLE campaigns (
  id              text PRIMARY KEY,
  business_id     text NOT NULL,
  name            text NOT NULL,
  category        text NOT NULL,
  template_id     text,
  message         bytea,            -- encrypted message body (no recipient); NULL once the campaign ended
  rate_per_second bigint NOT NULL,
  state           text NOT NULL,   -- draft, scheduled, running, paused, completed, cancelled
  start_at        bigint,         -- when a scheduled campaign starts
  recipients      bigint NOT NULL DEFAULT 0,
  bad_rows        bigint NOT NULL DEFAULT 0,
  created_at      bigint NOT NULL,
  started_at      bigint,
  ended_at        bigint
);
CREATE INDEX campaigns_business ON campaigns(business_id, created_at);
CREATE INDEX campaigns_active ON campaigns(state) WHERE state IN ('scheduled', 'running');

-- One row per good audience line. A queued row becomes accepted (with the message it got) or refused (with the code
-- the send path gave) in the same transaction that stores the message: see CampaignStore.
CREATE TABLE campaign_recipients (
  campaign_id  text NOT NULL,
  line         bigint NOT NULL,   -- the line of the uploaded CSV
  phone        text NOT NULL,
  params       bytea,               -- encrypted template params; NULL once sent
  state        text NOT NULL,      -- queued, accepted, refused, cancelled
  message_id   text,
  refusal      text,
  processed_at bigint,
  PRIMARY KEY (campaign_id, line)
);
CREATE UNIQUE INDEX campaign_recipients_phone ON campaign_recipients(campaign_id, phone);
CREATE INDEX campaign_recipients_queued ON campaign_recipients(campaign_id, line) WHERE state = 'queued';

ALTER TABLE messages ADD COLUMN campaign_id text;
CREATE INDEX messages_campaign ON messages(campaign_id) WHERE campaign_id IS NOT NULL;
