package dev.synap.core.retrieve.lucene;

import dev.synap.core.model.Memory;

/**
 * A memory ready for the index.
 *
 * @param text what BM25 and the embedding see: the memory plus the turn(s) it came from
 * @param eventDay epoch day the memory is about (its event date, else when it was said)
 * @param vector unit-length passage embedding of {@code text}
 */
public record IndexedMemory(Memory memory, String text, long eventDay, float[] vector) {}
