-- Templates, country policies, consumer opt-outs and rights, idempotency and the operator audit log.
CREATE TABLE templates (
  id          TEXT PRIMARY KEY,
  business_id TEXT NOT NULL REFERENCES businesses(id),
  name        TEXT NOT NULL,
  text        TEXT NOT NULL,
  status      TEXT NOT NULL,     -- pending | approved | rejected
  reason      TEXT,              -- why it was rejected
  created_at  INTEGER NOT NULL,
  decided_at  INTEGER
);
CREATE INDEX templates_business ON templates(business_id, created_at);
CREATE INDEX templates_status ON templates(status, created_at);

CREATE TABLE country_policies (
  calling_code                    TEXT PRIMARY KEY,
  transactional_requires_template INTEGER NOT NULL,
  updated_at                      INTEGER NOT NULL
);

ALTER TABLE consumers ADD COLUMN business_messages INTEGER NOT NULL DEFAULT 1;
ALTER TABLE consumers ADD COLUMN promotional INTEGER NOT NULL DEFAULT 1;
ALTER TABLE consumers ADD COLUMN restricted_at INTEGER;

CREATE TABLE blocks (
  consumer_id TEXT NOT NULL,
  business_id TEXT NOT NULL,
  blocked_at  INTEGER NOT NULL,
  PRIMARY KEY (consumer_id, business_id)
) WITHOUT ROWID;

-- The first answer to an Idempotency-Key, kept 24 hours.
CREATE TABLE idempotency (
  business_id  TEXT NOT NULL,
  key          TEXT NOT NULL,
  request_hash BLOB NOT NULL,
  status_code  INTEGER NOT NULL,
  response     BLOB NOT NULL,
  created_at   INTEGER NOT NULL,
  PRIMARY KEY (business_id, key)
) WITHOUT ROWID;
CREATE INDEX idempotency_age ON idempotency(created_at);

CREATE TABLE audit_log (
  seq     INTEGER PRIMARY KEY AUTOINCREMENT,
  at      INTEGER NOT NULL,
  actor   TEXT NOT NULL,     -- the operator token's id
  action  TEXT NOT NULL,     -- e.g. business.create, key.revoke, template.approve
  target  TEXT NOT NULL,
  details TEXT               -- JSON of what changed; never secrets
);
