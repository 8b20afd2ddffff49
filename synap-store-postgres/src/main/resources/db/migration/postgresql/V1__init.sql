-- PostgreSQL twin of db/migration/V1__init.sql: same tables, columns and meaning. Times are epoch
-- milliseconds (BIGINT) as in SQLite, so rows move between the two stores unchanged.
CREATE TABLE clients (
  client_id   TEXT PRIMARY KEY,
  name        TEXT NOT NULL,
  created_at  BIGINT NOT NULL
);

CREATE TABLE instances (
  instance_id        TEXT PRIMARY KEY,
  client_id          TEXT NOT NULL REFERENCES clients(client_id),
  relationship_mode  TEXT NOT NULL CHECK (relationship_mode IN ('b2c', 'b2b')),
  created_at         BIGINT NOT NULL
);

CREATE TABLE api_keys (
  key_id        TEXT PRIMARY KEY,
  instance_id   TEXT NOT NULL REFERENCES instances(instance_id),
  key_hash      TEXT NOT NULL UNIQUE,
  key_prefix    TEXT NOT NULL,
  label         TEXT,
  created_at    BIGINT NOT NULL,
  last_used_at  BIGINT,
  revoked_at    BIGINT
);

CREATE TABLE conversations (
  instance_id      TEXT NOT NULL,
  conversation_id  TEXT NOT NULL,
  user_id          TEXT,
  customer_id      TEXT,
  created_at       BIGINT NOT NULL,
  PRIMARY KEY (instance_id, conversation_id)
);

-- Raw messages double as the durable ingestion queue (queued -> processing -> completed|failed).
CREATE TABLE messages (
  seq              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  message_id       TEXT NOT NULL UNIQUE,
  instance_id      TEXT NOT NULL,
  conversation_id  TEXT NOT NULL,
  user_id          TEXT,
  customer_id      TEXT,
  session_id       TEXT,
  role             TEXT NOT NULL,
  kind             TEXT NOT NULL DEFAULT 'message',
  content          TEXT NOT NULL,
  metadata_json    TEXT NOT NULL DEFAULT '{}',
  occurred_at      BIGINT NOT NULL,
  recorded_at      BIGINT NOT NULL,
  dedup_key        TEXT NOT NULL,
  status           TEXT NOT NULL DEFAULT 'queued',
  error            TEXT,
  processed_at     BIGINT,
  UNIQUE (instance_id, dedup_key)
);
CREATE INDEX messages_status ON messages(status, seq);
CREATE INDEX messages_conversation ON messages(instance_id, conversation_id, seq);
CREATE INDEX messages_user ON messages(instance_id, user_id);

-- JSON columns the store queries (attribute keys, entity ids, source message ids) are JSONB; the
-- lexical index is a generated tsvector (English stemming, as SQLite's porter tokenizer) under GIN.
CREATE TABLE memories (
  rowid              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  memory_id          TEXT NOT NULL UNIQUE,
  instance_id        TEXT NOT NULL,
  user_id            TEXT,
  customer_id        TEXT,
  conversation_id    TEXT,
  scope              TEXT NOT NULL,
  memory_type        TEXT NOT NULL,
  content            TEXT NOT NULL,
  confidence         DOUBLE PRECISION NOT NULL,
  category           TEXT,
  attributes_json    JSONB NOT NULL DEFAULT '{}',
  event_date         TEXT,
  valid_until        TEXT,
  temporal_category  TEXT,
  source_message_ids JSONB NOT NULL DEFAULT '[]',
  status             TEXT NOT NULL DEFAULT 'current',
  created_at         BIGINT NOT NULL,
  updated_at         BIGINT NOT NULL,
  content_tsv        TSVECTOR GENERATED ALWAYS AS (to_tsvector('english', content)) STORED
);
CREATE INDEX memories_user ON memories(instance_id, user_id, status);
CREATE INDEX memories_customer ON memories(instance_id, customer_id, status);
CREATE INDEX memories_conversation ON memories(instance_id, conversation_id, status);
CREATE INDEX memories_fts ON memories USING GIN (content_tsv);
