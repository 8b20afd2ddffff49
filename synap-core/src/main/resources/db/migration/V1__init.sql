-- Tenancy: client -> instance -> customer -> user -> conversation.
CREATE TABLE clients (
  client_id   TEXT PRIMARY KEY,
  name        TEXT NOT NULL,
  created_at  INTEGER NOT NULL
);

CREATE TABLE instances (
  instance_id        TEXT PRIMARY KEY,
  client_id          TEXT NOT NULL REFERENCES clients(client_id),
  relationship_mode  TEXT NOT NULL CHECK (relationship_mode IN ('b2c', 'b2b')),
  created_at         INTEGER NOT NULL
);

-- Keys are stored only as SHA-256 hashes; the prefix lets an operator recognise one.
CREATE TABLE api_keys (
  key_id        TEXT PRIMARY KEY,
  instance_id   TEXT NOT NULL REFERENCES instances(instance_id),
  key_hash      TEXT NOT NULL UNIQUE,
  key_prefix    TEXT NOT NULL,
  label         TEXT,
  created_at    INTEGER NOT NULL,
  last_used_at  INTEGER,
  revoked_at    INTEGER
);

CREATE TABLE conversations (
  instance_id      TEXT NOT NULL,
  conversation_id  TEXT NOT NULL,
  user_id          TEXT,
  customer_id      TEXT,
  created_at       INTEGER NOT NULL,
  PRIMARY KEY (instance_id, conversation_id)
);

-- Raw messages double as the durable ingestion queue: status moves
-- queued -> processing -> completed|failed, and the memories a message yields are
-- committed in the same transaction that marks it completed (exactly once).
CREATE TABLE messages (
  seq              INTEGER PRIMARY KEY AUTOINCREMENT,
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
  occurred_at      INTEGER NOT NULL,
  recorded_at      INTEGER NOT NULL,
  dedup_key        TEXT NOT NULL,
  status           TEXT NOT NULL DEFAULT 'queued',
  error            TEXT,
  processed_at     INTEGER,
  UNIQUE (instance_id, dedup_key)
);
CREATE INDEX messages_status ON messages(status, seq);
CREATE INDEX messages_conversation ON messages(instance_id, conversation_id, seq);
CREATE INDEX messages_user ON messages(instance_id, user_id);

CREATE TABLE memories (
  rowid              INTEGER PRIMARY KEY AUTOINCREMENT,
  memory_id          TEXT NOT NULL UNIQUE,
  instance_id        TEXT NOT NULL,
  user_id            TEXT,
  customer_id        TEXT,
  conversation_id    TEXT,
  scope              TEXT NOT NULL,
  memory_type        TEXT NOT NULL,
  content            TEXT NOT NULL,
  confidence         REAL NOT NULL,
  category           TEXT,
  attributes_json    TEXT NOT NULL DEFAULT '{}',
  event_date         TEXT,
  valid_until        TEXT,
  temporal_category  TEXT,
  source_message_ids TEXT NOT NULL DEFAULT '[]',
  status             TEXT NOT NULL DEFAULT 'current',
  created_at         INTEGER NOT NULL,
  updated_at         INTEGER NOT NULL
);
CREATE INDEX memories_user ON memories(instance_id, user_id, status);
CREATE INDEX memories_customer ON memories(instance_id, customer_id, status);
CREATE INDEX memories_conversation ON memories(instance_id, conversation_id, status);

-- Lexical index kept in step with memories by triggers (external-content FTS5).
CREATE VIRTUAL TABLE memories_fts USING fts5(content, content='memories', content_rowid='rowid', tokenize='porter unicode61');
CREATE TRIGGER memories_ai AFTER INSERT ON memories BEGIN
  INSERT INTO memories_fts(rowid, content) VALUES (new.rowid, new.content);
END;
CREATE TRIGGER memories_ad AFTER DELETE ON memories BEGIN
  INSERT INTO memories_fts(memories_fts, rowid, content) VALUES ('delete', old.rowid, old.content);
END;
CREATE TRIGGER memories_au AFTER UPDATE OF content ON memories BEGIN
  INSERT INTO memories_fts(memories_fts, rowid, content) VALUES ('delete', old.rowid, old.content);
  INSERT INTO memories_fts(rowid, content) VALUES (new.rowid, new.content);
END;
