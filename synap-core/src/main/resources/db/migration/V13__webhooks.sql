-- Webhooks per instance and their deliveries. A delivery row is written before the first attempt
-- and carries its schedule (next_attempt_at), so retries survive a restart.
CREATE TABLE webhooks (
  webhook_id   TEXT PRIMARY KEY,
  instance_id  TEXT NOT NULL,
  url          TEXT NOT NULL,
  event_types  TEXT NOT NULL,
  secret       TEXT NOT NULL,
  description  TEXT,
  created_at   INTEGER NOT NULL,
  deleted_at   INTEGER
);
CREATE INDEX webhooks_instance ON webhooks(instance_id);

-- status: pending (due at next_attempt_at), sending (leased until next_attempt_at), delivered, failed.
CREATE TABLE webhook_deliveries (
  delivery_id       TEXT PRIMARY KEY,
  webhook_id        TEXT NOT NULL,
  instance_id       TEXT NOT NULL,
  event_type        TEXT NOT NULL,
  payload           TEXT NOT NULL,
  status            TEXT NOT NULL,
  attempts          INTEGER NOT NULL DEFAULT 0,
  next_attempt_at   INTEGER,
  last_status_code  INTEGER,
  last_error        TEXT,
  created_at        INTEGER NOT NULL,
  delivered_at      INTEGER,
  test              INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries(status, next_attempt_at);
CREATE INDEX webhook_deliveries_webhook ON webhook_deliveries(webhook_id, created_at);
