-- PostgreSQL twin of db/migration/V2__entities.sql.
CREATE TABLE entities (
  entity_id       TEXT PRIMARY KEY,
  instance_id     TEXT NOT NULL,
  canonical_name  TEXT NOT NULL,
  entity_type     TEXT NOT NULL,
  merged_into     TEXT,
  created_at      BIGINT NOT NULL,
  updated_at      BIGINT NOT NULL
);
CREATE INDEX entities_instance ON entities(instance_id, merged_into);

CREATE TABLE entity_aliases (
  instance_id  TEXT NOT NULL,
  alias_norm   TEXT NOT NULL,
  alias        TEXT NOT NULL,
  entity_id    TEXT NOT NULL REFERENCES entities(entity_id),
  method       TEXT NOT NULL,
  created_at   BIGINT NOT NULL,
  PRIMARY KEY (instance_id, alias_norm)
);
CREATE INDEX entity_aliases_entity ON entity_aliases(entity_id);

CREATE TABLE entity_merges (
  merge_id        BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  instance_id     TEXT NOT NULL,
  from_entity_id  TEXT NOT NULL,
  into_entity_id  TEXT NOT NULL,
  reason          TEXT,
  merged_at       BIGINT NOT NULL
);
CREATE INDEX entity_merges_instance ON entity_merges(instance_id, merged_at);
