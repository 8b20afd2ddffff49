-- Claimed extraction work is leased: the node that claimed a message and until when it holds it.
-- Several nodes may share one store (PostgreSQL); a node renews its leases while it lives, and a
-- message whose lease expired (its node died) is taken back by any node. SQLite is opened by one
-- process, so there the columns only record the holder; the semantics are the same.
ALTER TABLE messages ADD COLUMN lease_owner TEXT;
ALTER TABLE messages ADD COLUMN lease_until INTEGER;
