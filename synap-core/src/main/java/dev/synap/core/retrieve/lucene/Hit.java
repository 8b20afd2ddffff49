package dev.synap.core.retrieve.lucene;

/**
 * One match from one signal, by Lucene doc id within a {@link InstanceIndex.View}.
 *
 * @param score the signal's own score: BM25 (unbounded) or cosine mapped to 0..1
 */
public record Hit(int doc, float score) {}
