-- A consumer's latest reply to each business: it opens a 24-hour session in which the business may answer free-form.
CREATE TABLE sessions (
  consumer_id   TEXT NOT NULL,
  business_id   TEXT NOT NULL,
  last_reply_at INTEGER NOT NULL,
  PRIMARY KEY (consumer_id, business_id)
) WITHOUT ROWID;
