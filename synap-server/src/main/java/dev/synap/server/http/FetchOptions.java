package dev.synap.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.synap.core.InvalidInputException;
import java.util.Set;

/**
 * Fetch keys the official client sends (contract 9.6) that retrieval does not use yet. They are
 * still checked, with the ranges the client itself enforces (6.1), so a malformed request is
 * refused rather than half-understood.
 */
final class FetchOptions {
  static final Set<String> PRECISION_LEVELS = Set.of("high", "medium");
  static final Set<String> CONTEXT_MODES = Set.of("in-conversation", "conversation-summary");

  private FetchOptions() {}

  static void check(JsonNode b) {
    Bodies.oneOf(b, "precision_level", PRECISION_LEVELS);
    Bodies.oneOf(b, "context_mode", CONTEXT_MODES);
    Integer last = Bodies.integer(b, "last_n_conversations");
    if (last != null && (last < 0 || last > 20)) throw new InvalidInputException("last_n_conversations must be 0-20");
    Bodies.bool(b, "include_profile", true);
    Bodies.bool(b, "include_conversation_context", true);
  }
}
