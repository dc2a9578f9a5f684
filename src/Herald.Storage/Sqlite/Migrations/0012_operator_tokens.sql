-- Named operator tokens beyond the bootstrap one: each holds a role (as people do), names who created it, may
-- expire, is revoked rather than deleted (so its name keeps meaning one token in the audit log), and records when it
-- was last used (at most once a minute per token and node). The bootstrap token becomes an owner token.
ALTER TABLE operator_tokens ADD COLUMN role TEXT NOT NULL DEFAULT 'owner';
ALTER TABLE operator_tokens ADD COLUMN created_by TEXT;
ALTER TABLE operator_tokens ADD COLUMN expires_at INTEGER;
ALTER TABLE operator_tokens ADD COLUMN last_used_at INTEGER;
ALTER TABLE operator_tokens ADD COLUMN revoked_at INTEGER;
-- Nodes of a cluster that started at once may each have stored a bootstrap token; names are unique from now on.
UPDATE operator_tokens SET name = 'bootstrap-' || id
  WHERE name = 'bootstrap' AND id <> (SELECT MIN(id) FROM operator_tokens WHERE name = 'bootstrap');
CREATE UNIQUE INDEX operator_tokens_name ON operator_tokens(name);
