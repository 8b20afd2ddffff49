package dev.synap.core.retrieve.rank;

import dev.synap.core.model.Memory;

/**
 * What the retriever knows about one candidate of the fused head.
 *
 * @param fused the hand-set blend after confidence, recency and period, divided by the head's best (0..1)
 * @param lexical BM25 over the memory's indexed text
 * @param dense the query against the embedding of the memory's own turn
 * @param contextDense the query against the embedding of the turn in its context
 * @param eventDay epoch day the memory is about
 */
public record Candidate(Memory memory, double fused, Signal lexical, Signal dense, Signal contextDense, long eventDay) {}
