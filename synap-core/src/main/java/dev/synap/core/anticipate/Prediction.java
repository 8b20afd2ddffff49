package dev.synap.core.anticipate;

import dev.synap.core.retrieve.ContextResult;

/**
 * One result a {@link Predictor} wants pushed: what it found, for which plan (its bundle type,
 * queries and pattern travel with the bundle), and how far its retrieval got.
 */
public record Prediction(RetrievalPhase phase, BundlePlan plan, ContextResult result) {}
