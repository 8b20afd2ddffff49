package dev.synap.core.retrieve;

import dev.synap.core.model.Scope;
import dev.synap.core.store.MemoryFilter;
import dev.synap.core.store.MemoryStore;
import java.util.ArrayList;
import java.util.List;

/**
 * BM25 over the system of record's full-text index, restricted to the query's scope. With no
 * query text it returns the scope's newest memories. Scores are squashed into 0..1.
 */
public final class LexicalRetriever implements Retriever {
  private final MemoryStore memories;

  public LexicalRetriever(MemoryStore memories) {
    this.memories = memories;
  }

  @Override
  public ContextResult retrieve(ContextQuery q) {
    long start = System.nanoTime();
    MemoryFilter filter = filterFor(q);
    int candidates = Math.max(q.maxResults() * 3, 30);
    List<ContextItem> ranked = new ArrayList<>();
    List<String> terms = QueryTerms.of(q.queries());
    if (!terms.isEmpty()) {
      for (MemoryStore.LexicalHit hit : memories.searchLexical(filter, terms, candidates)) {
        double s = hit.score() / (hit.score() + 2.0);
        ranked.add(new ContextItem(hit.memory(), s, s, "lexical", Tokens.estimate(hit.memory().content())));
      }
    } else {
      for (var m : memories.list(filter, candidates, 0)) {
        ranked.add(new ContextItem(m, 0.5, 0.0, "recent", Tokens.estimate(m.content())));
      }
    }
    TokenBudget.Fitted fitted = TokenBudget.fit(ranked, q.tokenBudget(), q.maxResults());
    return new ContextResult(fitted.items(), fitted.tokensUsed(), q.tokenBudget(), fitted.exceeded(), q.mode(),
        List.of("lexical"), (System.nanoTime() - start) / 1000);
  }

  /** Maps a query to the store's tenant predicate; the one place scope rules meet storage. */
  public static MemoryFilter filterFor(ContextQuery q) {
    return switch (q.scope()) {
      case CONVERSATION -> new MemoryFilter(q.instanceId(), Scope.CONVERSATION, q.customerId(), q.userId(), q.conversationId(), q.types(), false);
      case USER -> new MemoryFilter(q.instanceId(), Scope.USER, q.customerId(), q.userId(), null, q.types(), false);
      case CUSTOMER -> new MemoryFilter(q.instanceId(), Scope.CUSTOMER, q.customerId(), null, null, q.types(), false);
      case CLIENT -> new MemoryFilter(q.instanceId(), Scope.CLIENT, null, null, null, q.types(), false);
    };
  }
}
