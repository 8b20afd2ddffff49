package dev.synap.core.anticipate;

import dev.synap.core.model.Memory;
import dev.synap.core.retrieve.ContextItem;
import dev.synap.core.retrieve.ContextQuery;
import dev.synap.core.retrieve.ContextResult;
import dev.synap.core.retrieve.LexicalRetriever;
import dev.synap.core.retrieve.TokenBudget;
import dev.synap.core.retrieve.Tokens;
import dev.synap.core.store.MemoryStore;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** The owner's newest memories, whatever the event said: one indexed read, no search. */
public final class RecentMemories {
  /** The source name of items and results chosen by recency. */
  public static final String SOURCE = "recent";

  /** How many newest memories are read per item wanted, so that typed ones can go before evidence. */
  static final int EVIDENCE_READ_FACTOR = 3;

  private RecentMemories() {}

  /**
   * The {@code k} newest memories in the query's scope, fitted to its token budget: typed memories
   * first (among the newest {@code EVIDENCE_READ_FACTOR * k}), source evidence only to fill up, since
   * a user's standing context is what is known about them, not the sentences quoted last.
   */
  public static ContextResult of(MemoryStore memories, ContextQuery q, int k) {
    List<Memory> newest = memories.list(LexicalRetriever.filterFor(q), k * EVIDENCE_READ_FACTOR, 0);
    List<ContextItem> items = new ArrayList<>();
    for (Memory m : java.util.stream.Stream.concat(newest.stream().filter(m -> !m.isEvidence()), newest.stream().filter(Memory::isEvidence)).limit(k).toList()) {
      items.add(new ContextItem(m, 0.5, 0.0, SOURCE, Tokens.estimate(m.content())));
    }
    TokenBudget.Fitted f = TokenBudget.fit(items, q.tokenBudget(), k);
    return new ContextResult(f.items(), f.tokensUsed(), q.tokenBudget(), f.exceeded(), "fast", List.of(SOURCE), 0);
  }

  /** {@code retrieved} followed by those of {@code recent} it lacks, within its token budget. */
  public static ContextResult appended(ContextResult retrieved, ContextResult recent) {
    List<ContextItem> items = new ArrayList<>(retrieved.items());
    Set<String> ids = new HashSet<>();
    for (ContextItem i : items) ids.add(i.memory().memoryId());
    int tokens = retrieved.tokensUsed();
    for (ContextItem i : recent.items()) {
      if (ids.add(i.memory().memoryId()) && tokens + i.tokens() <= retrieved.tokenBudget()) {
        items.add(i);
        tokens += i.tokens();
      }
    }
    List<String> sources = new ArrayList<>(retrieved.sourcesQueried());
    sources.add(SOURCE);
    return new ContextResult(items, tokens, retrieved.tokenBudget(), retrieved.budgetExceeded(), retrieved.mode(), sources, retrieved.retrievalMicros());
  }
}
