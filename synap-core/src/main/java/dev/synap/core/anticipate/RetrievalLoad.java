package dev.synap.core.anticipate;

import dev.synap.core.retrieve.ContextQuery;
import dev.synap.core.retrieve.ContextResult;
import dev.synap.core.retrieve.Retriever;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Hybrid retrievals running at once for pushes and reactive requests across all streams, and
 * whether there are more than the cores can embed: then anticipation sheds (see
 * {@link PlanPredictor}) while requests a client is waiting for keep full retrieval.
 * Thread-safe.
 */
public final class RetrievalLoad {
  private final AtomicInteger inFlight = new AtomicInteger();
  private final int busyAt;
  private final BooleanSupplier writeBurst;

  /** @param writeBurst whether the write path is busy (a burst of records is being stored) */
  public RetrievalLoad(int busyAt, BooleanSupplier writeBurst) {
    this.busyAt = Math.max(1, busyAt);
    this.writeBurst = writeBurst;
  }

  /** Busy at as many retrievals as there are cores (at least two). */
  public static RetrievalLoad forCores(BooleanSupplier writeBurst) {
    return new RetrievalLoad(Math.max(2, Runtime.getRuntime().availableProcessors()), writeBurst);
  }

  public boolean overloaded() {
    return inFlight.get() >= busyAt || writeBurst.getAsBoolean();
  }

  /** Runs a retrieval, counted while it runs. */
  public ContextResult retrieve(Retriever retriever, ContextQuery query, Consumer<ContextResult> early) {
    inFlight.incrementAndGet();
    try {
      return retriever.retrieve(query, early);
    } finally {
      inFlight.decrementAndGet();
    }
  }
}
