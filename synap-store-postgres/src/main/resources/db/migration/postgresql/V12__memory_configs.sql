-- PostgreSQL twin of the SQLite V12 (same tables and columns; times in milliseconds as BIGINT).
-- Per-instance memory configuration, every version kept. status: pending_review (a draft,
-- editable), active (exactly one per instance once any was applied), superseded, discarded.
CREATE TABLE memory_configs (
  instance_id   TEXT NOT NULL,
  version       BIGINT NOT NULL,
  status        TEXT NOT NULL,
  body          TEXT NOT NULL,
  source        TEXT NOT NULL,
  review_flags  TEXT NOT NULL DEFAULT '[]',
  created_at    BIGINT NOT NULL,
  created_by    TEXT NOT NULL,
  reason        TEXT,
  activated_at  BIGINT,
  apply_mode    TEXT,
  PRIMARY KEY (instance_id, version)
);
CREATE INDEX memory_configs_status ON memory_configs(instance_id, status);

-- The retention job reads each instance's oldest memories.
CREATE INDEX memories_created ON memories(instance_id, created_at);
