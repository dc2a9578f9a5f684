-- Herald on PostgreSQL: the same tables as the embedded SQLite store (see ../../Sqlite/Migrations), in PostgreSQL's
-- types. Times are unix milliseconds (UTC). Content columns hold AES-GCM ciphertext only, never clear text.
-- docs/scaling.md says how to distribute these tables by recipient (Citus): messages carries to_phone in its key.
CREATE TABLE businesses (
  id                    text PRIMARY KEY,
  name                  text NOT NULL,
  logo_url              text,
  description           text,
  learn_more_url        text,
  verified              boolean NOT NULL DEFAULT false,
  allowed_ips           text NOT NULL DEFAULT '[]',
  two_way               boolean NOT NULL DEFAULT false,
  rate_limit_per_second integer,
  callback_url          text,
  webhook_secret        text,
  created_at            bigint NOT NULL,
  updated_at            bigint NOT NULL
);

CREATE TABLE api_keys (
  id          text PRIMARY KEY,
  business_id text NOT NULL REFERENCES businesses(id),
  key_hash    bytea NOT NULL UNIQUE,
  created_at  bigint NOT NULL,
  revoked_at  bigint
);
CREATE INDEX api_keys_business ON api_keys(business_id);

CREATE TABLE operator_tokens (
  id         text PRIMARY KEY,
  token_hash bytea NOT NULL UNIQUE,
  created_at bigint NOT NULL
);

CREATE TABLE consumers (
  id                text PRIMARY KEY,
  phone             text NOT NULL UNIQUE,
  created_at        bigint NOT NULL,
  business_messages boolean NOT NULL DEFAULT true,
  promotional       boolean NOT NULL DEFAULT true,
  restricted_at     bigint
);

CREATE TABLE devices (
  id          text PRIMARY KEY,
  consumer_id text NOT NULL REFERENCES consumers(id),
  token_hash  bytea NOT NULL UNIQUE,
  created_at  bigint NOT NULL,
  revoked_at  bigint
);
CREATE INDEX devices_consumer ON devices(consumer_id);

CREATE TABLE signin_codes (
  phone      text PRIMARY KEY,
  code_hash  bytea NOT NULL,
  expires_at bigint NOT NULL,
  attempts   integer NOT NULL DEFAULT 0
);

-- Keyed by recipient first, so the table can be distributed by to_phone; seq orders a consumer's waiting messages.
CREATE TABLE messages (
  to_phone     text NOT NULL,
  id           text NOT NULL,
  seq          bigint GENERATED ALWAYS AS IDENTITY,
  business_id  text NOT NULL,
  consumer_id  text,
  category     text NOT NULL,
  status       text NOT NULL,
  reason       text,
  tracking     bytea,
  content      bytea,
  accepted_at  bigint NOT NULL,
  expires_at   bigint NOT NULL,
  delivered_at bigint,
  seen_at      bigint,
  ended_at     bigint,
  PRIMARY KEY (to_phone, id)
);
CREATE INDEX messages_id ON messages(id);
CREATE INDEX messages_waiting ON messages(consumer_id) WHERE content IS NOT NULL;
CREATE INDEX messages_expiry ON messages(expires_at) WHERE status = 'accepted';
CREATE INDEX messages_age ON messages(accepted_at);

CREATE TABLE device_receipts (
  message_id text NOT NULL,
  device_id  text NOT NULL,
  PRIMARY KEY (message_id, device_id)
);

CREATE TABLE outbox (
  seq             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  business_id     text NOT NULL,
  event_id        text NOT NULL UNIQUE,
  message_id      text,
  type            text NOT NULL,
  payload         bytea,
  created_at      bigint NOT NULL,
  attempts        integer NOT NULL DEFAULT 0,
  next_attempt_at bigint NOT NULL,
  sent_at         bigint,
  abandoned_at    bigint,
  last_error      text
);
CREATE INDEX outbox_pending ON outbox(business_id, seq) WHERE sent_at IS NULL AND abandoned_at IS NULL;
CREATE INDEX outbox_age ON outbox(created_at);

CREATE TABLE templates (
  id          text PRIMARY KEY,
  business_id text NOT NULL REFERENCES businesses(id),
  name        text NOT NULL,
  text        text NOT NULL,
  status      text NOT NULL,
  reason      text,
  created_at  bigint NOT NULL,
  decided_at  bigint
);
CREATE INDEX templates_business ON templates(business_id, created_at);
CREATE INDEX templates_status ON templates(status, created_at);

CREATE TABLE country_policies (
  calling_code                    text PRIMARY KEY,
  transactional_requires_template boolean NOT NULL,
  updated_at                      bigint NOT NULL
);

CREATE TABLE blocks (
  consumer_id text NOT NULL,
  business_id text NOT NULL,
  blocked_at  bigint NOT NULL,
  PRIMARY KEY (consumer_id, business_id)
);

CREATE TABLE idempotency (
  business_id  text NOT NULL,
  key          text NOT NULL,
  request_hash bytea NOT NULL,
  status_code  integer NOT NULL,
  response     bytea NOT NULL,
  created_at   bigint NOT NULL,
  PRIMARY KEY (business_id, key)
);
CREATE INDEX idempotency_age ON idempotency(created_at);

CREATE TABLE audit_log (
  seq     bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  at      bigint NOT NULL,
  actor   text NOT NULL,
  action  text NOT NULL,
  target  text NOT NULL,
  details text
);
