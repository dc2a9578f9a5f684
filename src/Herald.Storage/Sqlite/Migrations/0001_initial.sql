-- Times are unix milliseconds (UTC). Content columns hold AES-GCM ciphertext only, never clear text.
CREATE TABLE businesses (
  id                    TEXT PRIMARY KEY,
  name                  TEXT NOT NULL,
  logo_url              TEXT,
  description           TEXT,
  learn_more_url        TEXT,
  verified              INTEGER NOT NULL DEFAULT 0,
  allowed_ips           TEXT NOT NULL DEFAULT '[]',
  two_way               INTEGER NOT NULL DEFAULT 0,
  rate_limit_per_second INTEGER,
  callback_url          TEXT,
  webhook_secret        TEXT,
  created_at            INTEGER NOT NULL,
  updated_at            INTEGER NOT NULL
);

CREATE TABLE api_keys (
  id          TEXT PRIMARY KEY,
  business_id TEXT NOT NULL REFERENCES businesses(id),
  key_hash    BLOB NOT NULL UNIQUE,
  created_at  INTEGER NOT NULL,
  revoked_at  INTEGER
);
CREATE INDEX api_keys_business ON api_keys(business_id);

CREATE TABLE operator_tokens (
  id         TEXT PRIMARY KEY,
  token_hash BLOB NOT NULL UNIQUE,
  created_at INTEGER NOT NULL
);

CREATE TABLE consumers (
  id         TEXT PRIMARY KEY,
  phone      TEXT NOT NULL UNIQUE,
  created_at INTEGER NOT NULL
);

CREATE TABLE devices (
  id          TEXT PRIMARY KEY,
  consumer_id TEXT NOT NULL REFERENCES consumers(id),
  token_hash  BLOB NOT NULL UNIQUE,
  created_at  INTEGER NOT NULL,
  revoked_at  INTEGER
);
CREATE INDEX devices_consumer ON devices(consumer_id);

CREATE TABLE signin_codes (
  phone      TEXT PRIMARY KEY,
  code_hash  BLOB NOT NULL,
  expires_at INTEGER NOT NULL,
  attempts   INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE messages (
  id           TEXT PRIMARY KEY,
  business_id  TEXT NOT NULL,
  to_phone     TEXT NOT NULL,
  consumer_id  TEXT,
  category     TEXT NOT NULL,
  status       TEXT NOT NULL,
  reason       TEXT,
  tracking     BLOB,          -- encrypted tracking_data, echoed in callbacks
  content      BLOB,          -- encrypted content; NULL once delivered everywhere, expired or failed
  accepted_at  INTEGER NOT NULL,
  expires_at   INTEGER NOT NULL,
  delivered_at INTEGER,
  seen_at      INTEGER,
  ended_at     INTEGER        -- when it expired or failed
);
CREATE INDEX messages_waiting ON messages(consumer_id) WHERE content IS NOT NULL;
CREATE INDEX messages_expiry ON messages(expires_at) WHERE status = 'accepted';
CREATE INDEX messages_age ON messages(accepted_at);

-- Which device has acknowledged which waiting message; dropped with the content.
CREATE TABLE device_receipts (
  message_id TEXT NOT NULL,
  device_id  TEXT NOT NULL,
  PRIMARY KEY (message_id, device_id)
) WITHOUT ROWID;

-- Callback events waiting to be POSTed. seq orders them; per business they go out strictly in seq order.
CREATE TABLE outbox (
  seq             INTEGER PRIMARY KEY AUTOINCREMENT,
  business_id     TEXT NOT NULL,
  event_id        TEXT NOT NULL UNIQUE,
  message_id      TEXT,
  type            TEXT NOT NULL,
  payload         BLOB,        -- encrypted event JSON; NULL once sent
  created_at      INTEGER NOT NULL,
  attempts        INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER NOT NULL,
  sent_at         INTEGER,
  abandoned_at    INTEGER,
  last_error      TEXT
);
CREATE INDEX outbox_pending ON outbox(business_id, seq) WHERE sent_at IS NULL AND abandoned_at IS NULL;
CREATE INDEX outbox_age ON outbox(created_at);
