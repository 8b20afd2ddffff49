-- Subject-relation-object links between entities, each stated by one memory (see core.relate).
-- A relation is current while its own status is 'current' and its memory is current; a newer
-- statement of a single-valued relation (works_at, lives_in, studies_at, partner) sets the older
-- one's status to 'superseded' and names it in superseded_by. Only ids and a relation name: the
-- words stay in the memory. A deleted memory takes its relations with it (the trigger).
CREATE TABLE entity_relations (
  relation_id        TEXT PRIMARY KEY,
  instance_id        TEXT NOT NULL,
  user_id            TEXT,
  customer_id        TEXT,
  subject_entity_id  TEXT NOT NULL,
  relation           TEXT NOT NULL,
  object_entity_id   TEXT NOT NULL,
  memory_id          TEXT NOT NULL,
  status             TEXT NOT NULL,
  superseded_by      TEXT,
  created_at         INTEGER NOT NULL
);
CREATE INDEX entity_relations_subject ON entity_relations(instance_id, subject_entity_id, relation);
CREATE INDEX entity_relations_object ON entity_relations(instance_id, object_entity_id);
CREATE INDEX entity_relations_memory ON entity_relations(memory_id);
CREATE TRIGGER entity_relations_follow_deletion AFTER DELETE ON memories
BEGIN
  DELETE FROM entity_relations WHERE memory_id = old.memory_id;
END;
