-- The SHA-256 of each migration's script (see Migrations.Checksum), so a script edited after it ran is caught at start.
-- Rows applied before this column existed are filled in by the migration runner in this script's transaction: SQL
-- cannot hash the scripts.
ALTER TABLE schema_migrations ADD COLUMN checksum TEXT;
