-- What a transcript ingestion says about its conversation beyond the turns (contract 9.5): the
-- caller's id and type, when it started and ended, and its analysis object. Read back by the
-- summary mode of a user fetch; deleted with the conversation, its user or its customer.
CREATE TABLE conversation_details (
  instance_id        TEXT NOT NULL,
  conversation_id    TEXT NOT NULL,
  external_id        TEXT,
  conversation_type  TEXT,
  started_at         INTEGER,
  ended_at           INTEGER,
  analysis_json      TEXT,
  PRIMARY KEY (instance_id, conversation_id)
);
