-- Named, scoped, expiring API keys. scopes NULL means every scope (keys issued before scopes existed keep working);
-- otherwise a space-separated list. last_used_at is recorded at most once a minute per key.
ALTER TABLE api_keys ADD COLUMN name text;
ALTER TABLE api_keys ADD COLUMN scopes text;
ALTER TABLE api_keys ADD COLUMN expires_at bigint;
ALTER TABLE api_keys ADD COLUMN last_used_at bigint;
