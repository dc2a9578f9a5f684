-- Named, scoped, expiring API keys. scopes NULL means every scope (keys issued before scopes existed keep working);
-- otherwise a space-separated list. last_used_at is recorded at most once a minute per key.
ALTER TABLE api_keys ADD COLUMN name TEXT;
ALTER TABLE api_keys ADD COLUMN scopes TEXT;
ALTER TABLE api_keys ADD COLUMN expires_at INTEGER;
ALTER TABLE api_keys ADD COLUMN last_used_at INTEGER;
