-- Where a business's replies go: its webhook, the Console's inbox, or both.
ALTER TABLE businesses ADD COLUMN replies_to TEXT NOT NULL DEFAULT 'webhook';

-- Replies waiting for the business's inbox (a Console tab) to take them; the text is encrypted with the content key
-- and the row is deleted once taken, or after 14 days.
CREATE TABLE inbox_replies (
  seq         INTEGER PRIMARY KEY AUTOINCREMENT,
  business_id TEXT NOT NULL,
  reply_id    TEXT NOT NULL UNIQUE,
  from_phone  TEXT NOT NULL,
  message_id  TEXT,
  content     BLOB NOT NULL,
  received_at INTEGER NOT NULL
);
CREATE INDEX inbox_replies_business ON inbox_replies(business_id, seq);
