-- PostgreSQL twin of db/migration/V5__compactions.sql (there is no V4 in either dialect).
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
  validation_score      DOUBLE PRECISION,
  quality_warning       INTEGER NOT NULL DEFAULT 0,
  summarizer            TEXT,
  summary               TEXT,
  current_state_json    TEXT,
  key_extractions_json  TEXT,
  messages_compacted    INTEGER,
  cutoff_message_id     TEXT,
  cutoff_at             BIGINT,
  error                 TEXT,
  initiated_at          BIGINT NOT NULL,
  completed_at          BIGINT
);
CREATE INDEX compactions_conversation ON compactions(instance_id, conversation_id, initiated_at);
CREATE UNIQUE INDEX compactions_version ON compactions(instance_id, conversation_id, version);
-- At most one running job per conversation, across every node sharing the database.
CREATE UNIQUE INDEX compactions_running ON compactions(instance_id, conversation_id) WHERE status = 'in_progress';
