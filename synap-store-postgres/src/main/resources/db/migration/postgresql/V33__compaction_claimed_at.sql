-- When a node started running a compaction job, by the store's node clock (initiated_at is the
-- request's time): a job running far longer than any compaction takes was abandoned by a node
-- that stopped, and gives way to the next one.
ALTER TABLE compactions ADD COLUMN claimed_at BIGINT;
