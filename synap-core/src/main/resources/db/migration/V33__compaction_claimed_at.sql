-- Twin of the PostgreSQL V33 (same schema versions in both dialects): when a node started a
-- compaction job. A SQLite file has one node, which fails its own interrupted jobs at start, so
-- nothing reads it here.
ALTER TABLE compactions ADD COLUMN claimed_at INTEGER;
