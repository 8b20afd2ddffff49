-- Deletion leaves no trace. The full-text index removes a deleted row's terms at once instead of
-- keeping them, marked deleted, until a later merge ('secure-delete', a persistent setting), and is
-- rebuilt once so that terms of rows deleted before this migration go too. The history of
-- memories already deleted keeps no content (a deletion now clears it, see SqliteMemoryStore).
INSERT INTO memories_fts(memories_fts, rank) VALUES ('secure-delete', 1);
INSERT INTO memories_fts(memories_fts) VALUES ('rebuild');
UPDATE memory_history SET content = NULL WHERE content IS NOT NULL AND memory_id NOT IN (SELECT memory_id FROM memories);
