package dev.synap.core.anticipate;

import dev.synap.core.retrieve.ContextQuery;
import dev.synap.core.retrieve.ContextResult;
import dev.synap.core.retrieve.Retriever;
import dev.synap.core.store.MemoryStore;
import java.util.List;
import java.util.function.Consumer;

/**
 * The product's predictor: runs the planner's queries through hybrid retrieval and pushes in two
 * steps. The lexical first pass goes out as soon as it is ready (no model run: a few milliseconds
 * after the event), then what the dense searches add once the query is embedded. The next turn
 * usually continues the current thread, so besides what the event is about the first bundle also
 * carries the owner's {@value #RECENT} newest memories.
 *
 * <p>Shed load, not events: when more retrievals run than the cores can embed, or a write burst
 * is on, the push carries the owner's newest memories instead (one indexed read, no search), as
 * phase {@link RetrievalPhase#SHED} with source {@value #SHED_SOURCE} so the bundle reads as
 * partial. The event is still recorded by the stream.
 */
public final class PlanPredictor implements Predictor {
  static final int RECENT = 3;
  /** The sources_queried value of a push shed under load: not one of the full sources, so clients read the bundle as partial. */
  public static final String SHED_SOURCE = "recent_under_load";

  private final Retriever retriever;
  private final MemoryStore memories;
  private final RetrievalLoad load;

  public PlanPredictor(Retriever retriever, MemoryStore memories, RetrievalLoad load) {
    this.retriever = retriever;
    this.memories = memories;
    this.load = load;
  }

  @Override
  public void predict(BundlePlan plan, ContextQuery query, Consumer<Prediction> out) {
    if (load.overloaded()) {
      ContextResult recent = RecentMemories.of(memories, query, plan.maxItems());
      out.accept(new Prediction(RetrievalPhase.SHED, plan, new ContextResult(recent.items(), recent.tokensUsed(), recent.tokenBudget(),
          recent.budgetExceeded(), recent.mode(), List.of(SHED_SOURCE), 0)));
      return;
    }
    boolean[] firstSent = new boolean[1];
    ContextResult full = load.retrieve(retriever, query, early -> {
      firstSent[0] = true;
      out.accept(new Prediction(RetrievalPhase.FIRST_PASS, plan, RecentMemories.appended(early, RecentMemories.of(memories, query, RECENT))));
    });
    // Without a first pass (a query with no text, the lexical fallback) the recent memories ride on the only bundle.
    out.accept(new Prediction(RetrievalPhase.COMPLETE, plan, firstSent[0] ? full : RecentMemories.appended(full, RecentMemories.of(memories, query, RECENT))));
  }
}
