-- Standard Webhooks (standardwebhooks.com). Secrets are whsec_<standard base64>: the ones issued before were
-- whsec_<base64url of 32 random bytes, unpadded> (always 43 characters), so each is rewritten to the same 32 bytes in
-- standard base64 (+ for -, / for _, one = of padding). The key does not change, only its spelling.
UPDATE businesses
SET webhook_secret = 'whsec_' || replace(replace(substr(webhook_secret, 7), '-', '+'), '_', '/') || '='
WHERE substr(webhook_secret, 1, 6) = 'whsec_' AND length(webhook_secret) = 49;

-- A rotated-out secret keeps signing (a second signature) until webhook_previous_until (unix ms).
ALTER TABLE businesses ADD COLUMN webhook_previous_secret TEXT;
ALTER TABLE businesses ADD COLUMN webhook_previous_until INTEGER;

-- The webhook-id of the POST that carried the row: set when a POST fails, so its retries carry exactly the same
-- rows under the same id (receivers de-duplicate by it); kept after success as the delivery log's reference.
ALTER TABLE outbox ADD COLUMN webhook_id TEXT;
CREATE INDEX outbox_retrying ON outbox(business_id, webhook_id) WHERE webhook_id IS NOT NULL AND sent_at IS NULL AND abandoned_at IS NULL;
