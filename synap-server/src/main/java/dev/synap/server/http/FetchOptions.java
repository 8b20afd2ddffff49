package dev.synap.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.synap.core.InvalidInputException;
import java.util.Set;

/**
 * The fetch keys beyond the query itself (contract 9.6), read once with the ranges the official
 * client enforces (6.1), so a malformed request is refused rather than half-understood.
 *
 * @param precision {@code high} (default) or {@code medium}
 * @param summaryMode {@code context_mode = conversation-summary}: a user fetch also answers the
 *     user's profile and recent conversations
 * @param lastConversations how many recent conversations summary mode lists (default 1, 0-20)
 */
record FetchOptions(String precision, boolean summaryMode, boolean includeProfile, int lastConversations, boolean includeConversationContext) {
  static final Set<String> PRECISION_LEVELS = Set.of("high", "medium");
  static final Set<String> CONTEXT_MODES = Set.of("in-conversation", "conversation-summary");

  static FetchOptions read(JsonNode b) {
    String precision = Bodies.oneOf(b, "precision_level", PRECISION_LEVELS);
    String mode = Bodies.oneOf(b, "context_mode", CONTEXT_MODES);
    Integer last = Bodies.integer(b, "last_n_conversations");
    if (last != null && (last < 0 || last > 20)) throw new InvalidInputException("last_n_conversations must be 0-20");
    return new FetchOptions(precision == null ? "high" : precision, "conversation-summary".equals(mode), Bodies.bool(b, "include_profile", true),
        last == null ? 1 : last, Bodies.bool(b, "include_conversation_context", true));
  }
}
