-- Issue 14: a device's name (from its User-Agent at sign-in), when it was last active, up to when it has learnt
-- what the consumer's other devices read (seen_at of messages after read_synced_at is sent on connect), and its
-- Web Push subscription (one per device: endpoint and the browser's P-256 key and auth secret, base64url).
ALTER TABLE devices ADD COLUMN name text;
ALTER TABLE devices ADD COLUMN last_active_at bigint;
ALTER TABLE devices ADD COLUMN read_synced_at bigint;
ALTER TABLE devices ADD COLUMN push_endpoint text;
ALTER TABLE devices ADD COLUMN push_p256dh text;
ALTER TABLE devices ADD COLUMN push_auth text;

-- Muted senders: their messages still arrive, without a notification. Separate from blocks (unsubscribe).
CREATE TABLE mutes (
  consumer_id text NOT NULL,
  business_id text NOT NULL,
  muted_at    bigint NOT NULL,
  PRIMARY KEY (consumer_id, business_id)
);

-- Read state in step across a consumer's devices: messages seen since a device was last connected.
CREATE INDEX messages_seen ON messages(consumer_id, seen_at) WHERE seen_at IS NOT NULL;
