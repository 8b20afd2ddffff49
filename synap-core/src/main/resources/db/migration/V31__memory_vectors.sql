-- Embeddings stored with the memory (computed once, by the node that indexed it first): index
-- rebuilds and other nodes reuse them instead of running the model. text_hash names the text and
-- model a vector was computed from; a changed text gets a new vector. Vectors are float32
-- little-endian. A deleted memory takes its vector with it (the trigger), whatever deleted it.
CREATE TABLE memory_vectors (
  instance_id  TEXT NOT NULL,
  memory_id    TEXT NOT NULL,
  text_hash    TEXT NOT NULL,
  own          BLOB,
  in_context   BLOB,
  PRIMARY KEY (instance_id, memory_id)
);
CREATE TRIGGER memory_vectors_follow_deletion AFTER DELETE ON memories
BEGIN
  DELETE FROM memory_vectors WHERE instance_id = old.instance_id AND memory_id = old.memory_id;
END;
