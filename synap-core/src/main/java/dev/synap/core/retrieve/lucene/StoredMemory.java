package dev.synap.core.retrieve.lucene;

import java.util.List;

/**
 * What the index keeps about a memory for ranking, without a trip to the store.
 *
 * @param conversationId null when the memory has none
 * @param at when its source turn was said (epoch millis), -1 when unknown
 * @param entityIds the entities it names
 */
public record StoredMemory(String memoryId, long eventDay, double confidence, String conversationId, long at, List<String> entityIds) {}
