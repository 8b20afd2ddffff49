/**
 * The learned ranker: a logistic model over what the retriever already knows about each candidate
 * of the fused head (each signal's rank and normalised score, the blend, term and name overlap,
 * the question's period and "when", recency, confidence, type, length), trained pairwise on the
 * LoCoMo dev file's tune split ({@code synap bench locomo-train}) and shipped as {@code ranker.json}.
 * It re-orders the head only; without the resource (or with {@code learnedRanker} off) the
 * hand-set fusion stands.
 */
package dev.synap.core.retrieve.rank;
