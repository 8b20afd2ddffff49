-- PostgreSQL twin of db/migration/V20__conversation_details.sql: what a transcript ingestion says
-- about its conversation beyond the turns (contract 9.5).
CREATE TABLE conversation_details (
  instance_id        TEXT NOT NULL,
  conversation_id    TEXT NOT NULL,
  external_id        TEXT,
  conversation_type  TEXT,
  started_at         BIGINT,
  ended_at           BIGINT,
  analysis_json      TEXT,
  PRIMARY KEY (instance_id, conversation_id)
);
