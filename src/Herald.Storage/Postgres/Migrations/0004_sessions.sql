-- A consumer's latest reply to each business: it opens a 24-hour session in which the business may answer free-form.
CREATE TABLE sessions (
  consumer_id   text NOT NULL,
  business_id   text NOT NULL,
  last_reply_at bigint NOT NULL,
  PRIMARY KEY (consumer_id, business_id)
);
