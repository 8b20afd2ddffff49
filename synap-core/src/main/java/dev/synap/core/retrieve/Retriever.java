package dev.synap.core.retrieve;

import java.util.function.Consumer;

/** Ranks the memories a query may see. Implementations must honour every id in the query. */
public interface Retriever {
  ContextResult retrieve(ContextQuery query);

  /**
   * Retrieves for a caller that can use an answer before the full one: {@code early} may be called
   * once, before this returns, with a first-pass result (fewer signals, see the implementation);
   * the return value is the full result. By default there is no first pass.
   */
  default ContextResult retrieve(ContextQuery query, Consumer<ContextResult> early) {
    return retrieve(query);
  }
}
