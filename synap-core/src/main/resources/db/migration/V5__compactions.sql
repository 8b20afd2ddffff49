-- Conversation compactions: one row per compaction job. A job starts in_progress and ends
-- completed (with its version, the next number for that conversation) or failed. Completed rows
-- are never rewritten, so every version stays readable.
CREATE TABLE compactions (
  compaction_id         TEXT PRIMARY KEY,
  instance_id           TEXT NOT NULL,
  conversation_id       TEXT NOT NULL,
  user_id               TEXT,
  version               INTEGER,
  status                TEXT NOT NULL,
  trigger_type          TEXT NOT NULL,
  strategy_requested    TEXT,
  strategy_used         TEXT,
  target_tokens         INTEGER,
  original_tokens       INTEGER,
  compacted_tokens      INTEGER,
  validation_score      REAL,
  quality_warning       INTEGER NOT NULL DEFAULT 0,
  summarizer            TEXT,
  summary               TEXT,
  current_state_json    TEXT,
  key_extractions_json  TEXT,
  messages_compacted    INTEGER,
  cutoff_message_id     TEXT,
  cutoff_at             INTEGER,
  error                 TEXT,
  initiated_at          INTEGER NOT NULL,
  completed_at          INTEGER
);
CREATE INDEX compactions_conversation ON compactions(instance_id, conversation_id, initiated_at);
CREATE UNIQUE INDEX compactions_version ON compactions(instance_id, conversation_id, version);
-- At most one running job per conversation, even across server nodes sharing the store.
CREATE UNIQUE INDEX compactions_running ON compactions(instance_id, conversation_id) WHERE status = 'in_progress';
