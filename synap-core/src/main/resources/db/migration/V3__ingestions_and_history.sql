-- Document and transcript ingestions: one row per accepted create / ingest call. Its status is
-- derived from the messages (chunks or turns) it produced, which carry ingestion_id.
CREATE TABLE ingestions (
  ingestion_id     TEXT PRIMARY KEY,
  instance_id      TEXT NOT NULL,
  document_id      TEXT,
  kind             TEXT NOT NULL,
  content_hash     TEXT NOT NULL,
  user_id          TEXT,
  customer_id      TEXT,
  queued_at        INTEGER NOT NULL,
  UNIQUE (instance_id, kind, document_id)
);

ALTER TABLE messages ADD COLUMN ingestion_id TEXT;
CREATE INDEX messages_ingestion ON messages(ingestion_id);

-- Per-memory history: every change is appended, nothing is rewritten.
CREATE TABLE memory_history (
  seq          INTEGER PRIMARY KEY AUTOINCREMENT,
  instance_id  TEXT NOT NULL,
  memory_id    TEXT NOT NULL,
  action       TEXT NOT NULL,
  content      TEXT,
  status       TEXT,
  at           INTEGER NOT NULL
);
CREATE INDEX memory_history_memory ON memory_history(instance_id, memory_id, seq);
