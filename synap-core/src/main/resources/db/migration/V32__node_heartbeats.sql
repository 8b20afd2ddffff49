-- The nodes sharing a database and when each last said it was alive (epoch ms): live nodes divide
-- rate budgets between them. A SQLite file has one node, so nothing writes here; the table keeps
-- the two dialects' schema versions the same.
CREATE TABLE node_heartbeats (
  node_id  TEXT PRIMARY KEY,
  seen_at  INTEGER NOT NULL
);
