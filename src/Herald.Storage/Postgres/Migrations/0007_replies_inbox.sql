-- Where a business's replies go: its webhook, the Console's inbox, or both.
ALTER TABLE businesses ADD COLUMN replies_to text NOT NULL DEFAULT 'webhook';

-- Replies waiting for the business's inbox (a Console tab) to take them; the text is encrypted with the content key
-- and the row is deleted once taken, or after 14 days.
CREATE TABLE inbox_replies (
  seq         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  business_id text NOT NULL,
  reply_id    text NOT NULL UNIQUE,
  from_phone  text NOT NULL,
  message_id  text,
  content     bytea NOT NULL,
  received_at bigint NOT NULL
);
CREATE INDEX inbox_replies_business ON inbox_replies(business_id, seq);
