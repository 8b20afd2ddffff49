-- How many times a worker has claimed a message for extraction. A message that fails (or whose
-- worker or process dies) this many times is marked failed instead of being queued again, so one
-- poisonous message cannot stop extraction for everyone by being retried forever.
ALTER TABLE messages ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0;
