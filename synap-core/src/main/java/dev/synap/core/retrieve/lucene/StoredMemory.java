package dev.synap.core.retrieve.lucene;

/** What the index keeps about a memory for ranking, without a trip to the store. */
public record StoredMemory(String memoryId, long eventDay, double confidence) {}
