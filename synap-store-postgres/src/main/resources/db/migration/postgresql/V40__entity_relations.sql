-- PostgreSQL twin of db/migration/V40__entity_relations.sql: entity relations, each stated by one
-- memory, superseded like memories; deleted with their memory.
CREATE TABLE entity_relations (
  relation_id        TEXT PRIMARY KEY,
  instance_id        TEXT NOT NULL,
  user_id            TEXT,
  customer_id        TEXT,
  subject_entity_id  TEXT NOT NULL,
  relation           TEXT NOT NULL,
  object_entity_id   TEXT NOT NULL,
  memory_id          TEXT NOT NULL REFERENCES memories(memory_id) ON DELETE CASCADE,
  status             TEXT NOT NULL,
  superseded_by      TEXT,
  created_at         BIGINT NOT NULL
);
CREATE INDEX entity_relations_subject ON entity_relations(instance_id, subject_entity_id, relation);
CREATE INDEX entity_relations_object ON entity_relations(instance_id, object_entity_id);
CREATE INDEX entity_relations_memory ON entity_relations(memory_id);
