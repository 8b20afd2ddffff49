-- Usage analytics: counts and a latency histogram per instance, metric and time bucket
-- (minute / hour / day), in total (group_kind '') and per user or customer.
CREATE TABLE usage_rollups (
  instance_id   TEXT NOT NULL,
  metric        TEXT NOT NULL,
  bucket        TEXT NOT NULL,
  bucket_start  INTEGER NOT NULL,
  group_kind    TEXT NOT NULL DEFAULT '',
  group_key     TEXT NOT NULL DEFAULT '',
  count         INTEGER NOT NULL,
  latency       TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (instance_id, metric, bucket, group_kind, bucket_start, group_key)
);
CREATE INDEX usage_rollups_age ON usage_rollups(bucket, bucket_start);
