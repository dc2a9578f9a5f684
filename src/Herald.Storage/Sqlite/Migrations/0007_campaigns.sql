-- Campaigns: one message (or approved template) sent to an uploaded audience at a chosen rate. See docs/campaigns.md.
CREATE TABLE campaigns (
  id              TEXT PRIMARY KEY,
  business_id     TEXT NOT NULL,
  name            TEXT NOT NULL,
  category        TEXT NOT NULL,
  template_id     TEXT,
  message         BLOB,            -- encrypted message body (no recipient); NULL once the campaign ended
  rate_per_second INTEGER NOT NULL,
  state           TEXT NOT NULL,   -- draft, scheduled, running, paused, completed, cancelled
  start_at        INTEGER,         -- when a scheduled campaign starts
  recipients      INTEGER NOT NULL DEFAULT 0,
  bad_rows        INTEGER NOT NULL DEFAULT 0,
  created_at      INTEGER NOT NULL,
  started_at      INTEGER,
  ended_at        INTEGER
);
CREATE INDEX campaigns_business ON campaigns(business_id, created_at);
CREATE INDEX campaigns_active ON campaigns(state) WHERE state IN ('scheduled', 'running');

-- One row per good audience line. A queued row becomes accepted (with the message it got) or refused (with the code
-- the send path gave) in the same transaction that stores the message: see CampaignStore.
CREATE TABLE campaign_recipients (
  campaign_id  TEXT NOT NULL,
  line         INTEGER NOT NULL,   -- the line of the uploaded CSV
  phone        TEXT NOT NULL,
  params       BLOB,               -- encrypted template params; NULL once sent
  state        TEXT NOT NULL,      -- queued, accepted, refused, cancelled
  message_id   TEXT,
  refusal      TEXT,
  processed_at INTEGER,
  PRIMARY KEY (campaign_id, line)
) WITHOUT ROWID;
CREATE UNIQUE INDEX campaign_recipients_phone ON campaign_recipients(campaign_id, phone);
CREATE INDEX campaign_recipients_queued ON campaign_recipients(campaign_id, line) WHERE state = 'queued';

ALTER TABLE messages ADD COLUMN campaign_id TEXT;
CREATE INDEX messages_campaign ON messages(campaign_id) WHERE campaign_id IS NOT NULL;
