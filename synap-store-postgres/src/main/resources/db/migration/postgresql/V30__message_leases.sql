-- PostgreSQL twin of db/migration/V30__message_leases.sql: who holds a claimed message, and until
-- when (epoch milliseconds). Expired leases are taken back by any node.
ALTER TABLE messages ADD COLUMN lease_owner TEXT;
ALTER TABLE messages ADD COLUMN lease_until BIGINT;
CREATE INDEX messages_processing_lease ON messages(lease_until) WHERE status = 'processing';
