-- PostgreSQL twin of db/migration/V7__extraction_attempts.sql.
ALTER TABLE messages ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0;
