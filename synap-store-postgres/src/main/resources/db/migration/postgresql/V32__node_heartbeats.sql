-- The nodes sharing this database, each with the last time it said it was alive (epoch ms): live
-- nodes divide per-instance and per-key rate budgets between them. SQLite has no twin (one node).
CREATE TABLE node_heartbeats (
  node_id  TEXT PRIMARY KEY,
  seen_at  BIGINT NOT NULL
);
