package dev.synap.core.anticipate;

import dev.synap.core.retrieve.ContextQuery;
import java.util.function.Consumer;

/**
 * Turns the planner's decision for one event into what gets pushed. The product's predictor is
 * {@link PlanPredictor}; {@link #NONE} turns anticipation off; benchmarks inject their baselines
 * (a naive recency predictor) through the same seam, so a Listen stream never branches on which
 * one runs.
 *
 * <p>Called on the stream's event thread, one event at a time per stream, from many streams at
 * once: implementations keep no per-stream state and may block (the stream then waits).
 */
public interface Predictor {
  /** Anticipation off: nothing is pushed ahead of a request, and new memories are not followed. */
  Predictor NONE = new Predictor() {
    @Override
    public void predict(BundlePlan plan, ContextQuery query, Consumer<Prediction> out) {}

    @Override
    public boolean followsWrites() {
      return false;
    }
  };

  /**
   * Hands {@code out} each result to push for this plan, in order (for instance a first pass and
   * then the complete result); nothing when there is nothing to push. {@code query} is the plan's
   * search, already scoped to the event's owner.
   */
  void predict(BundlePlan plan, ContextQuery query, Consumer<Prediction> out);

  /** Whether memories written later for an owner the stream holds bundles of are pushed as updates. */
  default boolean followsWrites() {
    return true;
  }
}
