-- PostgreSQL twin of db/migration/V31__memory_vectors.sql: embeddings stored with the memory
-- (float32 little-endian), valid for the text and model text_hash names; deleted with the memory.
CREATE TABLE memory_vectors (
  instance_id  TEXT NOT NULL,
  memory_id    TEXT NOT NULL REFERENCES memories(memory_id) ON DELETE CASCADE,
  text_hash    TEXT NOT NULL,
  own          BYTEA,
  in_context   BYTEA,
  PRIMARY KEY (instance_id, memory_id)
);
CREATE INDEX memory_vectors_memory ON memory_vectors(memory_id);
