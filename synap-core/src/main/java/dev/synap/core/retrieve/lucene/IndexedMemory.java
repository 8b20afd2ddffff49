package dev.synap.core.retrieve.lucene;

import dev.synap.core.model.Memory;

/**
 * A memory ready for the index.
 *
 * @param text what BM25 reads: the memory plus the turn(s) it came from and their context
 * @param eventDay epoch day the memory is about (its event date, else when it was said)
 * @param vector unit-length passage embedding of the memory and its own turns (null if not embedded)
 * @param contextVector the same with the context the turns were said in (null if not embedded)
 */
public record IndexedMemory(Memory memory, String text, long eventDay, float[] vector, float[] contextVector) {}
