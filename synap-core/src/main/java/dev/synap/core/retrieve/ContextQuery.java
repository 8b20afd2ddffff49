package dev.synap.core.retrieve;

import dev.synap.core.model.MemoryType;
import dev.synap.core.model.Scope;
import java.util.List;
import java.util.Set;

/**
 * A request for context, already authenticated to {@code instanceId} and validated against the
 * instance's relationship mode.
 *
 * @param types empty means every type
 * @param mode {@code fast} or {@code accurate}
 * @param tokenBudget upper bound on the estimated tokens of the returned items
 * @param precision {@code high} (default: items far below the best one are dropped) or
 *     {@code medium} (they are kept: more recall, less precision)
 */
public record ContextQuery(
    String instanceId,
    Scope scope,
    String conversationId,
    String userId,
    String customerId,
    List<String> queries,
    Set<MemoryType> types,
    int maxResults,
    String mode,
    int tokenBudget,
    String precision) {

  public static final int DEFAULT_TOKEN_BUDGET = 4096;
  public static final String HIGH_PRECISION = "high";
  public static final String MEDIUM_PRECISION = "medium";

  /** A query at the default ({@code high}) precision. */
  public ContextQuery(String instanceId, Scope scope, String conversationId, String userId, String customerId, List<String> queries,
      Set<MemoryType> types, int maxResults, String mode, int tokenBudget) {
    this(instanceId, scope, conversationId, userId, customerId, queries, types, maxResults, mode, tokenBudget, HIGH_PRECISION);
  }

  /** The same query at another scope and owner (the levels of a {@link ScopeChain}). */
  public ContextQuery at(Scope level, String conversation, String user, String customer) {
    return new ContextQuery(instanceId, level, conversation, user, customer, queries, types, maxResults, mode, tokenBudget, precision);
  }

  public ContextQuery {
    queries = queries == null ? List.of() : queries.stream().filter(q -> q != null && !q.isBlank()).toList();
    types = types == null ? Set.of() : Set.copyOf(types);
    if (maxResults <= 0) maxResults = 10;
    if (mode == null || mode.isBlank()) mode = "fast";
    if (tokenBudget <= 0) tokenBudget = DEFAULT_TOKEN_BUDGET;
    if (!MEDIUM_PRECISION.equals(precision)) precision = HIGH_PRECISION;
  }
}
