package dev.synap.bench.anticipation;

import dev.synap.core.anticipate.BundlePlan;
import dev.synap.core.anticipate.Prediction;
import dev.synap.core.anticipate.Predictor;
import dev.synap.core.anticipate.RecentMemories;
import dev.synap.core.anticipate.RetrievalPhase;
import dev.synap.core.retrieve.ContextQuery;
import dev.synap.core.store.MemoryStore;
import java.util.List;
import java.util.function.Consumer;

/**
 * The naive baseline: after every event, push the owner's {@code k} newest memories, whatever the
 * event said. It follows no writes (the planner's update pushes are part of the planner).
 */
final class LastKPredictor implements Predictor {
  private final MemoryStore memories;
  private final int k;

  LastKPredictor(MemoryStore memories, int k) {
    this.memories = memories;
    this.k = k;
  }

  @Override
  public void predict(BundlePlan plan, ContextQuery query, Consumer<Prediction> out) {
    // It searched for nothing, and its bundle must not claim queries it never ran.
    BundlePlan searchedNothing = new BundlePlan(plan.bundleType(), List.of(), List.of(), plan.types(), plan.originPatternId(), plan.confidence(),
        plan.ttlSeconds(), plan.maxItems());
    out.accept(new Prediction(RetrievalPhase.COMPLETE, searchedNothing, RecentMemories.of(memories, query, k)));
  }

  @Override
  public boolean followsWrites() {
    return false;
  }
}
