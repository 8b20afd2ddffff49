-- PostgreSQL twin of db/migration/V3__ingestions_and_history.sql.
CREATE TABLE ingestions (
  ingestion_id     TEXT PRIMARY KEY,
  instance_id      TEXT NOT NULL,
  document_id      TEXT,
  kind             TEXT NOT NULL,
  content_hash     TEXT NOT NULL,
  user_id          TEXT,
  customer_id      TEXT,
  queued_at        BIGINT NOT NULL,
  UNIQUE (instance_id, kind, document_id)
);

ALTER TABLE messages ADD COLUMN ingestion_id TEXT;
CREATE INDEX messages_ingestion ON messages(ingestion_id);

CREATE TABLE memory_history (
  seq          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  instance_id  TEXT NOT NULL,
  memory_id    TEXT NOT NULL,
  action       TEXT NOT NULL,
  content      TEXT,
  status       TEXT,
  at           BIGINT NOT NULL
);
CREATE INDEX memory_history_memory ON memory_history(instance_id, memory_id, seq);
