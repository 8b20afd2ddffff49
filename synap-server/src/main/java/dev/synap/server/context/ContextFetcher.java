package dev.synap.server.context;

import dev.synap.core.InvalidInputException;
import dev.synap.core.model.MemoryType;
import dev.synap.core.model.Scope;
import dev.synap.core.priority.ReadPriority;
import dev.synap.core.retrieve.ContextQuery;
import dev.synap.core.retrieve.ContextResult;
import dev.synap.core.retrieve.Retriever;
import dev.synap.core.retrieve.ScopeChain;
import dev.synap.core.tenant.Instance;
import dev.synap.core.tenant.ScopeRules;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** Validates a fetch the same way for REST and gRPC, then runs retrieval. */
public final class ContextFetcher {
  public static final int MAX_RESULTS_LIMIT = 100;
  public static final int MAX_QUERIES = 16;
  public static final int MAX_QUERY_CHARS = 4_096;
  private final Retriever retriever;
  private final ReadPriority priority;

  /** @param priority marks each fetch as a read a client waits on, so background work steps back */
  public ContextFetcher(Retriever retriever, ReadPriority priority) {
    this.retriever = retriever;
    this.priority = priority;
  }

  /**
   * A fetch as the edges receive it, before validation.
   *
   * @param precision {@code high} (null means high) or {@code medium}
   */
  public record Request(
      Scope scope, String conversationId, String userId, String customerId, List<String> queries, List<String> types,
      Integer maxResults, String mode, Integer tokenBudget, String precision) {}

  /** The instance's default retrieval mode and context budget (its memory configuration). */
  private volatile java.util.function.Function<String, dev.synap.core.control.MemoryConfig.Retrieval> defaults =
      id -> dev.synap.core.control.MemoryConfig.UNCONFIGURED.retrieval();

  public ContextFetcher defaults(java.util.function.Function<String, dev.synap.core.control.MemoryConfig.Retrieval> d) {
    this.defaults = d;
    return this;
  }

  /** A fetch's answer and the scopes it read, narrowest first (a user fetch reads its {@link ScopeChain}). */
  public record Fetched(ContextResult result, List<String> scopesQueried) {}

  public Fetched fetch(Instance instance, Request r) {
    ContextQuery query = toQuery(instance, r, defaults.apply(instance.instanceId()));
    List<ContextQuery> levels = ScopeChain.levels(query);
    if (levels.size() == 1) return new Fetched(priority.read(() -> retriever.retrieve(query)), List.of(query.scope().wireName()));
    long start = System.nanoTime();
    ContextResult merged = priority.read(() -> {
      List<ContextResult> results = new ArrayList<>();
      for (ContextQuery level : levels) results.add(retriever.retrieve(level));
      return ScopeChain.merge(query, results, start);
    });
    return new Fetched(merged, ScopeChain.names(levels));
  }

  public static ContextQuery toQuery(Instance instance, Request r, dev.synap.core.control.MemoryConfig.Retrieval defaults) {
    ScopeRules.ScopeIds ids = ScopeRules.check(instance, r.scope(), r.conversationId(), r.userId(), r.customerId());
    List<String> queries = r.queries() == null ? List.of() : r.queries();
    if (queries.size() > MAX_QUERIES) throw new InvalidInputException("at most " + MAX_QUERIES + " search queries");
    for (String q : queries) {
      if (q != null && q.length() > MAX_QUERY_CHARS) throw new InvalidInputException("a search query is longer than " + MAX_QUERY_CHARS + " characters");
    }
    int max = r.maxResults() == null ? 10 : r.maxResults();
    if (max < 1 || max > MAX_RESULTS_LIMIT) throw new InvalidInputException("max_results must be 1-" + MAX_RESULTS_LIMIT);
    String mode = r.mode() == null ? defaults.defaultMode() : r.mode().toLowerCase(Locale.ROOT);
    if (!mode.equals("fast") && !mode.equals("accurate")) throw new InvalidInputException("mode must be 'fast' or 'accurate'");
    int budget = r.tokenBudget() == null ? defaults.contextBudgetTokens() : r.tokenBudget();
    if (budget < 1 || budget > 1_000_000) throw new InvalidInputException("token_budget must be 1-1000000");
    String precision = r.precision() == null ? ContextQuery.HIGH_PRECISION : r.precision().toLowerCase(Locale.ROOT);
    if (!precision.equals(ContextQuery.HIGH_PRECISION) && !precision.equals(ContextQuery.MEDIUM_PRECISION)) {
      throw new InvalidInputException("precision_level must be 'high' or 'medium'");
    }
    return new ContextQuery(instance.instanceId(), r.scope(), ids.conversationId(), ids.userId(), ids.customerId(), queries,
        types(r.types()), max, mode, budget, precision);
  }

  /** "all" or nothing means every type; unknown names are refused rather than silently ignored. */
  public static Set<MemoryType> types(List<String> names) {
    Set<MemoryType> out = new LinkedHashSet<>();
    if (names == null) return out;
    for (String n : names) {
      if (n == null || n.equalsIgnoreCase("all")) return Set.of();
      out.add(MemoryType.parse(n).orElseThrow(() -> new InvalidInputException(
          "unknown context type '" + n + "'; use facts, preferences, episodes, emotions, temporal or all")));
    }
    return out;
  }
}
