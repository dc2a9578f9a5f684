-- People who sign in to the Console: the operator team (business_id NULL) and, later, a business's own members.
-- Passwords are PasswordHasher hashes; the TOTP secret is encrypted with the content key; stamp changes whenever a
-- password is reset or the person is removed, which ends their sessions.
CREATE TABLE accounts (
  id            text PRIMARY KEY,
  email         text NOT NULL UNIQUE,   -- lower-cased
  business_id   text,
  role          text NOT NULL,
  password_hash text,                   -- NULL until the invitation is accepted
  totp_secret   bytea,
  totp_last_step bigint NOT NULL DEFAULT 0, -- the last code's time step: a code works once
  stamp         text NOT NULL,
  created_at    bigint NOT NULL,
  removed_at    bigint
);

-- Invitation and password-reset links: single use, expiring; only the link's hash is kept.
CREATE TABLE account_links (
  id          text PRIMARY KEY,
  token_hash  bytea NOT NULL UNIQUE,
  account_id  text NOT NULL,
  kind        text NOT NULL,            -- invitation or reset
  totp_secret bytea NOT NULL,            -- the secret offered for enrolment, encrypted
  created_by  text NOT NULL,
  created_at  bigint NOT NULL,
  expires_at  bigint NOT NULL,
  used_at     bigint
);

-- Operator tokens stay for automation and carry a name, which the audit log shows.
ALTER TABLE operator_tokens ADD COLUMN name text NOT NULL DEFAULT 'bootstrap';

CREATE INDEX audit_log_actor ON audit_log(actor, seq);
CREATE INDEX audit_log_target ON audit_log(target, seq);
