-- Entity registry, one per instance: canonical entities, the names they go by, and merges.
CREATE TABLE entities (
  entity_id       TEXT PRIMARY KEY,
  instance_id     TEXT NOT NULL,
  canonical_name  TEXT NOT NULL,
  entity_type     TEXT NOT NULL,
  merged_into     TEXT,
  created_at      INTEGER NOT NULL,
  updated_at      INTEGER NOT NULL
);
CREATE INDEX entities_instance ON entities(instance_id, merged_into);

-- Every name an entity is known by, normalised (lower case, single spaces); the canonical name too.
CREATE TABLE entity_aliases (
  instance_id  TEXT NOT NULL,
  alias_norm   TEXT NOT NULL,
  alias        TEXT NOT NULL,
  entity_id    TEXT NOT NULL REFERENCES entities(entity_id),
  method       TEXT NOT NULL,
  created_at   INTEGER NOT NULL,
  PRIMARY KEY (instance_id, alias_norm)
);
CREATE INDEX entity_aliases_entity ON entity_aliases(entity_id);

-- Merge history: the absorbed entity keeps its row (merged_into set) so old ids still resolve.
CREATE TABLE entity_merges (
  merge_id        INTEGER PRIMARY KEY AUTOINCREMENT,
  instance_id     TEXT NOT NULL,
  from_entity_id  TEXT NOT NULL,
  into_entity_id  TEXT NOT NULL,
  reason          TEXT,
  merged_at       INTEGER NOT NULL
);
CREATE INDEX entity_merges_instance ON entity_merges(instance_id, merged_at);
