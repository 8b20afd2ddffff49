package dev.synap.core.store;

import dev.synap.core.model.MemoryType;
import dev.synap.core.model.Scope;
import java.util.Set;

/**
 * Which memories a read may see. {@code instanceId} is always required: no read crosses
 * instances. {@code level} says whose memories these are:
 *
 * <ul>
 *   <li>{@code CONVERSATION}: memories from that conversation (of that user, when given);
 *   <li>{@code USER}: that user's memories (within that customer, when given);
 *   <li>{@code CUSTOMER}: memories held by the customer itself, never its users' private ones;
 *   <li>{@code CLIENT}: memories held by the instance, with no user or customer;
 *   <li>null: every memory of the instance (operator listing), optionally narrowed by the ids.
 * </ul>
 */
public record MemoryFilter(
    String instanceId,
    Scope level,
    String customerId,
    String userId,
    String conversationId,
    Set<MemoryType> types,
    boolean includeHistory) {

  public MemoryFilter {
    if (instanceId == null || instanceId.isBlank()) throw new IllegalArgumentException("instanceId is required");
    types = types == null ? Set.of() : Set.copyOf(types);
    if (level == Scope.USER && userId == null) throw new IllegalArgumentException("user scope needs a user id");
    if (level == Scope.CUSTOMER && customerId == null) throw new IllegalArgumentException("customer scope needs a customer id");
    if (level == Scope.CONVERSATION && conversationId == null) throw new IllegalArgumentException("conversation scope needs a conversation id");
  }

  public static MemoryFilter user(String instanceId, String customerId, String userId) {
    return new MemoryFilter(instanceId, Scope.USER, customerId, userId, null, Set.of(), false);
  }

  public MemoryFilter withTypes(Set<MemoryType> t) {
    return new MemoryFilter(instanceId, level, customerId, userId, conversationId, t, includeHistory);
  }
}
