-- PostgreSQL twin of db/migration/V6__deletion_leaves_no_trace.sql. The lexical index is a
-- generated column, so a deleted row's terms go with the row; the history of memories already
-- deleted keeps no content.
UPDATE memory_history SET content = NULL WHERE content IS NOT NULL AND memory_id NOT IN (SELECT memory_id FROM memories);
