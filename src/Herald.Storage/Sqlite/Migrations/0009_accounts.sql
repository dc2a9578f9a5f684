-- People who sign in to the Console: the operator team (business_id NULL) and, later, a business's own members.
-- Passwords are PasswordHasher hashes; the TOTP secret is encrypted with the content key; stamp changes whenever a
-- password is reset or the person is removed, which ends their sessions.
CREATE TABLE accounts (
  id            TEXT PRIMARY KEY,
  email         TEXT NOT NULL UNIQUE,   -- lower-cased
  business_id   TEXT,
  role          TEXT NOT NULL,
  password_hash TEXT,                   -- NULL until the invitation is accepted
  totp_secret   BLOB,
  totp_last_step INTEGER NOT NULL DEFAULT 0, -- the last code's time step: a code works once
  stamp         TEXT NOT NULL,
  created_at    INTEGER NOT NULL,
  removed_at    INTEGER
);

-- Invitation and password-reset links: single use, expiring; only the link's hash is kept.
CREATE TABLE account_links (
  id          TEXT PRIMARY KEY,
  token_hash  BLOB NOT NULL UNIQUE,
  account_id  TEXT NOT NULL,
  kind        TEXT NOT NULL,            -- invitation or reset
  totp_secret BLOB NOT NULL,            -- the secret offered for enrolment, encrypted
  created_by  TEXT NOT NULL,
  created_at  INTEGER NOT NULL,
  expires_at  INTEGER NOT NULL,
  used_at     INTEGER
);

-- Operator tokens stay for automation and carry a name, which the audit log shows.
ALTER TABLE operator_tokens ADD COLUMN name TEXT NOT NULL DEFAULT 'bootstrap';

CREATE INDEX audit_log_actor ON audit_log(actor, seq);
CREATE INDEX audit_log_target ON audit_log(target, seq);
