-- Read sync indexes only the reads another device must learn of. messages_seen took an index entry on every seen,
-- at a random place in the index (by consumer): one more page written per message, and most consumers have a
-- single device, for which the entry was never read. read_sync = 1 marks a message seen while its consumer had
-- more than one device; a device signed in later never learns of older reads anyway.
ALTER TABLE messages ADD COLUMN read_sync INTEGER;
UPDATE messages SET read_sync = 1
WHERE seen_at IS NOT NULL AND consumer_id IN (
  SELECT consumer_id FROM devices WHERE revoked_at IS NULL GROUP BY consumer_id HAVING COUNT(*) > 1);
DROP INDEX messages_seen;
CREATE INDEX messages_read_sync ON messages(consumer_id, seen_at) WHERE read_sync = 1;
