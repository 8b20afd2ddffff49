-- PostgreSQL twin of the SQLite V10 (same tables and columns; times in milliseconds as BIGINT).
-- Control plane: the deployment's admin credential, key permissions and expiry, instance details,
-- and the audit log (who changed what, and why).

-- Admin keys are distinct from instance keys (prefix sk_admin_) and stored only as SHA-256 hashes.
CREATE TABLE admin_keys (
  key_id        TEXT PRIMARY KEY,
  key_hash      TEXT NOT NULL UNIQUE,
  key_prefix    TEXT NOT NULL,
  label         TEXT,
  created_at    BIGINT NOT NULL,
  last_used_at  BIGINT,
  revoked_at    BIGINT
);

-- '*' grants every permission (keys made before permissions existed keep what they could do).
ALTER TABLE api_keys ADD COLUMN permissions TEXT NOT NULL DEFAULT '*';
-- A key past expires_at is refused; rotation sets it on the old key (its grace period).
ALTER TABLE api_keys ADD COLUMN expires_at BIGINT;
ALTER TABLE api_keys ADD COLUMN rotated_to TEXT;

ALTER TABLE instances ADD COLUMN name TEXT;
ALTER TABLE instances ADD COLUMN description TEXT;
ALTER TABLE instances ADD COLUMN metadata_json TEXT NOT NULL DEFAULT '{}';
ALTER TABLE instances ADD COLUMN status TEXT NOT NULL DEFAULT 'active';
ALTER TABLE instances ADD COLUMN updated_at BIGINT;
ALTER TABLE instances ADD COLUMN archived_at BIGINT;

CREATE TABLE audit_log (
  id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  at           BIGINT NOT NULL,
  actor        TEXT NOT NULL,
  instance_id  TEXT,
  action       TEXT NOT NULL,
  target       TEXT,
  detail       TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_log_instance ON audit_log(instance_id, id);
